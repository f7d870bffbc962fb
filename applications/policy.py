"""The policy parameters this app reads (school name, publicity days…), from people.policy when it is available."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db import DatabaseError, transaction

from people.policy import policy_in_force


@dataclass(frozen=True)
class PolicyDefaults:
    """Used only when no PolicyVersion is in force: the values of the 2026 policy text."""

    school_name: str
    publicity_days: int = 3
    publicity_working_days: bool = True
    min_core_teachers: int = 3
    master_max_age: int = 45


def policy_for(on: date):
    """The policy in force on `on` (people.policy.policy_in_force), else the defaults of the policy text."""
    try:
        # A savepoint: a failing read must not abort the caller's transaction on PostgreSQL.
        with transaction.atomic():
            policy = policy_in_force(on)
    except DatabaseError:  # the people tables are not migrated yet
        policy = None
    return policy or PolicyDefaults(school_name=settings.SCHOOL_NAME)


def school_name(on: date) -> str:
    return getattr(policy_for(on), "school_name", "") or settings.SCHOOL_NAME


def policy_for_call(call):
    """The parameters a call uses: the version in force for its policy year (Call.policy_year)."""
    return policy_for(date(call.policy_year, 12, 31))
