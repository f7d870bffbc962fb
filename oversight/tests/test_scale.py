"""ops.scale's oversight step: notes of the inspector on every twentieth studio, each with its note entry and, when
answered or closed, the office's answer; the flag list runs over the scale data."""

import pytest

from ops import scale
from oversight.flags import all_flags
from oversight.models import NoteEntry, SupervisionNote

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_scale_writes_notes_with_their_entries():
    counts = scale.seed_scale(scale=0.002, seed=7)
    notes = list(SupervisionNote.objects.order_by("pk"))
    assert len(notes) == counts["oversight_notes"] >= 1
    for note in notes:
        kinds = list(NoteEntry.objects.filter(note=note).values_list("kind", flat=True))
        assert kinds[0] == "note"
        assert ("answer" in kinds) == (note.status != "open")
        assert note.office != "department" or note.department_id is not None
    assert NoteEntry.objects.count() == counts["oversight_entries"]
    assert isinstance(all_flags(), list)
    created = SupervisionNote.objects.create(
        content_type_id=notes[0].content_type_id, object_id=1, object_repr="新", stage="operation",
        office="teaching_affairs", subject="新", created_by_id=notes[0].created_by_id,
    )  # fmt: skip
    assert created.pk > notes[-1].pk  # the sequence was reset after the explicit keys
