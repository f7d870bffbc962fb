"""The policy parameters this app reads (school name, publicity days…), from people.policy when it is available."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings


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
        from people.policy import policy_in_force
    except ImportError:
        return PolicyDefaults(school_name=settings.SCHOOL_NAME)
    try:
        policy = policy_in_force(on)
    except Exception:  # no version configured for that date: fall back to the policy text
        policy = None
    return policy or PolicyDefaults(school_name=settings.SCHOOL_NAME)


def school_name(on: date) -> str:
    return getattr(policy_for(on), "school_name", "") or settings.SCHOOL_NAME
