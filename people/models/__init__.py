from .enterprise import Enterprise, ExternalAffiliation
from .evidence import Honor, HonorKind, WorkPeriod
from .policy import HonorRule, PolicyVersion
from .profile import StaffProfile

__all__ = [
    "Enterprise",
    "ExternalAffiliation",
    "Honor",
    "HonorKind",
    "HonorRule",
    "PolicyVersion",
    "StaffProfile",
    "WorkPeriod",
]
