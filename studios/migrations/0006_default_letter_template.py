from django.db import migrations


def forwards(apps, schema_editor):
    from studios.defaults import SCHOOL_DUTIES, STUDIO_DUTIES, TERM_YEARS

    Template = apps.get_model("studios", "ResponsibilityLetterTemplate")
    if not Template.objects.exists():
        Template.objects.create(school_duties=SCHOOL_DUTIES, studio_duties=STUDIO_DUTIES, term_years=TERM_YEARS)


class Migration(migrations.Migration):
    dependencies = [("studios", "0005_history_registration_membership_periods_letters")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
