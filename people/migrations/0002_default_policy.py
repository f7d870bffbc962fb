"""The honour-kind dictionary and the 2026 policy version (《建设方案》 defaults), so a fresh install has both."""

from django.db import migrations

from people.defaults import DEFAULT_HONOR_KINDS, DEFAULT_HONOR_RULES


def create_defaults(apps, schema_editor):
    HonorKind = apps.get_model("people", "HonorKind")
    PolicyVersion = apps.get_model("people", "PolicyVersion")
    HonorRule = apps.get_model("people", "HonorRule")
    for code, name, has_rank, order in DEFAULT_HONOR_KINDS:
        HonorKind.objects.get_or_create(code=code, defaults={"name": name, "has_rank": has_rank, "order": order})
    version, created = PolicyVersion.objects.get_or_create(
        year=2026, defaults={"note": "依据《重庆市工业学校技能大师工作室建设方案（试行）》的初始参数。"}
    )
    if created:
        kinds = {k.code: k for k in HonorKind.objects.all()}
        for i, (code, level, rank, count) in enumerate(DEFAULT_HONOR_RULES, start=1):
            HonorRule.objects.create(
                policy=version, kind=kinds[code], min_level=str(level), min_rank=str(rank), min_count=count, order=i
            )


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, migrations.RunPython.noop)]
