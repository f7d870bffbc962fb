from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("studios", "0003_text_limits"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="studio", name="studio_list_order"),
        migrations.AddIndex(
            model_name="studio",
            index=models.Index(fields=["approved_on", "id"], name="studio_approved_id"),
        ),
    ]
