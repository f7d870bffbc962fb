"""seed_scale's news step (bench data): posts of every studio over the plan years, most published, and notices, some
public — inserted with explicit keys, and the database still hands out fresh keys after."""

import pytest

from news.models import Notice, Post, PostPhoto
from ops import scale

pytestmark = pytest.mark.django_db(transaction=True)


def test_seed_scale_news_rows():
    counts = scale.seed_scale(scale=0.002, seed=7)
    assert Post.objects.count() == counts["news_posts"] >= counts["studios"] * 5 * 2
    assert Post.objects.filter(status="published").count() > 0.7 * counts["news_posts"]
    assert PostPhoto.objects.count() == counts["news_photos"]
    assert Notice.objects.count() == counts["news_notices"] and Notice.objects.filter(is_public=True).exists()
    studio_id = Post.objects.values_list("studio_id", flat=True).first()
    fresh = Post.objects.create(
        studio_id=studio_id, title="新", body="x", created_by_id=Post.objects.first().created_by_id
    )
    assert fresh.pk > max(Post.objects.exclude(pk=fresh.pk).values_list("pk", flat=True))
