"""The default requirement catalogue of 推荐申报 (editable by the school in the admin afterwards)."""

from django.db import migrations

DEFAULTS = {
    "city": [
        ("大师技能等级不低于二级/技师", "master_skill_level", 2, ""),
        ("工作室运行满 2 年", "years_in_operation", 2, ""),
        ("累计带徒不少于 5 人", "apprentices", 5, ""),
        ("最近 1 次年度考核良好及以上", "recent_grades", 1, "good"),
        ("大师获市级及以上荣誉", "master_honor_level", None, "city"),
        ("行业企业或主管部门推荐意见", "manual", None, ""),
    ],
    "province": [
        ("大师技能等级为一级/高级技师", "master_skill_level", 1, ""),
        ("工作室运行满 3 年", "years_in_operation", 3, ""),
        ("累计带徒不少于 10 人", "apprentices", 10, ""),
        ("最近 2 次年度考核良好及以上", "recent_grades", 2, "good"),
        ("大师获省级及以上荣誉", "master_honor_level", None, "province"),
        ("已获市级技能大师工作室认定", "current_level", None, "city"),
        ("省级申报所需场地设备条件", "manual", None, ""),
    ],
    "national": [
        ("大师技能等级为一级/高级技师", "master_skill_level", 1, ""),
        ("工作室运行满 3 年", "years_in_operation", 3, ""),
        ("累计带徒不少于 20 人", "apprentices", 20, ""),
        ("最近 3 次年度考核良好及以上", "recent_grades", 3, "good"),
        ("最近 3 次年度考核中至少 1 次优秀", "recent_excellent", 3, ""),
        ("大师获省级及以上荣誉", "master_honor_level", None, "province"),
        ("已获省级技能大师工作室认定", "current_level", None, "province"),
        ("国家级申报所需场地设备与示范带动条件", "manual", None, ""),
    ],
}


def seed(apps, schema_editor):
    LevelRequirement = apps.get_model("recommendations", "LevelRequirement")
    if LevelRequirement.objects.exists():
        return
    LevelRequirement.objects.bulk_create(
        LevelRequirement(level=level, order=(i + 1) * 10, label=label, checker=checker, number=number, choice=choice)
        for level, rows in DEFAULTS.items()
        for i, (label, checker, number, choice) in enumerate(rows)
    )


class Migration(migrations.Migration):
    dependencies = [("recommendations", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
