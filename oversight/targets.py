"""oversight fills its registries for the apps below it (called from apps.ready()): the records a 监督意见 can be
attached to, the meetings the inspector attends and the console's sections.

Evaluation (年度考核: rounds, scorecards, the committee's evaluation meetings) and annual reports (年度工作报告) are
registered here too (stage 考核): oversight sits above them and imports them directly.
"""

from django.urls import reverse

from accounts.permissions import visible_to
from annual.models import AnnualReport
from applications.models import Application, Call, CommitteeMeeting, Objection, Publicity, ReviewAssignment, Vote
from archive.models import Addendum, YearArchive
from evaluation.models import EvaluationMeeting, EvaluationRound, Scorecard
from funds.models import BudgetLine, Expenditure
from ledger.types import TYPES
from news.models import Notice, Post
from plans.models import Plan
from recommendations.models import Recommendation
from studios.models import Studio

from .enums import Stage
from .registry import ConsoleSection, MeetingKind, NoteTarget, register_console_section, register_meeting
from .registry import register_note_target as target


def _url(name, attr="pk"):
    return lambda obj: reverse(name, args=[getattr(obj, attr)])


def _ledger_url(slug):
    return lambda obj: reverse("ledger:detail", args=[slug, obj.pk])


def _archive_year_url(obj):
    return reverse("archive:studio_year", args=[obj.studio_id, obj.year])


def _evaluation_meetings(user):
    """Evaluation meetings have no ObjectPolicy of their own: those of the rounds the user sees."""
    return EvaluationMeeting.objects.filter(round__in=visible_to(user, EvaluationRound).values("pk"))


