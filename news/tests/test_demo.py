import pytest
from django.core.management import call_command

from core.models import AuditEvent
from ledger.models import Achievement
from news.demo import NOTICES
from news.models import Notice, Post
from people.models import Honor

pytestmark = pytest.mark.django_db


def test_demo_has_notices_posts_and_public_items_and_seeding_twice_adds_nothing():
    call_command("seed_demo", quiet=True)
    ours = Notice.objects.filter(source="")  # other apps' demos post system notices (source set) too
    assert ours.filter(status="published").count() == 2
    assert ours.filter(is_public=True).count() == 1
    assert sorted(Post.objects.values_list("status", flat=True)) == ["published", "submitted"]
    assert Honor.objects.filter(user__username="T2001", is_public=True).count() == 1
    assert Achievement.objects.filter(landmark=True, public=True, status="confirmed").exists()
    events = AuditEvent.objects.count()
    call_command("seed_demo", quiet=True)
    assert AuditEvent.objects.count() == events and Post.objects.count() == 2
    assert set(ours.values_list("title", flat=True)) == {n[0] for n in NOTICES}
