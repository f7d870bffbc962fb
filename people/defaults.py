"""The defaults of 《建设方案》, shared by the policy fallback, the data migration and seed_demo (no model imports)."""

from .enums import HonorLevel, HonorRank

# The policy's own list (三(1)4): kind code, minimum level, minimum rank, minimum count.
DEFAULT_HONOR_RULES = [
    ("skill_master", HonorLevel.CITY, "", 1),
    ("may_day", HonorLevel.CITY, "", 1),
    ("patent", HonorLevel.CITY, "", 1),
    ("excellent_teacher", HonorLevel.CITY, "", 1),
    ("competition_personal", HonorLevel.CITY, HonorRank.FIRST, 1),
    ("competition_guided", HonorLevel.CITY, HonorRank.FIRST, 2),
]

# The dictionary of honour kinds created by the data migration and seed_demo: code, name, has_rank, order.
DEFAULT_HONOR_KINDS = [
    ("skill_master", "技术能手", False, 10),
    ("may_day", "五一劳动奖章", False, 20),
    ("patent", "专利奖", False, 30),
    ("excellent_teacher", "优秀教师（工作者）", False, 40),
    ("competition_personal", "职业院校技能大赛个人获奖", True, 50),
    ("competition_guided", "指导学生技能大赛获奖", True, 60),
    ("teaching_competition", "教学能力比赛获奖", True, 70),
    ("other", "其他荣誉", False, 100),
]
