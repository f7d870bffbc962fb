"""What each kind of record must carry to count as evidence — the ONE place that says it.

A record counts towards an indicator (plans/, the annual evaluation) only when it is confirmed by the department AND
its required evidence is attached. `REQUIRED` maps a record model's label to either a set of attachment kinds (any
one of them satisfies it) or, for models with a `kind` field, {kind: set of attachment kinds}. The SQL form is
`evidence_q(model)` (used by `Model.objects.with_evidence()` / `.countable()`), so counting never loops in Python.
"""

from functools import reduce
from operator import or_

from django.db.models import Exists, OuterRef, Q

from .enums import AchievementKind as K
from .enums import AttachmentKind as A

REQUIRED = {
    "activity": {A.PHOTO, A.SIGN_IN},
    "mentorship": {A.AGREEMENT},
    # A meeting's minutes may be typed in (minutes text) instead of attached: see evidence_q.
    "meeting": {A.MINUTES, A.SIGN_IN, A.PHOTO},
    "project": {A.CONTRACT},
    "achievement": {
        K.PATENT: {A.CERTIFICATE},
        K.SOFTWARE: {A.CERTIFICATE},
        K.AWARD: {A.CERTIFICATE},
        K.PAPER: {A.PUBLICATION},
        K.TEXTBOOK: {A.PUBLICATION},
        K.RESOURCE: {A.OTHER, A.PHOTO, A.PUBLICATION},
        K.PRODUCT: {A.PROOF_LETTER, A.CERTIFICATE, A.PHOTO},
        K.STANDARD: {A.PUBLICATION, A.CERTIFICATE},
        K.ADOPTED: {A.PROOF_LETTER},
    },
}


def required_kinds(record):
    """The attachment kinds (any one suffices) `record` needs, as a set of codes."""
    rule = REQUIRED[record._meta.model_name]
    if isinstance(rule, dict):
        return {str(k) for k in rule.get(record.kind, ())}
    return {str(k) for k in rule}


def describe_requirement(record):
    """Chinese sentence: what is still missing, or "" when the evidence is complete."""
    from .enums import AttachmentKind

    if record._meta.model_name == "meeting" and record.minutes.strip():
        return ""
    kinds = required_kinds(record)
    present = {a.kind for a in record.attachments.all()}
    if kinds & present:
        return ""
    names = "或".join(AttachmentKind(k).label for k in sorted(kinds))
    return f"尚缺必备佐证材料：{names}（至少一份）。"


def _has_attachment(model, kinds):
    # The Attachment model through the record's reverse relation: models.py imports this module, not the other way.
    attachment = model._meta.get_field("attachments").related_model
    return Exists(attachment.objects.filter(**{model._meta.model_name: OuterRef("pk")}, kind__in=sorted(kinds)))


def evidence_q(model):
    """A Q that is true for rows of `model` carrying their required evidence (one EXISTS per rule)."""
    rule = REQUIRED[model._meta.model_name]
    if isinstance(rule, dict):
        return reduce(or_, (Q(kind=kind) & Q(_has_attachment(model, kinds)) for kind, kinds in rule.items()))
    q = Q(_has_attachment(model, rule))
    if model._meta.model_name == "meeting":
        q |= ~Q(minutes="")
    return q
