"""Records of the application process; one module per stage (docs/domain.md §6: split when a file gets crowded)."""

from .application import Application, ApplicationMember, Attachment
from .calls import Call, Rubric, RubricCriterion
from .committee import CommitteeMeeting, Revote, Vote
from .publicity import Objection, Publicity, WorkdayOverride
from .review import ReviewAssignment

__all__ = [
    "Application",
    "ApplicationMember",
    "Attachment",
    "Call",
    "CommitteeMeeting",
    "Objection",
    "Publicity",
    "Revote",
    "ReviewAssignment",
    "Rubric",
    "RubricCriterion",
    "Vote",
    "WorkdayOverride",
]
