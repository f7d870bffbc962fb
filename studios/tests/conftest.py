import pytest

from studios import panels


@pytest.fixture(autouse=True)
def _studio_registries_only(request):
    """The studios tests check the studio page as studios builds it: panels, tasks and letter targets that later apps
    register (ledger, plans) are set aside for the test, unless it uses the `all_panels` fixture (then the page is
    measured with everything the installed apps register)."""
    if "all_panels" in request.fixturenames:
        yield
        return
    saved = (dict(panels._PANELS), list(panels._TASK_PROVIDERS), list(panels._LETTER_TARGETS))
    panels._PANELS.clear()
    panels._TASK_PROVIDERS[:] = [p for p in saved[1] if p.__module__.startswith("studios.")]
    panels._LETTER_TARGETS.clear()
    try:
        yield
    finally:
        panels._PANELS.clear()
        panels._PANELS.update(saved[0])
        panels._TASK_PROVIDERS[:] = saved[1]
        panels._LETTER_TARGETS[:] = saved[2]


@pytest.fixture
def all_panels():
    """Keep every registered panel and task provider (see _studio_registries_only)."""
