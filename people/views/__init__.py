from .enterprises import enterprise_agreement, enterprise_detail, enterprise_edit, enterprise_list
from .mine import (
    eligibility,
    honor_certificate,
    honor_delete,
    honor_edit,
    my_eligibility,
    my_profile_edit,
    my_record,
    work_delete,
    work_edit,
    work_proof,
)
from .staff import roster_import, roster_template, staff_detail, staff_edit, staff_list

__all__ = [
    "eligibility",
    "enterprise_agreement",
    "enterprise_detail",
    "enterprise_edit",
    "enterprise_list",
    "honor_certificate",
    "honor_delete",
    "honor_edit",
    "my_eligibility",
    "my_profile_edit",
    "my_record",
    "roster_import",
    "roster_template",
    "staff_detail",
    "staff_edit",
    "staff_list",
    "work_delete",
    "work_edit",
    "work_proof",
]
