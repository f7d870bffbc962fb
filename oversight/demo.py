"""Demo rows (manage.py seed_demo): 罗纪检 (K0001) writes two supervision notes addressed to 教学工作部 — one on the
demo application, answered by 孙丽 (J0001), one on the demo studio still open (it shows in 孙丽's 我的工作台) — and
records his attendance at the newest recognition committee meeting (the applications demo's) and the newest
evaluation meeting (the evaluation demo's). All through oversight.services; idempotent: no second note once K0001 has
one, no second attendance at a meeting."""

from django.contrib.contenttypes.models import ContentType

from accounts.models import User
from applications.models import Application, CommitteeMeeting
from evaluation.models import EvaluationMeeting
from studios.models import Studio

from . import services
from .enums import Office
from .models import Attendance, SupervisionNote


def seed_demo(password):
    inspector = User.objects.filter(username="K0001").first()
    officer = User.objects.filter(username="J0001").first()
    if inspector is None or officer is None:
        return
    if not SupervisionNote.objects.filter(created_by=inspector).exists():
        application = Application.objects.order_by("pk").first()
        if application is not None:
            note = services.create_note(
                by=inspector,
                type_key="applications.application",
                object_id=application.pk,
                office=Office.TEACHING_AFFAIRS,
                subject="申报材料中荣誉证书的核验情况",
                text="请说明该申报所附荣誉证书是否已与发证单位核实，并附核验记录。",
            )
            services.answer_note(
                note, by=officer, text="已于本周与发证单位电话核实，证书真实有效，核验记录已存入申报附件。"
            )
        studio = Studio.objects.order_by("pk").first()
        if studio is not None:
            services.create_note(
                by=inspector,
                type_key="studios.studio",
                object_id=studio.pk,
                office=Office.TEACHING_AFFAIRS,
                subject="工作室例会记录不完整",
                text="本学期工作室例会记录仅有两次，请核实例会制度的执行情况并答复。",
            )
    # The meetings the other demos held (seed_demo runs oversight after applications and evaluation): the newest
    # recognition committee meeting and the newest evaluation meeting, each recorded once.
    meetings = (
        ("applications.committeemeeting", CommitteeMeeting, "全程列席表决过程。"),
        ("evaluation.evaluationmeeting", EvaluationMeeting, "列席年度考核认定会议，监督认定过程。"),
    )
    for kind_key, model, remark in meetings:
        meeting = model.objects.order_by("-held_on", "-pk").first()
        content_type = ContentType.objects.get_for_model(model)
        if (
            meeting is None
            or Attendance.objects.filter(person=inspector, content_type=content_type, object_id=meeting.pk).exists()
        ):
            continue
        services.record_attendance(by=inspector, kind_key=kind_key, meeting_id=meeting.pk, remark=remark)
