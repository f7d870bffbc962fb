"""The documents of the application process: 申报表 (docx, PDF), 公示通知 (PDF), 认定通知 with the plaque text (PDF),
专家评分汇总表 and the proposed list (xlsx). Each returns (bytes, download name). Permission is the caller's job."""

import io
from pathlib import Path

from django.utils import timezone

from applications.enums import ApplicationStatus as S
from applications.models import Application, CommitteeMeeting
from applications.policy import school_name
from applications.queries import review_summary, tally

from .context import application_context
from .pdf import render_pdf
from .safetext import clean_context
from .xlsx import workbook_bytes

FORM_TEMPLATE = Path(__file__).resolve().parent / "docx_templates" / "application_form.docx"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF = "application/pdf"


def application_form_docx(application):
    from docxtpl import DocxTemplate

    context = application_context(application)
    document = DocxTemplate(str(FORM_TEMPLATE))
    document.render(clean_context({k: v for k, v in context.items() if k != "application"}), autoescape=True)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), f"申报表-{context['studio_name'] or context['number']}.docx", DOCX


def application_form_pdf(application):
    context = application_context(application)
    return (
        render_pdf("reports/application_form.html", context),
        f"申报表-{context['studio_name'] or context['number']}.pdf",
        PDF,
    )


def publicity_notice_pdf(publicity):
    from applications.models import Publicity

    publicity = Publicity.objects.select_related("call").get(pk=publicity.pk)
    apps = list(
        Application.objects.filter(publicity=publicity)
        .select_related("applicant", "department")
        .order_by("department__code", "pk")
    )
    context = {
        "publicity": publicity,
        "applications": apps,
        "school_name": school_name(timezone.localtime(publicity.starts_at).date()),
        "starts": timezone.localtime(publicity.starts_at),
        "ends": timezone.localtime(publicity.ends_at),
        "last_day": timezone.localtime(publicity.ends_at) - timezone.timedelta(seconds=1),
    }
    return render_pdf("reports/publicity_notice.html", context), f"公示通知-{publicity.call.year}.pdf", PDF


def approval_notice_pdf(studio):
    from studios.enums import role_rank
    from studios.models import Studio

    studio = Studio.objects.select_related("master", "department").get(pk=studio.pk)
    context = {
        "studio": studio,
        "school_name": school_name(studio.approved_on),
        "members": list(studio.memberships.select_related("user").annotate(rank=role_rank()).order_by("rank", "pk")),
    }
    return render_pdf("reports/approval_notice.html", context), f"认定通知-{studio.official_name}.pdf", PDF


def review_summary_xlsx(call):
    rows = review_summary(call)
    header = [
        "排名",
        "工作室名称",
        "申报人",
        "系部",
        "专家数",
        "平均分",
        "极差",
        "标准差",
        "偏离较大的评分",
        "评审建议",
        "各专家评分",
    ]
    data = []
    for r in rows:
        data.append(
            [
                r.rank or "",
                r.application.studio_name,
                r.application.applicant.display_name,
                r.application.department.name,
                len(r.totals),
                float(r.mean) if r.mean is not None else "",
                float(r.spread) if r.spread is not None else "",
                float(r.stdev) if r.stdev is not None else "",
                "；".join(f"{e.display_name} {t}" for e, t in r.outliers),
                "；".join(f"{k}{v}票" for k, v in r.recommendations.items()),
                "；".join(f"{e.display_name} {t}" for e, t in r.totals),
            ]
        )
    title = f"{call.title} 专家评分汇总表"
    return workbook_bytes(title, header, data, sheet_name="专家评分汇总"), f"专家评分汇总表-{call.year}.xlsx", XLSX


def proposed_list_xlsx(call):
    """建议名单: applications the committee passed (proposed, in publicity or approved), with their vote."""
    apps = list(
        Application.objects.filter(call=call, status__in=[S.PROPOSED, S.IN_PUBLICITY, S.APPROVED])
        .select_related("applicant", "department")
        .order_by("department__code", "pk")
    )
    meetings = {}
    for meeting in CommitteeMeeting.objects.filter(call=call).prefetch_related("agenda").order_by("held_on", "id"):
        for app in meeting.agenda.all():
            meetings[app.pk] = meeting
    header = ["序号", "工作室名称", "技能大师", "系部", "设立方式", "审议会议", "赞成", "反对", "弃权", "出席", "状态"]
    data = []
    for i, app in enumerate(apps, start=1):
        meeting = meetings.get(app.pk)
        t = tally(meeting, app.pk) if meeting else None
        data.append(
            [
                i,
                app.studio_name,
                app.applicant.display_name,
                app.department.name,
                app.get_mode_display(),
                meeting.title if meeting else "",
                t.votes_for if t else "",
                t.votes_against if t else "",
                t.votes_abstain if t else "",
                t.present if t else "",
                app.get_status_display(),
            ]
        )
    book = workbook_bytes(f"{call.title} 技能大师工作室建议名单", header, data, sheet_name="建议名单")
    return book, f"建议名单-{call.year}.xlsx", XLSX
