"""The public showcase: anonymous pages and API built only from published data. A PII scan seeds ID numbers, phones,
birth dates and e-mails on masters and members and finds none of them (nor anything shaped like one) in any public
page or API response; unpublished items stay hidden; a revoked studio disappears; conditional GET; constant queries."""

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ledger.models import Achievement
from ledger.tests.helpers import jpeg_with_gps, make_studio
from news import services as news
from people.models import Honor, HonorKind, StaffProfile
from people.services import _apply_id_number
from people.tests.factories import make_id_number
from showcase import services
from studios.models import Studio
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ID_18 = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PHONE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def _sensitive(user, n):
    birth = dt.date(1980 + n, 3, 7 + n)
    user.phone = f"1390000{n:04d}"
    user.email = f"secret{n}@private.example"
    user.save()
    profile = StaffProfile(user=user, birth_date=birth, title="高级讲师", phone=f"1370000{n:04d}")
    number = make_id_number(birth, f"{n:03d}")
    _apply_id_number(profile, number)
    profile.save()
    return [user.phone, user.email, profile.phone, number, number[-4:] and profile.id_number_masked,
            birth.isoformat(), f"{birth:%Y年%m月%d日}", user.username]  # fmt: skip


@pytest.fixture
def world(department, dept_head, teaching_affairs):
    studio, master, team = make_studio(department)
    secrets = []
    for n, person in enumerate([master, *team]):
        secrets += _sensitive(person, n)
    kind = HonorKind.objects.get_or_create(code="skill_master", defaults={"name": "技能大师"})[0]
    shown = Honor.objects.create(
        user=master, kind=kind, title="全国技术能手", level="national", date=dt.date(2020, 1, 1), issuer="人社部"
    )
    Honor.objects.create(
        user=master, kind=kind, title="未公开的荣誉", level="city", date=dt.date(2021, 1, 1), issuer="某局"
    )
    services.set_honor_public(shown, by=master, public=True)
    common = {"studio": studio, "date": dt.date(2024, 5, 1), "created_by": master, "status": "confirmed",
              "kind": "patent", "level": "national", "landmark": True}  # fmt: skip
    Achievement.objects.create(title="公开的标志性成果", public=True, **common)
    Achievement.objects.create(title="未公开的成果", public=False, **common)
    post = news.create_post(studio, by=master, title="已发布的报道", body="工作室开展技能培训。")
    news.add_post_photo(post, by=master, upload=jpeg_with_gps())
    news.submit_post(post, by=master)
    news.publish_post(post, by=dept_head)
    news.create_post(studio, by=master, title="草稿报道", body="未发布")
    public = news.create_notice(by=teaching_affairs, title="公开通知", body="面向社会", is_public=True)
    internal = news.create_notice(by=teaching_affairs, title="内部通知", body="仅校内")
    news.publish_notice(public, by=teaching_affairs)
    news.publish_notice(internal, by=teaching_affairs)
    return {"studio": studio, "master": master, "team": team, "post": post, "public": public, "internal": internal,
            "secrets": secrets}  # fmt: skip


def _public_urls(w):
    studio, post, notice = w["studio"].pk, w["post"].pk, w["public"].pk
    pages = [
        reverse("showcase:home"), reverse("showcase:home") + "?q=工作室", reverse("showcase:studio", args=[studio]),
        reverse("showcase:post", args=[post]), reverse("showcase:notices"), reverse("showcase:notice", args=[notice]),
    ]  # fmt: skip
    api = [
        "/api/v1/showcase/studios/", f"/api/v1/showcase/studios/{studio}", "/api/v1/showcase/posts/",
        f"/api/v1/showcase/posts/{post}", "/api/v1/showcase/notices/", f"/api/v1/showcase/notices/{notice}",
    ]  # fmt: skip
    return pages, api


def test_pii_scan_of_every_public_page_and_api_response(world):
    pages, api = _public_urls(world)
    anon = Client()
    for url in pages + api:
        response = anon.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        if url.startswith("/api/"):
            text = json.dumps(response.json(), ensure_ascii=False)
        for secret in world["secrets"]:
            assert secret not in text, (url, secret)
        assert not ID_18.search(text), (url, ID_18.search(text))
        assert not PHONE.search(text), (url, PHONE.search(text))
        assert not EMAIL.search(text), (url, EMAIL.search(text))


