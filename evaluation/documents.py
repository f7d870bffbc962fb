"""Documents of 年度考核: the 考核结果通知 of one studio (PDF) and the round's results (xlsx, the one writer). Each
returns (bytes, download name, content type). Permission is the caller's job."""

from django.utils import timezone

from applications.policy import school_name
from reports.pdf import PDF, render_pdf
from reports.xlsx import XLSX, workbook_bytes

from . import votes
from .enums import Grade, Veto
from .models import Scorecard


def grade_label(code):
    return Grade(code).label if code else ""


def veto_labels(codes):
    return [Veto(v).label for v in codes or []]


def result_notice_pdf(scorecard):
    card = Scorecard.objects.select_related("round", "studio__master", "studio__department").get(pk=scorecard.pk)
    data = card.snapshot or {}
    context = {
        "card": card,
        "round": card.round,
        "studio": card.studio,
        "school_name": school_name(
            timezone.localdate(card.round.confirmed_at) if card.round.confirmed_at else timezone.localdate()
        ),
        "grade": grade_label(card.confirmed_grade),
        "total": data.get("total"),
        "lines": data.get("lines", []),
        "vetoes": veto_labels(data.get("vetoes")),
    }
    # the record of the meeting that confirmed the grades (the latest; no meeting can be recorded after confirmation).
    # The votes appear with their decision; the reasons of 不同意 (which may name other studios) stay on the round page.
    meeting = votes.latest_meeting(card.round_id)
    if meeting is not None:
        context["meeting"] = meeting
        context["present"] = list(meeting.members_present.order_by("pk"))
        context["tally"] = votes.tally(meeting, {m.pk for m in context["present"]})
    name = f"{card.round.year}年度考核结果通知-{card.studio.official_name}.pdf"
    return render_pdf("evaluation/documents/result_notice.html", context), name, PDF


def results_xlsx(round_):
    rows = (
        Scorecard.objects.filter(round=round_)
        .order_by("-total", "pk")
        .values_list(
            "studio__official_name",
            "studio__department__name",
            "studio__master__display_name",
            "total",
            "suggested_grade",
            "proposed_grade",
            "confirmed_grade",
            "vetoes",
            "grade_note",
            "grade_reason",
        )
    )
    header = ["工作室", "所在系部", "技能大师", "总分", "建议等级", "发改室拟定等级", "认定等级", "否决/限定事项",
              "等级说明", "认定理由"]  # fmt: skip
    data = [
        [name, dept, master, "" if total is None else str(total), grade_label(s), grade_label(p), grade_label(c),
         "；".join(veto_labels(v)), note, reason]
        for name, dept, master, total, s, p, c, v, note, reason in rows
    ]  # fmt: skip
    title = f"{round_.year}年度技能大师工作室考核结果（共 {len(data)} 个）"
    return workbook_bytes(title, header, data, sheet_name="考核结果"), f"{round_.year}年度考核结果.xlsx", XLSX
