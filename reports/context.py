"""The data each document prints, read once with the relations it needs (no lazy loads)."""

from django.utils import timezone

from applications.enums import StudioMode
from applications.models import Application
from applications.policy import school_name


def application_context(application):
    app = (
        Application.objects.select_related("call", "applicant", "department")
        .prefetch_related("majors", "members__user__department")
        .get(pk=application.pk)
    )
    birth, experience, honors = "", "", ""
    try:
        from people.models import Honor, StaffProfile, WorkPeriod

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
    except ImportError:  # people app not installed: the form still prints, those lines stay empty
        pass
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