def test_studio_page_shows_only_what_is_published(world):
    html = Client().get(reverse("showcase:studio", args=[world["studio"].pk])).content.decode()
    assert world["studio"].plaque_name in html and world["master"].display_name in html
    assert "全国技术能手" in html and "未公开的荣誉" not in html
    assert "公开的标志性成果" in html and "未公开的成果" not in html
    assert "已发布的报道" in html and "草稿报道" not in html
    assert all(m.display_name in html for m in world["team"])
    notices = Client().get(reverse("showcase:notices")).content.decode()
    assert "公开通知" in notices and "内部通知" not in notices
    assert Client().get(reverse("showcase:notice", args=[world["internal"].pk])).status_code == 404
    draft = world["studio"].posts.get(title="草稿报道")
    assert Client().get(reverse("showcase:post", args=[draft.pk])).status_code == 404
    assert Client().get(f"/api/v1/showcase/posts/{draft.pk}").status_code == 404


def test_photo_served_publicly_without_exif(world):
    from PIL import Image  # noqa: PLC0415

    photo = world["post"].photos.get()
    response = Client().get(reverse("showcase:post_photo", args=[world["post"].pk, photo.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    image = Image.open(__import__("io").BytesIO(b"".join(response.streaming_content)))
    assert not image.getexif()


def test_revoked_studio_disappears(world):
    Studio.objects.filter(pk=world["studio"].pk).update(status="revoked")
    anon = Client()
    assert anon.get(reverse("showcase:studio", args=[world["studio"].pk])).status_code == 404
    assert anon.get(reverse("showcase:post", args=[world["post"].pk])).status_code == 404
    assert anon.get(f"/api/v1/showcase/studios/{world['studio'].pk}").status_code == 404
    assert world["studio"].plaque_name not in anon.get(reverse("showcase:home")).content.decode()


def test_conditional_get_and_public_cache(world, dept_head):
    anon = Client()
    url = reverse("showcase:studio", args=[world["studio"].pk])
    first = anon.get(url)
    assert "public" in first["Cache-Control"] and "max-age=" in first["Cache-Control"]
    etag = first["ETag"]
    assert anon.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    post = news.create_post(world["studio"], by=world["master"], title="又一篇报道", body="内容")
    news.submit_post(post, by=world["master"])
    assert anon.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304  # a submitted post is not public yet
    news.publish_post(post, by=dept_head)
    changed = anon.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_signed_in_users_see_the_same_public_page(world, login, inspector):
    url = reverse("showcase:studio", args=[world["studio"].pk])
    assert login(inspector).get(url).content == Client().get(url).content


def test_only_master_or_head_marks_public(world, outsider):
    honor = Honor.objects.get(title="未公开的荣誉")
    with pytest.raises(Exception):  # noqa: B017, PT011 - PermissionDenied
        services.set_honor_public(honor, by=outsider, public=True)
    honor.refresh_from_db()
    assert honor.is_public is False


def _queries(url):
    anon = Client()
    with CaptureQueriesContext(connection) as ctx:
        assert anon.get(url).status_code == 200
    return len(ctx)


def test_query_count_constant_in_data_size(department, dept_head):
    studio, master, _team = make_studio(department, members=1)
    post = news.create_post(studio, by=master, title="报道0", body="x")
    news.add_post_photo(post, by=master, upload=jpeg_with_gps())
    news.submit_post(post, by=master)
    news.publish_post(post, by=dept_head)
    home, page = reverse("showcase:home"), reverse("showcase:studio", args=[studio.pk])
    small = (_queries(home), _queries(page))
    for i in range(15):
        other, m, _t = make_studio(department, members=0, name=f"工作室{i}")
        UserFactory(department=department)
    for i in range(1, 12):
        p = news.create_post(studio, by=master, title=f"报道{i}", body="x")
        news.add_post_photo(p, by=master, upload=jpeg_with_gps())
        news.submit_post(p, by=master)
        news.publish_post(p, by=dept_head)
    more, more_master, _team = make_studio(department, members=8, name="大团队")
    p = news.create_post(more, by=more_master, title="大团队报道", body="x")
    news.submit_post(p, by=more_master)
    news.publish_post(p, by=dept_head)
    assert (_queries(home), _queries(page)) == small
    assert _queries(reverse("showcase:studio", args=[more.pk])) == small[1]
