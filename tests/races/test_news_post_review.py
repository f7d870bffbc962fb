"""Issue 13: two heads of a studio's department decide the same submitted post (宣传报道) at the same instant — 8
processes, half publishing, half returning it with a reason. Exactly one decision wins; the others are refused
(core.workflow's conditional UPDATE), and the post carries one StatusChange and one audit event out of 待系部审核,
whose target is the post's status. SQLite and PostgreSQL."""

import pytest

from .harness import PROCESSES, RaceCase, run_race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
ROUNDS = 5


def _prepare(n):
    from accounts.enums import Role
    from ledger.tests.helpers import make_studio
    from news import services
    from tests.factories import DepartmentFactory, UserFactory

    department = DepartmentFactory(code="RACEN", name="报道并发测试系")
    heads = [UserFactory(department=department, roles=[Role.DEPT_HEAD]) for _ in range(2)]
    rounds = []
    for i in range(n):
        studio, master, _ = make_studio(department, name=f"报道并发{i}技能大师工作室")
        post = services.create_post(studio, by=master, title=f"并发报道{i}", body="正文")
        services.submit_post(post, by=master)
        rounds.append((post.pk, [h.pk for h in heads]))
    return rounds


def _decide(post_pk, head_pk):
    from accounts.models import User
    from news import services
    from news.models import Post

    post = Post.objects.get(pk=post_pk)
    head = User.objects.get(pk=head_pk)
    first = User.objects.filter(username__lt=head.username, role_assignments__role="dept_head",
                                department_id=head.department_id).exists()  # fmt: skip
    if first:
        services.return_post(post, by=head, reason="并发退回")
    else:
        services.publish_post(post, by=head)


def _check(post_pk):
    from django.contrib.contenttypes.models import ContentType

    from core.models import AuditEvent, StatusChange
    from news.models import Post

    post = Post.objects.get(pk=post_pk)
    moves = list(
        StatusChange.objects.filter(
            content_type=ContentType.objects.get_for_model(Post), object_id=str(post_pk), from_state="submitted"
        ).values_list("to_state", flat=True)
    )
    events = AuditEvent.objects.filter(
        object_type="news.post", object_id=str(post_pk), action__in=("news.post.published", "news.post.returned")
    ).count()
    problems = []
    if moves != [post.status] or events != 1:
        problems.append(f"post {post_pk}: status {post.status}, moves {moves}, events {events}")
    if post.status == "returned" and post.return_reason != "并发退回":
        problems.append(f"post {post_pk}: returned without its reason")
    return problems


CASE = RaceCase("news.post_review", _prepare, _decide, _check)


def test_concurrent_publish_and_return_exactly_one_decision():
    rounds, outcomes = run_race(CASE, ROUNDS)
    problems = []
    for round_no, (post_pk, _) in enumerate(rounds):
        results = outcomes[round_no]
        assert len(results) == PROCESSES
        if results.count("ok") != 1 or any(not r.startswith(("ok", "refused:")) for r in results):
            problems.append(f"round {round_no}: {results}")
        problems += _check(post_pk)
    assert not problems, "\n".join(problems[:20])
