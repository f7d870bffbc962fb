"""What a walk through the screens as each role found: buttons say what they do, blocked steps say why, stale pages
lead somewhere."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.enums import ApplicationStatus as S

from .conftest import reload

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_the_opinion_box_offers_the_moves_by_name(complete_draft, applicant, dept_head, login):
    client = login(applicant)
    page = client.get(reverse("applications:detail", args=[complete_draft.pk]))
    form = page.context["decision_form"]
    assert form.fields["target"].choices == [("submitted", "提交申报")]
    assert form.irreversible == {"submitted"}  # submission is confirmed first (issue 9 item 4)
    response = client.post(
        reverse("applications:transition", args=[complete_draft.pk]),
        {"target": "submitted", "confirmed": "1"},
        follow=True,
    )
    assert _messages(response) == ["已办理：提交申报。当前状态：已提交（待系部审核）。"]

    page = login(dept_head).get(reverse("applications:detail", args=[complete_draft.pk]))
    form = page.context["decision_form"]
    # one opinion box: 推荐 / 退回修改 / 不予推荐, a reason required for each, 不予推荐 confirmed first
    assert [label for _, label in form.fields["target"].choices] == ["推荐", "退回修改", "不予推荐"]
    assert form.reason_required == {"recommended", "returned", "rejected"}
    assert form.irreversible == {"rejected"}
    assert form.judge  # the R7/R8 judgement with 推荐


def test_a_draft_that_cannot_be_submitted_says_why(draft, applicant, login):
    page = login(applicant).get(reverse("applications:detail", args=[draft.pk]))
    assert page.context["decision_form"] is None
    [reason] = page.context["blocked_reasons"]
    assert reason["text"].startswith("申报未通过资格预审，不能提交：")
    assert reason["url"] == reverse("applications:edit", args=[draft.pk])
    assert "暂不能办理：申报未通过资格预审" in page.content.decode()


def test_teaching_affairs_is_told_what_the_review_waits_for(complete_draft, teaching_affairs, experts, walk, login):
    app = walk(complete_draft, "recommended")
    client = login(teaching_affairs)
    page = client.get(reverse("applications:detail", args=[app.pk]))
    assert page.context["blocked_reasons"] == [
        {"text": "请先指派至少一名评审专家。", "link": "指派专家", "url": "#assign"}
    ]
    assert 'id="assign"' in page.content.decode()

    client.post(reverse("applications:assign", args=[app.pk]), {"experts": [e.pk for e in experts[:2]]})
    client.post(reverse("applications:transition", args=[app.pk]), {"target": "under_review"})
    assert reload(app).status == S.UNDER_REVIEW
    page = client.get(reverse("applications:detail", args=[app.pk]))
    assert page.context["decision_form"] is None
    assert page.context["blocked_reasons"] == [{"text": "还有 2 位专家未提交评分。"}]


def test_nobody_else_sees_reasons_for_moves_that_are_not_theirs(
    complete_draft, applicant, dept_head, inspector, walk, login
):
    app = walk(complete_draft, "recommended")
    for user in (applicant, dept_head, inspector):
        page = login(user).get(reverse("applications:detail", args=[app.pk]))
        assert page.status_code == 200
        assert page.context["decision_form"] is None and page.context["blocked_reasons"] == []


def test_a_stale_edit_page_after_submitting_says_why_in_chinese(complete_draft, applicant, login):
    from applications import services

    services.submit_application(complete_draft, by=applicant)
    client = login(applicant)
    for response in (
        client.get(reverse("applications:edit", args=[complete_draft.pk])),
        client.post(reverse("applications:attachment_upload", args=[complete_draft.pk]), {"kind": "other"}),
    ):
        assert response.status_code == 403
        text = response.content.decode()
        assert "该申报当前状态为「已提交（待系部审核）」，只有草稿或已退回修改的申报才能修改。" in text
        assert "联系系部主任退回" in text and "（edit）" not in text
    assert reload(complete_draft).attachments.count() == 1


def test_every_select_offers_a_chinese_blank_choice(teaching_affairs, rubric, login):
    from django import forms

    from core.forms import BootstrapMixin

    page = login(teaching_affairs).get(reverse("applications:call_list")).content.decode()
    assert '<option value="" selected>请选择</option>' in page
    assert "Select an option" not in page

    class Sample(BootstrapMixin, forms.Form):
        plain = forms.ChoiceField(choices=[("", "- Select an option -"), ("a", "甲")])
        own = forms.ChoiceField(choices=[("", "全部"), ("a", "甲")])

    sample = Sample()
    assert list(sample.fields["plain"].choices)[0] == ("", "请选择")
    assert list(sample.fields["own"].choices)[0] == ("", "全部")


def test_a_status_change_moves_the_lists_update_time(complete_draft, applicant, dept_head, clock, login):
    from applications import services

    saved_at = reload(complete_draft).updated_at
    clock.advance(hours=2)
    services.submit_application(complete_draft, by=applicant)
    clock.advance(hours=1)
    services.recommend_application(reload(complete_draft), by=dept_head, opinion="同意推荐。", r7="pass", r8="pass")
    app = reload(complete_draft)
    assert app.status == S.RECOMMENDED
    assert app.updated_at - saved_at >= dt.timedelta(hours=3)
    page = login(dept_head).get(reverse("applications:list")).content.decode()
    assert timezone.localtime(app.updated_at).strftime("%Y-%m-%d %H:%M") in page


def test_navigation_labels_never_break_inside_a_word(teaching_affairs, login):
    """我的工作台 once wrapped as 我的工/作台. The side menu (base.html) keeps every label whole: its links never wrap."""
    from pathlib import Path

    from django.conf import settings

    page = login(teaching_affairs).get(reverse("applications:list")).content.decode()
    assert "css/app.css" in page and 'class="sidenav"' in page and "我的工作台" in page
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    rule = next(line for line in css.splitlines() if line.startswith(".sidenav .nav-link {"))
    assert "white-space: nowrap" in rule


def test_a_meeting_that_could_never_vote_is_refused_on_the_form(
    complete_draft, teaching_affairs, committee, walk, login
):
    from applications.models import CommitteeMeeting

    app = walk(complete_draft, "reviewed")
    client = login(teaching_affairs)
    url = reverse("applications:meeting_create", args=[app.call_id])
    data = {
        "title": "2026年第一次学术委员会会议",
        "held_on": "2026-11-24",
        "members_present": [m.pk for m in committee[:3]],
        "agenda": [app.pk],
        "quorum": 5,
        "majority": "simple",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "出席委员 3 人，少于法定人数 5 人，会议将无法表决。" in response.content.decode()
    assert not CommitteeMeeting.objects.exists()

    response = client.post(url, {**data, "quorum": 3})
    meeting = CommitteeMeeting.objects.get()
    assert response.status_code == 302 and meeting.quorum == 3


def test_a_reviewed_application_links_to_the_committee_step(complete_draft, teaching_affairs, committee, walk, login):
    from applications import services

    app = walk(complete_draft, "reviewed")
    client = login(teaching_affairs)
    [reason] = client.get(reverse("applications:detail", args=[app.pk])).context["blocked_reasons"]
    assert reason["text"] == "该申报尚未列入学术委员会审议议程。"
    assert reason["url"] == reverse("applications:meeting_create", args=[app.call_id])

    meeting = services.create_meeting(
        by=teaching_affairs,
        call=app.call,
        title="第一次审议",
        held_on=timezone.localdate(),
        members_present=committee,
        agenda=[app],
        quorum=3,
    )
    page = client.get(reverse("applications:detail", args=[app.pk]))
    [reason] = page.context["blocked_reasons"]
    assert reason["url"] == reverse("applications:meeting_detail", args=[meeting.pk])
    assert "查看审议会议「第一次审议」" in page.content.decode()


def test_a_members_own_vote_reads_in_chinese(complete_draft, teaching_affairs, committee, walk, login):
    from applications import services

    app = walk(complete_draft, "reviewed")
    meeting = services.create_meeting(
        by=teaching_affairs,
        call=app.call,
        title="第一次审议",
        held_on=timezone.localdate(),
        members_present=committee[:3],
        agenda=[app],
        quorum=3,
    )
    client = login(committee[0])
    client.post(reverse("applications:meeting_vote", args=[meeting.pk]), {"application": app.pk, "choice": "for"})
    page = client.get(reverse("applications:meeting_detail", args=[meeting.pk]))
    [row] = page.context["rows"]
    assert row["my_vote"] == "赞成"
    html = page.content.decode()
    assert '<td class="text-nowrap">赞成</td>' in html and ">for<" not in html
    assert '<div class="table-responsive">' in html


def test_publicity_form_comes_filled_in(complete_draft, teaching_affairs, walk, login):
    app = walk(complete_draft, "proposed")
    page = login(teaching_affairs).get(reverse("applications:publicity_create", args=[app.call_id]))
    html = page.content.decode()
    now = timezone.localtime()
    assert f'type="datetime-local" name="starts_at" value="{now:%Y-%m-%d}T' in html
    assert f'value="{app.pk}"' in html and "checked" in html.split(f'value="{app.pk}"')[1][:120]
    assert 'data-testid="computed-period"' in html  # the computed end, before anything is sent
    assert 'name="acknowledge_warning"' not in html  # no calendar warning: no checkbox


def test_call_and_approval_dates_render_in_the_format_the_browser_takes(teaching_affairs, open_call, login):
    html = login(teaching_affairs).get(reverse("applications:call_list")).content.decode()
    assert 'type="datetime-local" name="opens_at"' in html
    from applications.forms import ApproveForm, CallForm

    form = CallForm(initial={"opens_at": timezone.localtime()})
    assert f'value="{timezone.localtime():%Y-%m-%d}T' in str(form["opens_at"])
    approve = ApproveForm(initial={"approved_on": dt.date(2026, 12, 1)})
    assert 'type="date"' in str(approve["approved_on"]) and 'value="2026-12-01"' in str(approve["approved_on"])


def test_a_publicity_already_over_when_published_needs_a_reason(complete_draft, teaching_affairs, walk, login):
    """A mistyped past start published a 公示 nobody could object to: now a start earlier than now is refused unless a
    补登原因 is given (issue 9 item 5); it is then stored and flagged."""
    from applications.models import Publicity

    app = walk(complete_draft, "proposed")
    client = login(teaching_affairs)
    url = reverse("applications:publicity_create", args=[app.call_id])
    data = {"title": "公示", "starts_at": "2026-01-05T09:00", "applications": [app.pk]}
    response = client.post(url, data, follow=True)
    assert any("早于现在" in m and "补登原因" in m for m in _messages(response))
    assert not Publicity.objects.exists() and reload(app).status == S.PROPOSED

    client.post(url, {**data, "backdate_reason": "公示已于 1 月 5 日在校园网发布。"})
    publicity = Publicity.objects.get()
    assert publicity.backdated and "校园网" in publicity.backdate_reason
    assert reload(app).status == S.IN_PUBLICITY


def test_a_second_click_on_a_move_already_made_is_not_an_error(complete_draft, applicant, dept_head, login):
    from applications import services

    services.submit_application(complete_draft, by=applicant)
    client = login(dept_head)
    url = reverse("applications:transition", args=[complete_draft.pk])
    client.post(url, {"target": "recommended", "note": "同意推荐。", "r7_judgement": "pass", "r8_judgement": "pass"})
    response = client.post(
        url,
        {"target": "recommended", "note": "同意推荐。", "r7_judgement": "pass", "r8_judgement": "pass"},
        follow=True,
    )
    assert _messages(response)[-1] == "该申报已是「系部已推荐」状态（可能已由您或他人办理），无需重复操作。"
    response = client.post(url, {"target": "returned", "note": "请补充。"}, follow=True)
    assert _messages(response) == [
        "该申报当前状态为「系部已推荐」，不能办理「已退回修改」。页面可能已过期，请查看最新状态后再办理。"
    ]
    assert reload(complete_draft).status == S.RECOMMENDED


def test_after_approval_the_approve_page_leads_to_the_studio(complete_draft, teaching_affairs, walk, login):
    from studios.models import Studio

    app = walk(complete_draft, "approved")
    studio = Studio.objects.get(application_id=app.pk)
    client = login(teaching_affairs)
    url = reverse("applications:approve", args=[app.pk])
    response = client.post(url, {"document_number": "渝工校〔2026〕46号", "approved_on": "2026-12-01"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("studios:detail", args=[studio.pk])
    assert any("该申报已认定" in m and "无需重复操作" in m for m in _messages(response))
    assert Studio.objects.count() == 1 and reload(app).document_number != "渝工校〔2026〕46号"


def test_studio_members_list_the_master_first(complete_draft, teaching_affairs, walk, login, applicant):
    from studios.models import Studio

    app = walk(complete_draft, "approved")
    studio = Studio.objects.get(application_id=app.pk)
    page = login(teaching_affairs).get(reverse("studios:detail", args=[studio.pk]))
    roles = [m.role for m in page.context["members"]]
    assert roles == ["master", "core", "core", "core"]
    assert page.context["members"][0].user_id == applicant.pk


def test_publicity_page_tells_ended_from_not_yet_started(complete_draft, teaching_affairs, walk, login, clock):
    app = walk(complete_draft, "in_publicity")
    client = login(teaching_affairs)
    url = reverse("applications:publicity_detail", args=[app.publicity_id])
    clock.advance(days=-2)
    page = client.get(url).content.decode()
    assert "公示尚未开始" in page and reverse("applications:approve", args=[app.pk]) not in page
    clock.advance(days=12)
    page = login(teaching_affairs).get(url).content.decode()
    assert "公示期已结束" in page and reverse("applications:approve", args=[app.pk]) in page


def test_member_lists_say_who_is_who_and_leave_out_the_applicant(complete_draft, applicant, core_teachers, login):
    from accounts.models import User

    admin = User.objects.create_superuser("root", "root@example.com", "x")
    page = login(applicant).get(reverse("applications:edit", args=[complete_draft.pk]))
    form = page.context["form"]
    choices = [label for _, label in form.fields["core_members"].choices]
    assert f"{core_teachers[0].display_name}（{core_teachers[0].username}，机械工程系）" in choices
    assert not any(applicant.username in label for label in choices)
    assert not any(admin.username in label for label in choices)
    html = page.content.decode()
    assert 'name="core_members"' in html and "data-member-picker" in html and "输入姓名、工号或系部查找" in html
    assert f'<option value="{core_teachers[0].pk}" selected>' in html


def test_a_proposed_application_offers_teaching_affairs_the_publicity_step(
    complete_draft, teaching_affairs, inspector, walk, login
):
    app = walk(complete_draft, "proposed")
    url = reverse("applications:publicity_create", args=[app.call_id])
    page = login(teaching_affairs).get(reverse("applications:detail", args=[app.pk]))
    assert page.context["publish_url"] == url and "发布公示" in page.content.decode()
    page = login(inspector).get(reverse("applications:detail", args=[app.pk]))
    assert page.context["publish_url"] is None and url not in page.content.decode()


def test_objections_wait_in_teaching_affairs_inbox_and_link_back(
    complete_draft, applicant, teaching_affairs, outsider, walk, login
):
    from applications import services
    from applications.models import Objection
    from core.navigation import inbox_for
    from core.workflow import WorkflowError

    app = walk(complete_draft, "in_publicity")
    assert not [e for e in inbox_for(teaching_affairs) if e.title == "待处理的公示异议"]
    objection = services.lodge_objection(app.publicity, app, by=outsider, content="企业经历存疑。")
    [entry] = [e for e in inbox_for(teaching_affairs) if e.title == "待处理的公示异议"]
    assert entry.count == 1 and entry.url == reverse("applications:objection_detail", args=[objection.pk])

    html = login(teaching_affairs).get(entry.url).content.decode()
    assert reverse("applications:publicity_detail", args=[app.publicity_id]) in html
    assert reverse("applications:detail", args=[app.pk]) in html
    html = login(outsider).get(entry.url).content.decode()
    assert reverse("applications:publicity_detail", args=[app.publicity_id]) in html
    assert reverse("applications:detail", args=[app.pk]) not in html

    # the applicant is offered no 提出异议 against his own application, and the service refuses it
    page = login(applicant).get(reverse("applications:publicity_detail", args=[app.publicity_id])).content.decode()
    assert reverse("applications:objection_lodge", args=[app.publicity_id, app.pk]) not in page
    with pytest.raises(WorkflowError) as refused:
        services.lodge_objection(app.publicity, app, by=applicant, content="自己异议自己。")
    assert refused.value.message == "不能对本人的申报提出异议。"
    assert Objection.objects.count() == 1


def test_list_tables_scroll_on_a_phone_instead_of_squeezing(complete_draft, teaching_affairs, walk, login):
    import re
    from pathlib import Path

    from django.conf import settings

    app = walk(complete_draft, "approved")
    client = login(teaching_affairs)
    for url in (
        reverse("applications:list"),
        reverse("applications:meeting_list"),
        reverse("applications:publicity_list"),
        reverse("applications:publicity_detail", args=[app.publicity_id]),
        reverse("studios:list"),
    ):
        html = client.get(url).content.decode()
        wrapped = re.findall(r'<div class="table-responsive">\s*<table', html)
        assert html.count("<table") >= 1 and len(wrapped) == html.count("<table"), url
    css = (Path(settings.BASE_DIR) / "static" / "css" / "app.css").read_text()
    assert ".table-responsive > .table > thead th { white-space: nowrap; }" in css


def test_the_applicants_own_draft_and_returned_application_are_on_his_workbench(
    complete_draft, applicant, dept_head, login
):
    from applications import services
    from core.navigation import inbox_for

    detail = reverse("applications:detail", args=[complete_draft.pk])
    [entry] = [e for e in inbox_for(applicant) if e.title == "未提交的申报草稿"]
    assert entry.count == 1 and entry.url == detail
    services.submit_application(complete_draft, by=applicant)
    assert not [e for e in inbox_for(applicant) if e.title in ("未提交的申报草稿", "退回待修改的申报")]
    services.return_application(reload(complete_draft), by=dept_head, note="请补充企业经历证明。")
    [entry] = [e for e in inbox_for(applicant) if e.title == "退回待修改的申报"]
    assert entry.count == 1 and entry.url == detail
    assert "退回待修改的申报" in login(applicant).get(reverse("workspace:home")).content.decode()


def test_a_returned_application_shows_the_departments_reasons_where_the_applicant_works(
    complete_draft, applicant, dept_head, login
):
    from applications import services

    services.submit_application(complete_draft, by=applicant)
    services.return_application(reload(complete_draft), by=dept_head, note="请补充企业实践证明材料。")
    client = login(applicant)
    for url in (
        reverse("applications:detail", args=[complete_draft.pk]),
        reverse("applications:edit", args=[complete_draft.pk]),
    ):
        html = client.get(url).content.decode()
        assert 'data-testid="return-note"' in html and "请补充企业实践证明材料。" in html
        assert f"系部退回修改意见（{dept_head.display_name}" in html
    services.submit_application(reload(complete_draft), by=applicant)
    html = client.get(reverse("applications:detail", args=[complete_draft.pk])).content.decode()
    assert 'data-testid="return-note"' not in html


def test_member_choices_put_office_staff_after_department_staff_without_a_blank_unit(complete_draft, applicant, login):
    from tests.factories import UserFactory

    office = UserFactory(username="F9001", display_name="财务甲", department=None)
    form = login(applicant).get(reverse("applications:edit", args=[complete_draft.pk])).context["form"]
    labels = [label for _, label in form.fields["core_members"].choices]
    assert f"{office.display_name}（{office.username}）" in labels
    with_unit = [i for i, label in enumerate(labels) if "，" in label]
    without = [i for i, label in enumerate(labels) if "，" not in label]
    assert with_unit and without and max(with_unit) < min(without)
    assert not any("未分配" in label for label in labels)


def test_the_scoring_form_reads_plainly(complete_draft, experts, walk, login):
    from applications import services

    app = walk(complete_draft, "under_review")
    assignment = app.assignments.get(expert=experts[0])
    services.declare_no_conflict(assignment, by=experts[0])
    page = login(experts[0]).get(reverse("applications:review_detail", args=[assignment.pk]))
    labels = [f.label for name, f in page.context["form"].fields.items() if name.startswith("score_")]
    assert "技能大师水平（0–10分，权重40）" in labels, labels
    html = page.content.decode()
    assert "评审中发现存在利益冲突？" in html and "回避后您的评分不计入" in html


def test_the_new_call_form_starts_filled_and_its_errors_name_the_field(teaching_affairs, rubric, login):
    from applications.models import Call

    client = login(teaching_affairs)
    form = client.get(reverse("applications:call_list")).context["form"]
    year = timezone.localdate().year
    assert form.initial["year"] == year and form.initial["policy_year"] == year
    response = client.post(reverse("applications:call_create"), {"year": year, "title": ""}, follow=True)
    [message] = _messages(response)
    assert "批次名称：这个字段是必填项。" in message and "专家评分标准：这个字段是必填项。" in message
    assert not Call.objects.exists()


def test_a_file_refused_on_the_edit_page_names_the_field(draft, applicant, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = login(applicant).post(
        reverse("applications:attachment_upload", args=[draft.pk]),
        {"kind": "form_scan", "file": SimpleUploadedFile("a.pdf", b"")},
        follow=True,
    )
    assert _messages(response)[-1].startswith("文件（PDF/JPG/PNG/DOCX）：")
    assert reload(draft).attachments.count() == 0


def test_the_studio_page_labels_the_plaque_name(complete_draft, teaching_affairs, walk, login):
    from studios.models import Studio

    studio = Studio.objects.get(application_id=walk(complete_draft, "approved").pk)
    html = login(teaching_affairs).get(reverse("studios:detail", args=[studio.pk])).content.decode()
    assert f"授牌名称：</span>{studio.plaque_name}" in html


def test_precheck_items_of_a_complete_draft_have_distinct_codes(complete_draft, applicant, login):
    """The form's own R7/R8 checks (a major chosen, the pledge ticked) showed under the same codes as the
    eligibility rules R7/R8 with a different verdict: two 'R7' lines, one ✓ and one ?."""
    page = login(applicant).get(reverse("applications:detail", args=[complete_draft.pk]))
    codes = [item["code"] for item in page.context["precheck"]]
    assert len(codes) == len(set(codes)), codes
    assert {"R7", "R7-form", "R8", "R8-form"} <= set(codes)


def test_the_objection_form_is_not_offered_when_it_would_be_refused(
    complete_draft, applicant, outsider, walk, login, clock
):
    from applications.models import Objection

    app = walk(complete_draft, "in_publicity")
    url = reverse("applications:objection_lodge", args=[app.publicity_id, app.pk])
    back = reverse("applications:publicity_detail", args=[app.publicity_id])
    response = login(applicant).get(url, follow=True)
    assert response.redirect_chain[-1][0] == back and _messages(response) == ["不能对本人的申报提出异议。"]
    assert login(outsider).get(url).status_code == 200
    clock.advance(days=12)
    response = login(outsider).get(url, follow=True)
    assert response.redirect_chain[-1][0] == back
    assert "结束，不能再提出异议。" in _messages(response)[0]
    assert not Objection.objects.exists()
