"""我的工作台: open supervision notes waiting for the user's office (待答复的监督意见), and for the inspector his notes
that were answered and wait for him to close them. Querysets, counted by core.navigation.inbox_for together with the
other apps' in one statement."""

from django.urls import reverse

from core.navigation import InboxEntry

from .enums import NoteStatus
from .models import SupervisionNote
from .permissions import addressed_q, is_inspector


def oversight_inbox(user):
    entries = []
    q = addressed_q(user)
    if q is not None:
        count = SupervisionNote.objects.filter(q, status=NoteStatus.OPEN)
        entries.append(
            InboxEntry("待答复的监督意见", count, reverse("oversight:notes") + "?status=open", icon="chat-square-text")
        )
    if is_inspector(user):
        count = SupervisionNote.objects.filter(created_by=user, status=NoteStatus.ANSWERED)
        entries.append(
            InboxEntry("已答复待办结的监督意见", count, reverse("oversight:notes") + "?status=answered", icon="check2")
        )
    return entries
