"""The documents of the application process, rendered with the engine in reports/: 申报表 (docx, PDF), 公示通知
(PDF), 专家评分汇总表 and the proposed list (xlsx). Each returns (bytes, download name, content type). Permission is
the caller's job."""

from pathlib import Path

from django.utils import timezone

from people.models import Honor, StaffProfile, WorkPeriod
from reports.docx import DOCX, render_docx
from reports.pdf import PDF, render_pdf
from reports.xlsx import XLSX, workbook_bytes

from .enums import ApplicationStatus as S
from .enums import StudioMode
from .models import Application, CommitteeMeeting, Publicity
from .policy import school_name
from .queries import review_summary, tally

FORM_TEMPLATE = Path(__file__).resolve().parent / "docx_templates" / "application_form.docx"


def application_form_docx(application):
    context = application_context(application)
    data = render_docx(FORM_TEMPLATE, {k: v for k, v in context.items() if k != "application"})
    return data, f"申报表-{context['studio_name'] or context['number']}.docx", DOCX


def application_form_pdf(application):
    context = application_context(application)
    return (
        render_pdf("applications/documents/application_form.html", context),
        f"申报表-{context['studio_name'] or context['number']}.pdf",
        PDF,
    )


def publicity_notice_pdf(publicity):
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
    return (
        render_pdf("applications/documents/publicity_notice.html", context),
        f"公示通知-{publicity.call.year}.pdf",
        PDF,
    )


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


def application_context(application):
    app = (
        Application.objects.select_related("call", "applicant", "department")
        .prefetch_related("majors", "members__user__department")
        .get(pk=application.pk)
    )
    profile = StaffProfile.objects.filter(user_id=app.applicant_id).first()
    birth = f"{profile.birth_date:%Y-%m-%d}" if profile and profile.birth_date else ""
    experience = "；".join(
        f"{p.enterprise_name}（{p.start:%Y-%m}至{p.end:%Y-%m}，{p.get_kind_display()}）"
        for p in WorkPeriod.objects.filter(user_id=app.applicant_id).order_by("start")
    )
    honors = "；".join(
        f"{h.date:%Y-%m} {h.get_level_display()}{h.kind.name}「{h.title}」"
        for h in Honor.objects.filter(user_id=app.applicant_id).select_related("kind").order_by("date")
    )
    members = [
        {
            "name": m.user.display_name,
            "no": m.user.username,
            "role": m.get_role_display(),
            "unit": "校外（合作企业）" if m.user.is_external else (m.user.department.name if m.user.department else ""),
        }
        for m in app.members.all()
    ]
    return {
        "application": app,
        "school_name": school_name(timezone.localdate()),
        "call_title": app.call.title,
        "number": f"{app.call.year}-{app.pk:04d}",
        "studio_name": app.studio_name,
        "occupation": app.occupation,
        "mode": StudioMode(app.mode).label,
        "department": app.department.name,
        "majors": "、".join(m.name for m in app.majors.all()),
        "venue_school": app.venue_school,
        "venue_partner": app.venue_partner or "—",
        "master_name": app.applicant.display_name,
        "master_no": app.applicant.username,
        "master_birth": birth,
        "master_experience": experience,
        "master_honors": honors,
        "major_justification": app.major_justification,
        "members": members,
        "basic_conditions": app.basic_conditions,
        "support_measures": app.support_measures,
        "work_plan": app.work_plan,
        "main_directions": app.main_directions,
        "dept_opinion": app.dept_opinion or "（待系部填写）",
        "printed_on": f"{timezone.localdate():%Y年%m月%d日}",
    }
