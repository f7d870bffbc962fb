"""Seed the starting indicator dictionary (docs/indicators.md) for 2026 and, when different, the current year."""

import datetime as dt

from django.db import migrations

from plans.defaults import indicator_rows


def seed(apps, schema_editor):
    IndicatorSet = apps.get_model("plans", "IndicatorSet")
    Indicator = apps.get_model("plans", "Indicator")
    for year in sorted({2026, dt.date.today().year}):
        indicator_set, created = IndicatorSet.objects.get_or_create(
            year=year, defaults={"note": "初始指标体系（依据 docs/indicators.md）"}
        )
        if created:
            Indicator.objects.bulk_create(Indicator(indicator_set=indicator_set, **row) for row in indicator_rows())


class Migration(migrations.Migration):
    dependencies = [("plans", "0001_indicator_dictionary_and_plans")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
