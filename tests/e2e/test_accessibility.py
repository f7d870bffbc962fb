"""Accessibility scan (issue 9, Done when): axe-core, from npm, injected into the most used pages at desktop width;
no serious or critical violations. The script is read from assets-test/ (copied by make's vendor step, never served)
into a browser context that bypasses the CSP for the injected script only."""

from pathlib import Path

import pytest
from django.core.management import call_command

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
AXE = next(
    (p for p in (ROOT / "assets-test" / "axe.min.js", ROOT / "node_modules" / "axe-core" / "axe.min.js") if p.exists()),
    None,
)
BLOCKING = {"serious", "critical"}
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                     nodes: v.nodes.slice(0, 4).map(n => n.target.join(" "))}));
}"""


def _open_member_picker(page):
    """The edit form is scanned with the member picker's dropdown open on a search (tom-select's own markup)."""
    box = page.get_by_role("combobox", name="骨干教师")
    box.click()
    box.fill("1")  # many people, among them officers shown disabled with the reason
    page.locator("#id_core_members-ts-dropdown .option").first.wait_for()


def _pages(seeded):
    """(persona username, path) of the 15+ pages people use most; a third item prepares the page before the scan."""
    draft, studio = seeded["draft"], seeded["studio"]
    return [
        (None, "/accounts/login/"),
        ("T1001", "/"),
        ("T1001", "/applications/"),
        ("T1001", f"/applications/{draft.pk}/"),
        ("T1001", f"/applications/{draft.pk}/edit/", _open_member_picker),
        ("T1001", "/people/me/"),
        ("T1001", "/notifications/"),
        ("T1001", "/accounts/me/"),
        ("J0001", "/"),
        ("J0001", "/applications/calls/"),
        ("J0001", "/applications/committee/"),
        ("J0001", "/applications/publicity/"),
        ("J0001", "/studios/"),
        ("J0001", f"/studios/{studio.pk}/"),
        ("J0001", "/people/staff/"),
        ("J0001", f"/applications/publicity/new/{draft.call_id}/"),
        ("E0001", "/applications/reviews/"),
        ("E0001", f"/applications/reviews/{seeded['assignment'].pk}/"),
        ("H1001", "/accounts/users/"),
        ("K0001", "/audit/"),
        # Studio operations (issue 10): the master's studio page, ledger list, record form and record with photos,
        # the plan-vs-actual; the department head's list with batch confirm.
        ("T2001", f"/studios/{studio.pk}/"),
        ("T2001", "/ledger/activities/"),
        ("T2001", "/ledger/activities/new/"),
        ("T2001", f"/ledger/activities/{seeded['activity'].pk}/"),
        ("T2001", f"/studios/{studio.pk}/members/add/"),
        ("T2001", f"/plans/actual/studio/{studio.pk}/"),
        ("H2001", "/ledger/activities/?status=submitted"),
        # 推荐申报: the list with its check counts, the demo's 省级 draft with the checker, the catalogue
        ("D0001", "/recommendations/"),
        *[("D0001", f"/recommendations/{pk}/") for pk in _draft_recommendations()],
        ("D0001", "/recommendations/requirements/"),
    ]


def _draft_recommendations():
    from recommendations.models import Recommendation

    return list(Recommendation.objects.filter(status="draft").order_by("pk").values_list("pk", flat=True)[:1])


@pytest.fixture
def seeded(password):
    from django.utils import timezone

    from accounts.models import User
    from applications.enums import AssignmentStatus
    from applications.models import Application, ReviewAssignment
    from ledger.models import Activity
    from studios.models import Studio

    call_command("seed_demo", "--quiet", "--password", password)
    studio = Studio.objects.select_related("application").get(master__username="T2001")
    # The score sheet (the expert has declared no conflict): the demo has no application under review, so the
    # assignment is set up on the demo studio's application — the page is only rendered and scanned here.
    assignment = ReviewAssignment.objects.create(
        application=studio.application,
        expert=User.objects.get(username="E0001"),
        assigned_by=User.objects.get(username="J0001"),
        status=AssignmentStatus.DECLARED,
        declared_at=timezone.now(),
    )
    return {
        "activity": Activity.objects.filter(studio=studio, attachments__kind="photo").order_by("pk").first(),
        "draft": Application.objects.get(applicant__username="T1001", status="draft"),
        "studio": studio,
        "assignment": assignment,
    }


def test_most_used_pages_have_no_serious_accessibility_violations(browser, live_server, seeded, password):
    assert AXE is not None, "axe-core missing: run `make dev-deps` (npm ci + vendor step)"
    problems = {}
    signed_in = None
    context = browser.new_context(bypass_csp=True, locale="zh-CN", viewport={"width": 1440, "height": 900})
    page = context.new_page()
    try:
        for username, path, *prepare in _pages(seeded):
            if username != signed_in:
                context.clear_cookies()
                if username:
                    page.goto(f"{live_server.url}/accounts/login/")
                    page.get_by_label("工号").fill(username)
                    page.get_by_label("密码").fill(password)
                    page.get_by_role("button", name="登录").click()
                    page.wait_for_url(f"{live_server.url}/")
                signed_in = username
            response = page.goto(f"{live_server.url}{path}")
            assert response.status == 200, (username, path, response.status)
            for step in prepare:
                step(page)
            page.add_script_tag(path=str(AXE))
            found = [v for v in page.evaluate(RUN_AXE) if v["impact"] in BLOCKING]
            if found:
                problems[f"{username or '匿名'} {path}"] = found
    finally:
        context.close()
    report = "\n".join(
        f"{where}: {v['impact']} {v['id']} ({v['help']}) at {'; '.join(v['nodes'])}"
        for where, found in problems.items()
        for v in found
    )
    assert not problems, "\n" + report
