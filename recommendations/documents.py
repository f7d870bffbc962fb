"""推荐申报材料 (the dossier) of one recommendation, as .docx (docxtpl) and PDF (WeasyPrint, the embedded CJK font).
Each returns (bytes, download name, content type); permission is the caller's job.

The data is read in a bounded number of statements: the per-year indicators through plans.indicators.compute (one
statement per year since approval — at most the studio's years of operation, capped at MAX_YEARS), the projects'
amounts in one statement, funds and evaluation history grouped in SQL. The master's ID number, phone and birth date
are never read.
"""

from decimal import Decimal
from pathlib import Path

from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from evaluation.enums import Grade, RoundStatus
from evaluation.models import Scorecard
from funds.enums import ExpenditureStatus
from funds.models import BudgetLine, Expenditure
from ledger.enums import ProjectStage
from ledger.models import Achievement, Attachment, Project, ProjectStageRecord
from people.enums import SkillLevel
from people.models import Honor, StaffProfile
from plans.indicators import compute
from reports.docx import DOCX, render_docx
from reports.pdf import PDF, render_pdf
from studios.enums import role_rank
from studios.models import Membership
from studios.services import school_name

from .checking import check_studio
from .enums import RecommendationStatus
from .models import Recommendation

TEMPLATE = Path(__file__).resolve().parent / "docx_templates" / "dossier.docx"
INDICATORS = (
    ("mentorships", "带徒（人）"),
    ("skill_upgrades", "技能等级晋升（人）"),
    ("social_training", "培训人次"),
    ("patents_products", "专利与新产品（项）"),
    ("projects", "项目（项）"),
    ("competition_awards", "竞赛获奖（加权）"),
)
MAX_YEARS = 30


def number_text(value):
    if value is None:
        return "—"
    value = Decimal(value)
    return str(value.quantize(Decimal(1))) if value == value.to_integral() else str(value.normalize())


def money(value):
    return f"{Decimal(value or 0):,.2f}"


def _project_amounts(studio_id, years):
    """{year: total amount of the projects counted that year} from one statement (the indicator's condition:
    registered by the year's end and not closed before it)."""
    closing = ProjectStageRecord.objects.filter(project=OuterRef("pk"), stage=ProjectStage.CLOSING).values("date")[:1]
    rows = Project.objects.countable().filter(studio_id=studio_id).annotate(closed_on=Subquery(closing))
    result = {}
    for day, amount, closed_on in rows.values_list("date", "amount", "closed_on"):
        for year in years:
            if day.year <= year and (closed_on is None or closed_on.year >= year):
                result[year] = result.get(year, Decimal(0)) + amount
    return result


def indicator_years(studio, until):
    """[{year, values: {key: confirmed}, project_amount}] for every year from the studio's approval to `until`."""
    first = studio.approved_on.year
    years = list(range(max(first, until - MAX_YEARS + 1), until + 1))
    keys = [k for k, _label in INDICATORS]
    amounts = _project_amounts(studio.pk, years)
    rows = []
    for year in years:
        values = compute(keys, [studio.pk], year)
        rows.append(
            {
                "year": year,
                "values": {k: (values[k] or {}).get(studio.pk, (0, 0))[0] for k in keys},
                "project_amount": amounts.get(year, Decimal(0)),
            }
        )
    return rows


def funds_by_year(studio_id):
    budgets = dict(
        BudgetLine.objects.filter(studio_id=studio_id)
        .values("year")
        .annotate(total=Sum("amount"))
        .values_list("year", "total")
    )
    spent = dict(
        Expenditure.objects.filter(studio_id=studio_id, status=ExpenditureStatus.CONFIRMED)
        .annotate(y=ExtractYear("date"))
        .values("y")
        .annotate(total=Sum("amount"))
        .values_list("y", "total")
    )
    return [
        {"year": y, "budget": money(budgets.get(y)), "spent": money(spent.get(y))}
        for y in sorted(set(budgets) | set(spent))
    ]


def evaluation_history(studio_id):
    return [
        {"year": year, "total": f"{total:.2f}" if total is not None else "—", "grade": Grade(grade).label if grade else "—"}
        for year, total, grade in Scorecard.objects.filter(studio_id=studio_id, round__status=RoundStatus.CONFIRMED)
        .order_by("round__year")
        .values_list("round__year", "total", "confirmed_grade")
    ]  # fmt: skip


