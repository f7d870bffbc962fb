"""Choices of the evidence ledger (建设记录), Chinese labels."""

from django.db import models


class RecordStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待系部审核"
    CONFIRMED = "confirmed", "已确认"
    RETURNED = "returned", "已退回"


class Place(models.TextChoices):
    SCHOOL = "school", "校内场地"
    PARTNER = "partner", "合作企业场地"
    OTHER = "other", "其他地点"


class ActivityKind(models.TextChoices):
    EXCHANGE = "exchange", "技术交流"
    STAFF_TRAINING = "staff_training", "教职工研修"
    PRACTICE_TEACHING = "practice_teaching", "实践教学"
    COMPETITION = "competition", "竞赛指导"
    TECH_RESEARCH = "tech_research", "技术攻关"
    SOCIAL_TRAINING = "social_training", "社会培训"
    PROMOTION = "promotion", "展示推广"
    ENTERPRISE = "enterprise", "校企活动"


class ApprenticeType(models.TextChoices):
    TEACHER = "teacher", "教师"
    STUDENT = "student", "学生"
    WORKER = "worker", "企业职工"


class SkillLevel(models.TextChoices):
    INTERMEDIATE = "intermediate", "中级工"
    SENIOR = "senior", "高级工"
    TECHNICIAN = "technician", "技师"
    SENIOR_TECHNICIAN = "senior_technician", "高级技师"


class ProjectKind(models.TextChoices):
    VERTICAL = "vertical", "纵向项目"
    HORIZONTAL = "horizontal", "横向项目"
    INTERNAL = "internal", "校内项目"


class ProjectSource(models.TextChoices):
    STUDIO = "studio", "工作室申报"
    COOP_OFFICE = "coop_office", "校企办引进"


class ProjectStage(models.TextChoices):
    """R17: the five stages of a project, in order."""

    APPROVAL = "approval", "立项评审"
    DEVELOPMENT = "development", "研发实践"
    TEACHING = "teaching", "教学转化"
    PROMOTION = "promotion", "成果推广"
    CLOSING = "closing", "结题评价"


class AchievementKind(models.TextChoices):
    PATENT = "patent", "专利"
    SOFTWARE = "software", "软件著作权"
    AWARD = "award", "获奖/竞赛成绩"
    PAPER = "paper", "论文"
    TEXTBOOK = "textbook", "教材"
    RESOURCE = "resource", "课程/培训资源/培训项目"
    PRODUCT = "product", "新产品/新工艺"
    STANDARD = "standard", "标准"
    ADOPTED = "adopted", "成果被采纳"


class Level(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"
    SCHOOL = "school", "校级"


class AwardWho(models.TextChoices):
    STUDENTS = "students", "指导学生"
    MEMBERS = "members", "工作室成员"


class AttachmentKind(models.TextChoices):
    PHOTO = "photo", "现场照片"
    SIGN_IN = "sign_in", "签到表"
    CERTIFICATE = "certificate", "证书扫描件"
    PROOF_LETTER = "proof_letter", "采纳证明"
    AGREEMENT = "agreement", "协议"
    MINUTES = "minutes", "会议纪要"
    CONTRACT = "contract", "合同/立项文件"
    PUBLICATION = "publication", "发表/出版证明"
    OTHER = "other", "其他材料"
