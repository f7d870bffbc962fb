"""The showcase's per-process page cache (settings.SHOWCASE_CACHE_SECONDS): a repeat within the time reads no row and
gives the same page and ETag; a change shows once the time is over; a full cache is emptied, not grown."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ledger.tests.helpers import make_studio
from showcase import views
from studios.models import Studio

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.SHOWCASE_CACHE_SECONDS = 30
    views._CACHE.clear()
    yield
    views._CACHE.clear()


def test_repeat_within_the_time_reads_nothing(department, cached):
    studio, _master, _team = make_studio(department)
    url = reverse("showcase:studio", args=[studio.pk])
    first = Client().get(url)
    assert first.status_code == 200 and studio.plaque_name in first.content.decode()
    with CaptureQueriesContext(connection) as ctx:
        again = Client().get(url)
        conditional = Client().get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert len(ctx.captured_queries) == 0
    assert again.content == first.content and again["ETag"] == first["ETag"]
    assert conditional.status_code == 304
    assert "max-age=60" in again["Cache-Control"]


def test_a_change_shows_once_the_time_is_over(department, cached, monkeypatch):
    studio, _master, _team = make_studio(department)
    url = reverse("showcase:studio", args=[studio.pk])
    assert Client().get(url).status_code == 200
    Studio.objects.filter(pk=studio.pk).update(status="revoked")
    assert Client().get(url).status_code == 200  # within the time: the page as rendered
    now = views.time.monotonic()
    monkeypatch.setattr(views.time, "monotonic", lambda: now + 31)
    assert Client().get(url).status_code == 404  # a revoked studio is gone after at most SHOWCASE_CACHE_SECONDS


def test_off_when_zero_and_bounded(department, settings, monkeypatch):
    views._CACHE.clear()
    settings.SHOWCASE_CACHE_SECONDS = 0
    Client().get(reverse("showcase:home"))
    assert views._CACHE == {}
    settings.SHOWCASE_CACHE_SECONDS = 30
    monkeypatch.setattr(views, "CACHE_ENTRIES", 3)
    for n in range(5):
        assert Client().get(reverse("showcase:home") + f"?q=查询{n}").status_code == 200
        assert len(views._CACHE) <= 3
    views._CACHE.clear()
