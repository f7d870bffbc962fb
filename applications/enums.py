"""Choices of the application process (申报·评审·审议·公示·认定), Chinese labels."""

from django.db import models

# The studio mode (R3) and team roles (R1) are defined once, beside the rules that read them.
from people.enums import MemberRole, StudioMode  # noqa: F401 - re-exported for the application code


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交（待系部审核）"
    RETURNED = "returned", "已退回修改"
    RECOMMENDED = "recommended", "系部已推荐"
    UNDER_REVIEW = "under_review", "专家评审中"
    REVIEWED = "reviewed", "评审完成（待审议）"
    PROPOSED = "proposed", "审议通过（拟公示）"
    IN_PUBLICITY = "in_publicity", "公示中"
    APPROVED = "approved", "已认定"
    REJECTED = "rejected", "未通过"
    DISQUALIFIED = "disqualified", "已取消资格"


# States in which the application is still moving (teaching affairs' "in flight").
IN_FLIGHT = frozenset(
    {
        ApplicationStatus.SUBMITTED,
        ApplicationStatus.RETURNED,
        ApplicationStatus.RECOMMENDED,
        ApplicationStatus.UNDER_REVIEW,
        ApplicationStatus.REVIEWED,
        ApplicationStatus.PROPOSED,
        ApplicationStatus.IN_PUBLICITY,
    }
)
FINAL = frozenset({ApplicationStatus.APPROVED, ApplicationStatus.REJECTED, ApplicationStatus.DISQUALIFIED})


class Judgement(models.TextChoices):
    """The department head's own judgement of the rules the system cannot compute (R7 专业相关性, R8 政治素质、师德)."""

    PASS = "pass", "符合"
    FAIL = "fail", "不符合"


class AttachmentKind(models.TextChoices):
    FORM_SCAN = "form_scan", "申报表（签字扫描件）"
    CERTIFICATE = "certificate", "荣誉/获奖/技术认定证书"
    OTHER = "other", "其他证明材料"


# Attachment kinds that name the applicant (signed 申报表; certificates are issued in the holder's name): withheld from
# an expert of a blind review (匿名评审). 其他证明材料 is shown to him under a neutral file name.
IDENTIFYING_KINDS = frozenset({AttachmentKind.FORM_SCAN, AttachmentKind.CERTIFICATE})
# Attachment kinds carrying the applicant's personal data (the signed 申报表: birth date, career), like form.pdf:
# only for can(user, "see_personal_data", app) — not finance or 校企办 (docs/roles.md scope).
PERSONAL_DATA_KINDS = frozenset({AttachmentKind.FORM_SCAN})


class AssignmentStatus(models.TextChoices):
    ASSIGNED = "assigned", "待确认有无利益冲突"
    DECLARED = "declared", "已声明无利益冲突（评审中）"
    RECUSED = "recused", "已回避"
    SUBMITTED = "submitted", "已提交评分"


class ReviewRecommendation(models.TextChoices):
    RECOMMEND = "recommend", "建议认定"
    REVISE = "revise", "修改后再议"
    REJECT = "reject", "不建议认定"


class VoteChoice(models.TextChoices):
    FOR = "for", "赞成"
    AGAINST = "against", "反对"
    ABSTAIN = "abstain", "弃权"


class Majority(models.TextChoices):
    SIMPLE = "simple", "过半数（赞成票超过出席委员的二分之一）"
    TWO_THIRDS = "two_thirds", "三分之二多数（赞成票不少于出席委员的三分之二）"


class MeetingStatus(models.TextChoices):
    OPEN = "open", "表决中"
    CLOSED = "closed", "已结束"
    CANCELLED = "cancelled", "已取消"


class ObjectionStatus(models.TextChoices):
    OPEN = "open", "待调查"
    INVESTIGATING = "investigating", "调查中"
    UPHELD = "upheld", "异议成立"
    DISMISSED = "dismissed", "异议不成立"


class ObjectionOutcome(models.TextChoices):
    REJECT = "reject", "不予认定"
    DISQUALIFY = "disqualify", "取消申报资格（弄虚作假）"


class CallStatus(models.TextChoices):
    PLANNED = "planned", "未开放"
    OPEN = "open", "开放申报"
    CLOSED = "closed", "已截止"
