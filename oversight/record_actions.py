"""「添加监督意见」 on every record page a note can attach to (core.record_actions, registered in apps.ready()).

Only the inspector sees it: for anyone else the provider returns nothing without a query. For the inspector one query
counts the record's notes (all, and those still 待答复) for the small 「监督意见 N 条（未答复 M）」 link.
"""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse

from core.record_actions import RecordAction

from .enums import NoteStatus
from .models import SupervisionNote
from .permissions import is_inspector
from .registry import target_for_model


def record_key(obj):
    return f"{obj._meta.label_lower}:{obj.pk}"


def note_actions(request, obj):
    user = getattr(request, "user", None)
    if user is None or not is_inspector(user) or obj.pk is None:
        return []
    target = target_for_model(type(obj))
    if target is None:
        return []
    new_url = reverse("oversight:note_new") + "?" + urlencode({"type": target.key, "id": obj.pk})
    actions = [RecordAction("添加监督意见", new_url, icon="chat-square-text", testid="add-note")]
    app_label, model = target.key.split(".")
    counts = SupervisionNote.objects.filter(
        content_type__app_label=app_label, content_type__model=model, object_id=obj.pk
    ).aggregate(total=Count("pk"), open=Count("pk", filter=Q(status=NoteStatus.OPEN)))
    if counts["total"]:
        list_url = reverse("oversight:notes") + "?" + urlencode({"record": record_key(obj)})
        label = f"监督意见 {counts['total']} 条（未答复 {counts['open']}）"
        actions.append(RecordAction(label, list_url, icon="chat-dots", kind="link", testid="record-notes"))
    return actions
