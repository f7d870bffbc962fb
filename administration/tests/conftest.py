import pytest

from accounts.enums import Role
from tests.factories import UserFactory


@pytest.fixture
def hr_officer(db):
    return UserFactory(username="R9001", display_name="人事甲", department=None, roles=[Role.HR])


@pytest.fixture
def coop_officer(db):
    return UserFactory(username="Q9001", display_name="校企办甲", department=None, roles=[Role.COOP_OFFICE])


@pytest.fixture
def audit_actions():
    """audit_actions() → the action codes written since the fixture was created, in order (sign-ins left out: the
    test client's force_login is audited like any other sign-in)."""
    from core.models import AuditEvent

    start = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def _actions():
        rows = AuditEvent.objects.filter(id__gt=start).exclude(action__startswith="accounts.login.")
        return list(rows.order_by("id").values_list("action", flat=True))

    return _actions


@pytest.fixture
def queries_for():
    """queries_for(client, url) → how many SQL statements one GET of url costs."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def _count(client, url):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        return len(captured)

    return _count