def register():
    target(
        NoteTarget(
            "applications.application",
            Application,
            "申报",
            Stage.SELECTION,
            "department_id",
            _url("applications:detail"),
            order=10,
        )
    )
    target(
        NoteTarget(
            "applications.reviewassignment",
            ReviewAssignment,
            "专家评审",
            Stage.SELECTION,
            "application__department_id",
            lambda obj: reverse("applications:detail", args=[obj.application_id]),
            order=11,
        )
    )
    target(
        NoteTarget(
            "applications.committeemeeting",
            CommitteeMeeting,
            "学术委员会会议",
            Stage.SELECTION,
            "",
            _url("applications:meeting_detail"),
            order=12,
        )
    )
    target(
        NoteTarget(
            "applications.publicity",
            Publicity,
            "公示",
            Stage.SELECTION,
            "",
            _url("applications:publicity_detail"),
            order=13,
        )
    )
    target(
        NoteTarget(
            "applications.objection",
            Objection,
            "公示异议",
            Stage.SELECTION,
            "application__department_id",
            _url("applications:objection_detail"),
            order=14,
        )
    )
    target(
        NoteTarget(
            "studios.studio", Studio, "工作室", Stage.CONSTRUCTION, "department_id", _url("studios:detail"), order=20
        )
    )
    target(
        NoteTarget(
            "plans.plan",
            Plan,
            "建设方案/年度工作计划",
            Stage.CONSTRUCTION,
            "studio__department_id",
            _url("plans:detail"),
            order=21,
        )
    )
    for i, (slug, record_type) in enumerate(TYPES.items()):
        target(
            NoteTarget(
                record_type.model._meta.label_lower,
                record_type.model,
                record_type.label,
                Stage.OPERATION,
                "studio__department_id",
                _ledger_url(slug),
                order=30 + i,
            )
        )
    target(
        NoteTarget(
            "funds.expenditure",
            Expenditure,
            "经费支出",
            Stage.OPERATION,
            "studio__department_id",
            _url("funds:expenditure"),
            order=40,
        )
    )
    target(
        NoteTarget(
            "archive.yeararchive",
            YearArchive,
            "年度归档",
            Stage.OPERATION,
            "studio__department_id",
            _archive_year_url,
            order=41,
            related=("studio",),
        )
    )

    target(
        NoteTarget(
            "evaluation.evaluationround",
            EvaluationRound,
            "年度考核",
            Stage.EVALUATION,
            "",
            _url("evaluation:round"),
            order=50,
        )
    )
    target(
        NoteTarget(
            "evaluation.scorecard",
            Scorecard,
            "考核评分表",
            Stage.EVALUATION,
            "studio__department_id",
            _url("evaluation:scorecard"),
            order=51,
        )
    )
    target(
        NoteTarget(
            "annual.annualreport",
            AnnualReport,
            "年度工作报告",
            Stage.EVALUATION,
            "studio__department_id",
            _url("annual:report"),
            order=52,
        )
    )
    target(NoteTarget("news.notice", Notice, "通知公告", Stage.OPERATION, "", _url("news:notice"), order=60))
    target(
        NoteTarget("news.post", Post, "宣传报道", Stage.OPERATION, "studio__department_id", _url("news:post"), order=61)
    )
    register_meeting(
        MeetingKind(
            "applications.committeemeeting",
            CommitteeMeeting,
            "学术委员会会议",
            "held_on",
            _url("applications:meeting_detail"),
        )
    )
    register_meeting(
        MeetingKind(
            "evaluation.evaluationmeeting",
            EvaluationMeeting,
            "年度考核认定会议",
            "held_on",
            lambda obj: reverse("evaluation:round", args=[obj.round_id]),
            rows=_evaluation_meetings,
        )
    )

    sections = (
        ("calls", "申报批次", lambda u: Call.objects.all(), "applications:call_list", "遴选"),
        ("applications", "申报", lambda u: visible_to(u, Application), "applications:list", "遴选"),
        ("reviews", "专家评审（已提交评分）",
         lambda u: visible_to(u, ReviewAssignment).filter(submitted_at__isnull=False), "applications:call_list", "遴选"),
        ("meetings", "学术委员会会议", lambda u: visible_to(u, CommitteeMeeting), "applications:meeting_list", "遴选"),
        ("votes", "学术委员会表决票",
         lambda u: Vote.objects.filter(meeting__in=visible_to(u, CommitteeMeeting).values("pk")),
         "applications:meeting_list", "遴选"),
        ("publicity", "公示", lambda u: visible_to(u, Publicity), "applications:publicity_list", "遴选"),
        ("objections", "公示异议", lambda u: visible_to(u, Objection), "applications:publicity_list", "遴选"),
        ("studios", "工作室", lambda u: visible_to(u, Studio), "studios:list", "建设"),
        ("plans", "建设方案与年度工作计划", lambda u: visible_to(u, Plan), "plans:list", "建设"),
        ("budgets", "经费预算", lambda u: visible_to(u, BudgetLine), "funds:budgets", "运行"),
        ("expenditures", "经费支出", lambda u: visible_to(u, Expenditure), "funds:expenditures", "运行"),
        ("archives", "年度归档", lambda u: visible_to(u, YearArchive), "archive:index", "运行"),
        ("addenda", "档案补充说明", lambda u: visible_to(u, Addendum), "archive:index", "运行"),
        ("rounds", "年度考核", lambda u: visible_to(u, EvaluationRound), "evaluation:rounds", "考核"),
        ("scorecards", "考核评分表", lambda u: visible_to(u, Scorecard), "evaluation:rounds", "考核"),
        ("evaluation_meetings", "年度考核认定会议", _evaluation_meetings, "evaluation:rounds", "考核"),
        ("annual_reports", "年度工作报告", lambda u: visible_to(u, AnnualReport), "annual:list", "考核"),
        ("recommendations", "推荐申报", lambda u: visible_to(u, Recommendation), "recommendations:list", "考核"),
    )  # fmt: skip
    for order, (key, label, rows, url_name, group) in enumerate(sections):
        register_console_section(ConsoleSection(key, label, rows, url_name, group, order=order))
    for i, (slug, record_type) in enumerate(TYPES.items()):
        register_console_section(
            ConsoleSection(f"ledger_{slug}", f"建设记录：{record_type.label}",
                           lambda u, m=record_type.model: visible_to(u, m), f"ledger:{slug}", "运行", order=50 + i)
        )  # fmt: skip
