"""Writes of the application process. Every function takes `by=` the acting user, runs in one transaction and leaves
an audit event; refusals raise WorkflowError (rule/permission, Chinese message) or ValidationError (bad input) and
change nothing."""

from .approval import approve_application, disqualify_application
from .calls import close_call, create_call, open_call
from .committee import cancel_meeting, cast_vote, close_meeting, create_meeting, revote
from .drafts import (
    StaleVersionError,
    add_attachment,
    calls_open_to,
    create_application,
    creation_refusal,
    delete_attachment,
    move_application,
    recommend_application,
    replace_attachment,
    return_application,
    save_draft,
    submit_application,
    withdraw_application,
)
from .publicity import (
    add_investigation_evidence,
    announce_publicity,
    lodge_objection,
    publish_publicity,
    resolve_objection,
    start_investigation,
)
from .reviews import assign_experts, declare_no_conflict, recuse, save_review_draft, submit_review

__all__ = [
    "add_investigation_evidence",
    "announce_publicity",
    "delete_attachment",
    "replace_attachment",
    "save_review_draft",
    "start_investigation",
    "StaleVersionError",
    "add_attachment",
    "calls_open_to",
    "approve_application",
    "assign_experts",
    "cancel_meeting",
    "cast_vote",
    "close_call",
    "close_meeting",
    "create_application",
    "creation_refusal",
    "create_call",
    "create_meeting",
    "declare_no_conflict",
    "disqualify_application",
    "lodge_objection",
    "move_application",
    "open_call",
    "publish_publicity",
    "recommend_application",
    "recuse",
    "resolve_objection",
    "return_application",
    "revote",
    "save_draft",
    "submit_application",
    "submit_review",
    "withdraw_application",
]
