"""The oversight registries: what a supervision note can be attached to (note targets), which meetings the inspector
records his attendance at, and the console's sections. oversight fills them for the apps below it (targets.py); a
later app (evaluation, annual) may add its own with register_note_target / register_meeting / register_console_section
from its AppConfig.ready() — or oversight registers it once that app exists (it sits above them)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NoteTarget:
    """A kind of record a 监督意见 can be attached to. `department` is the ORM path from the record to its department
    (for the 系部 office), or "" when the record has none; `url(obj)` the record's page."""

    key: str  # model label, "applications.application"
    model: type
    label: str
    stage: str
    department: str
    url: Callable
    order: int = 100
    # relations fetched with the record (select_related) when a note is attached: what its str() names
    related: tuple = ()


@dataclass(frozen=True)
class MeetingKind:
    """A kind of meeting the inspector attends: `date` is the field holding the meeting's date."""

    key: str
    model: type
    label: str
    date: str
    url: Callable
    # rows(user) → the meetings the user sees, when the model has no ObjectPolicy of its own (None: visible_to)
    rows: Callable | None = None


@dataclass(frozen=True)
class ConsoleSection:
    """One line of the inspector console: `rows(user)` is the queryset of the rows the user sees (counted with one
    COUNT), `url_name` the list it links to."""

    key: str
    label: str
    rows: Callable
    url_name: str
    group: str
    order: int = 100
    query: str = ""

    def url(self):
        return reverse(self.url_name) + (f"?{self.query}" if self.query else "")


_TARGETS: dict[str, NoteTarget] = {}
_MEETINGS: dict[str, MeetingKind] = {}
_SECTIONS: dict[str, ConsoleSection] = {}


def register_note_target(target: NoteTarget):
    _TARGETS[target.key] = target


def register_meeting(kind: MeetingKind):
    _MEETINGS[kind.key] = kind


def register_console_section(section: ConsoleSection):
    _SECTIONS[section.key] = section


def note_targets():
    return sorted(_TARGETS.values(), key=lambda t: (t.order, t.key))


def note_target(key):
    return _TARGETS.get(str(key or ""))


def target_for_model(model):
    return _TARGETS.get(model._meta.label_lower)


def meeting_kinds():
    return list(_MEETINGS.values())


def meeting_kind(key):
    return _MEETINGS.get(str(key or ""))


def console_sections():
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))
