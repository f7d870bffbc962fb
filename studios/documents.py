"""Documents of a studio, rendered with the engine in reports/: 认定通知 with the plaque text (PDF); the 责任书 as .docx
(docxtpl) and PDF (WeasyPrint, Noto Sans SC). Each returns (bytes, download name, content type). Permission is the
caller's job."""

from pathlib import Path

from docxtpl import Listing

from applications.policy import school_name
from reports.docx import DOCX, render_docx
from reports.pdf import PDF, render_pdf
from reports.safetext import clean_context

from .enums import role_rank
from .models import Membership, ResponsibilityLetter, Studio
from .panels import letter_targets

LETTER_TEMPLATE = Path(__file__).resolve().parent / "docx_templates" / "responsibility_letter.docx"
TARGETS_FALLBACK = "以建设方案为准。"


def approval_notice_pdf(studio):
    studio = Studio.objects.select_related("master", "department").get(pk=studio.pk)
    context = {
        "studio": studio,
        "school_name": school_name(studio.approved_on),
        "members": list(studio.memberships.select_related("user").annotate(rank=role_rank()).order_by("rank", "pk")),
    }
    return render_pdf("studios/documents/approval_notice.html", context), f"认定通知-{studio.official_name}.pdf", PDF


def letter_context(letter):
    letter = ResponsibilityLetter.objects.select_related(
        "studio__master", "studio__department", "studio__exec_lead__user", "studio__contact__user", "template"
    ).get(pk=letter.pk)
    studio = letter.studio
    members = (
        Membership.objects.filter(studio=studio, left_on__isnull=True)
        .select_related("user")
        .annotate(rank=role_rank())
        .order_by("rank", "pk")
    )
    targets = letter_targets(studio)
    return {
        "number": f"ZRS-{studio.pk:04d}-{letter.term_start:%Y}",
        "school_name": school_name(letter.term_start),
        "studio_name": studio.official_name,
        "plaque_name": studio.plaque_name,
        "master": studio.master.display_name,
        "document_number": studio.document_number,
        "department": studio.department.name,
        "term_start": f"{letter.term_start:%Y年%m月%d日}",
        "term_end": f"{letter.term_end:%Y年%m月%d日}",
        "term_years": letter.template.term_years,
        "school_duties": letter.template.school_duties,
        "studio_duties": letter.template.studio_duties,
        # the construction plan's targets (plans app, through studios.panels.register_letter_targets)
        "targets": "\n".join(targets) if targets else TARGETS_FALLBACK,
        "members": "、".join(f"{m.user.display_name}（{m.get_role_display()}）" for m in members),
        "exec_lead": studio.exec_lead.user.display_name if studio.exec_lead_id else "（未指定）",
        "contact": studio.contact.user.display_name if studio.contact_id else "（未指定）",
    }


def letter_docx(letter):
    context = clean_context(letter_context(letter))
    for key in ("school_duties", "studio_duties", "targets"):
        context[key] = Listing(context[key])  # keeps the line breaks typed in the template
    return render_docx(LETTER_TEMPLATE, context), f"责任书-{context['studio_name']}.docx", DOCX


def letter_pdf(letter):
    context = letter_context(letter)
    return (
        render_pdf("studios/documents/responsibility_letter.html", context),
        f"责任书-{context['studio_name']}.pdf",
        PDF,
    )
