"""The confirmation step of irreversible actions (submit, reject, approve, disqualify — issue 9 item 4).

A form that needs it carries `data-confirm` and a hidden `confirmed` field: static/js/confirm.js asks in a dialog and
sends confirmed=1. The view acts only when `is_confirmed(request)`; otherwise (no JavaScript, or a hand-made POST) it
answers with `confirmation_page()`, which shows what is about to happen and posts the same fields again with
confirmed=1. Nothing is written before the confirmation.
"""

from django.shortcuts import render

SKIPPED_FIELDS = frozenset({"csrfmiddlewaretoken", "confirmed"})


def is_confirmed(request):
    return request.POST.get("confirmed") == "1"


def confirmation_page(request, *, title, question, details=(), cancel_url, button="确认办理", file_fields=()):
    """The no-JavaScript confirmation: `details` are (label, value) rows shown to the person; every posted field is
    sent again as a hidden input. `file_fields` [(name, label)]: a file cannot travel through a page, so the person
    chooses it again here (the page says so)."""
    hidden = [(k, v) for k in request.POST for v in request.POST.getlist(k) if k not in SKIPPED_FIELDS]
    return render(
        request,
        "core/confirm.html",
        {
            "title": title,
            "question": question,
            "details": [(label, value) for label, value in details if value not in (None, "")],
            "hidden": hidden,
            "action": request.get_full_path(),
            "cancel_url": cancel_url,
            "button": button,
            "file_fields": list(file_fields),
        },
    )
