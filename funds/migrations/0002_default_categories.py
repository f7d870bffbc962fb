"""Seed the spending-category dictionary (设备, 材料, 培训, 差旅, 劳务, 其他); finance may edit it afterwards."""

from django.db import migrations

DEFAULTS = (
    ("equipment", "设备"),
    ("materials", "材料"),
    ("training", "培训"),
    ("travel", "差旅"),
    ("labour", "劳务"),
    ("other", "其他"),
)


def seed(apps, schema_editor):
    SpendingCategory = apps.get_model("funds", "SpendingCategory")
    for order, (code, name) in enumerate(DEFAULTS, start=1):
        SpendingCategory.objects.get_or_create(code=code, defaults={"name": name, "order": order})


class Migration(migrations.Migration):
    dependencies = [("funds", "0001_funds")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