def landmarks(studio_id):
    rows = list(
        Achievement.objects.countable()
        .filter(studio_id=studio_id, landmark=True)
        .order_by("-date", "-pk")
        .values_list("pk", "title", "kind", "level", "date", "rank")
    )
    evidence = {}
    for achievement_id, name, kind in (
        Attachment.objects.filter(achievement_id__in=[r[0] for r in rows])
        .order_by("pk")
        .values_list("achievement_id", "original_name", "kind")
    ):
        evidence.setdefault(achievement_id, []).append(name or kind)
    kinds = dict(Achievement._meta.get_field("kind").choices)
    levels = dict(Achievement._meta.get_field("level").choices)
    return [
        {"title": title, "kind": kinds.get(kind, ""), "level": levels.get(level, ""), "date": date.strftime("%Y-%m-%d"),
         "rank": rank, "evidence": "、".join(evidence.get(pk, [])) or "—"}
        for pk, title, kind, level, date, rank in rows
    ]  # fmt: skip


def dossier_context(rec):
    rec = Recommendation.objects.select_related("studio__master", "studio__department").get(pk=rec.pk)
    studio = rec.studio
    master = studio.master
    profile = (
        StaffProfile.objects.filter(user_id=master.pk).values("title", "skill_level", "skill_certificate").first() or {}
    )
    honors = [
        {"title": h.title, "level": h.get_level_display(), "rank": h.get_rank_display() if h.rank else "",
         "date": h.date.strftime("%Y-%m-%d"), "issuer": h.issuer}
        for h in Honor.objects.filter(user_id=master.pk).only("title", "level", "rank", "date", "issuer")
        .order_by("-date", "pk")
    ]  # fmt: skip
    members = [
        {"name": m.user.display_name, "role": m.get_role_display(), "joined": m.joined_on.strftime("%Y-%m-%d")}
        for m in Membership.objects.filter(studio_id=studio.pk, left_on__isnull=True)
        .select_related("user")
        .only("role", "joined_on", "user__display_name")
        .order_by(role_rank(), "joined_on", "pk")
    ]
    today = timezone.localdate()
    until = min(rec.year, today.year)
    years = indicator_years(studio, max(until, studio.approved_on.year))
    indicator_rows = [
        {"year": r["year"], "cells": [number_text(r["values"][k]) for k, _l in INDICATORS],
         "amount": money(r["project_amount"])}
        for r in years
    ]  # fmt: skip
    if rec.status == RecommendationStatus.DRAFT:
        lines = check_studio(studio.pk, rec.level)
    else:
        lines = (rec.snapshot or {}).get("lines", [])
    skill = profile.get("skill_level") or ""
    return {
        "school_name": school_name(today),
        "studio_name": studio.official_name,
        "department": studio.department.name,
        "level": rec.get_level_display(),
        "current_level": studio.get_level_display(),
        "year": rec.year,
        "status": rec.get_status_display(),
        "approved_on": studio.approved_on.strftime("%Y-%m-%d"),
        "document_number": studio.document_number,
        "reason": rec.reason,
        "master": master.display_name,
        "master_title": profile.get("title") or "—",
        "master_skill": SkillLevel(skill).label if skill in SkillLevel.values else "未登记",
        "master_certificate": profile.get("skill_certificate") or "—",
        "honors": honors,
        "members": members,
        "indicator_labels": [label for _k, label in INDICATORS] + ["项目金额（元）"],
        "indicator_rows": indicator_rows,
        "funds": funds_by_year(studio.pk),
        "evaluations": evaluation_history(studio.pk),
        "landmarks": landmarks(studio.pk),
        "checks": [
            {
                "label": line["label"],
                "verdict": line.get("verdict_label", ""),
                "text": line.get("text", ""),
                "confirmation": line.get("confirmation", ""),
            }
            for line in lines
        ],  # fmt: skip
        "explanation": rec.unmet_explanation,
        "generated_on": today.strftime("%Y年%m月%d日"),
    }


def _name(context, ext):
    return f"推荐申报材料-{context['studio_name']}-{context['year']}{context['level']}.{ext}"


def dossier_pdf(rec):
    context = dossier_context(rec)
    return render_pdf("recommendations/documents/dossier.html", context), _name(context, "pdf"), PDF


def dossier_docx(rec):
    context = dossier_context(rec)
    for row in context["indicator_rows"]:
        row["text"] = "；".join(
            f"{label} {cell}"
            for label, cell in zip(context["indicator_labels"], [*row["cells"], row["amount"]], strict=True)
        )
    return render_docx(TEMPLATE, context), _name(context, "docx"), DOCX
