"""Blind review (匿名评审): an assigned expert never learns who applied — pages, lists, API, history, downloads,
generated documents — through one rule, can(user, "see_identity", app) (issue 8 defect 2)."""

import pytest

from accounts.permissions import can
from applications import services
from applications.enums import AttachmentKind
from applications.models import Call

from .conftest import pdf_upload, reload

pytestmark = pytest.mark.django_db
API = "/api/v1/applications"


@pytest.fixture
def blind_app(complete_draft, applicant, dept_head):
    """A blind-call application under review; the applicant also attached 其他证明材料; experts 1 and 2 declared."""
    Call.objects.filter(pk=complete_draft.call_id).update(blind_review=True)
    services.add_attachment(
        complete_draft, by=applicant, kind=AttachmentKind.OTHER, uploaded_file=pdf_upload("张三-场地照片.pdf")
    )
    services.submit_application(complete_draft, by=applicant, note="请审核（申报人张三）")
    services.recommend_application(complete_draft, by=dept_head, opinion="同意推荐。", r7="pass", r8="pass")
    return reload(complete_draft)


@pytest.fixture
def reviewing(blind_app, teaching_affairs, experts):
    services.assign_experts([blind_app], experts[:2], by=teaching_affairs)
    services.move_application(blind_app, "under_review", by=teaching_affairs)
    for assignment in blind_app.assignments.select_related("expert"):
        services.declare_no_conflict(assignment, by=assignment.expert)
    return reload(blind_app)


def test_the_rule(reviewing, applicant, dept_head, teaching_affairs, experts, inspector):
    app = reviewing
    assert not can(experts[0], "see_identity", app)
    for user in (applicant, dept_head, teaching_affairs, inspector, experts[2]):
        assert can(user, "see_identity", app), user
    # not blind: the same expert sees the applicant
    Call.objects.filter(pk=app.call_id).update(blind_review=False)
    assert can(experts[0], "see_identity", reload(app))


def test_api_detail_list_and_history_hide_the_applicant(reviewing, applicant, experts, dept_head, login):
    app = reviewing
    client = login(experts[0])
    detail = client.get(f"{API}/{app.pk}").json()
    assert detail["applicant_id"] is None and detail["applicant_name"] is None
    assert detail["studio_name"] == app.studio_name
    items = client.get(f"{API}/").json()["items"]
    assert [(i["id"], i["applicant_id"], i["applicant_name"]) for i in items] == [(app.pk, None, None)]
    history = client.get(f"{API}/{app.pk}/history").json()
    assert applicant.pk not in [h["by_id"] for h in history]
    assert "张三" not in str(history)
    assert dept_head.pk in [h["by_id"] for h in history]  # officers' moves stay attributed
    assert client.get(f"{API}/{app.pk}/precheck").status_code == 403
    # the department head sees the same records with the applicant
    client = login(dept_head)
    assert client.get(f"{API}/{app.pk}").json()["applicant_id"] == applicant.pk
    assert applicant.pk in [h["by_id"] for h in client.get(f"{API}/{app.pk}/history").json()]


def test_pages_hide_the_applicant_and_name_search_is_no_oracle(reviewing, applicant, experts, login):
    app = reviewing
    client = login(experts[0])
    for url in (f"/applications/{app.pk}/", "/applications/", f"/applications/reviews/{app.assignments.first().pk}/"):
        body = client.get(url).content.decode()
        assert applicant.display_name not in body and applicant.username not in body, url
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert "办理记录" in page and "申报人：" in page  # history shown, the applicant's move masked
    # searching by the applicant's name does not confirm who applied
    found = client.get("/applications/", {"q": applicant.display_name}).content.decode()
    assert app.studio_name not in found
    assert app.studio_name in client.get("/applications/", {"q": app.studio_name[:4]}).content.decode()


def test_downloads_withhold_identifying_attachments(reviewing, applicant, experts, teaching_affairs, login):
    app = reviewing
    scan = app.attachments.get(kind=AttachmentKind.FORM_SCAN)
    other = app.attachments.get(kind=AttachmentKind.OTHER)
    client = login(experts[0])
    assert client.get(f"/applications/{app.pk}/attachments/{scan.pk}/").status_code == 403
    response = client.get(f"/applications/{app.pk}/attachments/{other.pk}/")
    assert response.status_code == 200
    assert "张三" not in response["Content-Disposition"] and "%E5%BC%A0" not in response["Content-Disposition"]
    assert client.get(f"/applications/{app.pk}/form.pdf").status_code == 403
    assert client.get(f"/applications/{app.pk}/form.docx").status_code == 403
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert f"/attachments/{scan.pk}/" not in page and f"/attachments/{other.pk}/" in page
    client = login(teaching_affairs)
    assert client.get(f"/applications/{app.pk}/attachments/{scan.pk}/").status_code == 200
