import pytest


@pytest.fixture(autouse=True)
def _people_defaults(request):
    """The data migration's rows (honour kinds, the 2026 policy) are wiped by any transactional test's flush that ran
    earlier in the session: put them back for every database test of this app."""
    uses_db = request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)
    if not uses_db:
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    from people.policy import ensure_policy_version

    ensure_policy_version(2026)
