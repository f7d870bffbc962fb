"""Studios for tests: registered (历史登记) through the service, so every rule and audit event applies."""

import datetime as dt

from studios.enums import MembershipRole
from studios.services import MemberInput, Registration, register_studio
from tests.factories import UserFactory

APPROVED_ON = dt.date(2024, 6, 1)


def make_studio(by, *, master, department, cores=4, members=0, name="数控加工技能大师工作室", mode="school", **extra):
    """A registered studio with `cores` core teachers and `members` plain members (users made here)."""
    team = [
        MemberInput(UserFactory(display_name=f"骨干{i}", department=department), MembershipRole.CORE)
        for i in range(cores)
    ] + [
        MemberInput(UserFactory(display_name=f"成员{i}", department=department), MembershipRole.MEMBER)
        for i in range(members)
    ]
    team += extra.pop("extra_members", [])
    reg = Registration(
        official_name=name,
        document_number="渝工校〔2024〕12号",
        approved_on=extra.pop("approved_on", APPROVED_ON),
        master=master,
        department=department,
        mode=mode,
        venue_school="实训楼A201",
        members=team,
        **extra,
    )
    return register_studio(reg, by=by)
