import pytest


@pytest.fixture(autouse=True)
def _requirement_catalogue(request):
    """The default catalogue (migration 0002) is wiped by a transactional test's flush: put it back."""
    if not (request.node.get_closest_marker("django_db") or {"db", "transactional_db"} & set(request.fixturenames)):
        return
    request.getfixturevalue("transactional_db" if "transactional_db" in request.fixturenames else "db")
    from recommendations.defaults import ensure_default_requirements

    ensure_default_requirements()
