"""Issue 14 under concurrency, SQLite (file DB) and PostgreSQL alike.

1. Work messages: 8 workers deliver the same attempt of the same message at once (a task run twice, a worker restarted
   mid-job). Each may reach the robot, but exactly one attempt is recorded: one DeliveryAttempt numbered 1, the
   message's count 1 and its state 已送达 (integrations.webhooks.deliver claims the attempt by a conditional UPDATE).
2. Calendar links: 8 requests make a new link for the same person at once (two tabs, the page and the API). Each
   succeeds — none is a 500 from the one-active-link constraint — and exactly one link is active afterwards, with
   one audit event per link made (integrations.calendar.issue_feed locks the person's row).
"""

import pytest

from core.models import AuditEvent

from .harness import PROCESSES, RaceCase, run_race

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.races]
ROUNDS = 4


@pytest.fixture
def robot(settings):
    from integrations.tests.test_webhooks import Robot

    settings.WORK_MESSAGES = True
    settings.WORK_MESSAGE_EXTRA_HOSTS = ["127.0.0.1"]
    server = Robot()
    yield server
    server.server.shutdown()
    server.server.server_close()


def _prepare_messages(robot):
    def prepare(n):
        from integrations.models import Platform, WebhookTarget, WorkMessage
        from tests.factories import UserFactory

        admin = UserFactory()
        target = WebhookTarget.objects.create(
            name="并发测试机器人", platform=Platform.WECOM, url=robot.url(Platform.WECOM), created_by=admin
        )
        return [
            (WorkMessage.objects.create(target=target, title=f"并发消息{i}", text="正文").pk, [None]) for i in range(n)
        ]

    return prepare


def _deliver(message_pk, _actor):
    from integrations import webhooks

    webhooks.deliver(message_pk)


def _delivered_once(message_pk):
    from integrations.models import DeliveryAttempt, MessageStatus, WorkMessage

    message = WorkMessage.objects.get(pk=message_pk)
    numbers = list(DeliveryAttempt.objects.filter(message_id=message_pk).values_list("number", flat=True))
    problems = []
    if numbers != [1]:
        problems.append(f"message {message_pk}: attempts recorded {numbers}")
    if message.attempts != 1 or message.status != MessageStatus.SENT:
        problems.append(f"message {message_pk}: attempts={message.attempts} status={message.status}")
    return problems


def test_one_attempt_delivered_by_two_workers_is_recorded_once(robot):
    case = RaceCase("work_message.deliver", _prepare_messages(robot), _deliver, _delivered_once)
    rounds, outcomes = run_race(case, ROUNDS)
    problems = []
    for round_no, (message_pk, _) in enumerate(rounds):
        results = outcomes[round_no]
        assert len(results) == PROCESSES
        if any(r != "ok" for r in results):
            problems.append(f"round {round_no}: {results}")
        problems += _delivered_once(message_pk)
    assert len(robot.requests) >= ROUNDS  # every message reached the robot at least once
    assert not problems, "\n".join(problems[:20])


def _prepare_people(n):
    from integrations import calendar
    from tests.factories import UserFactory

    rounds = []
    for i in range(n):
        person = UserFactory()
        if i % 2:  # every other round replaces a link the person already has
            calendar.issue_feed(by=person)
        rounds.append((person.pk, [person.pk]))
    return rounds


def _issue(person_pk, actor_pk):
    from accounts.models import User
    from integrations import calendar

    calendar.issue_feed(by=User.objects.get(pk=actor_pk))


def _one_active_link(person_pk):
    from integrations.models import CalendarFeed

    feeds = CalendarFeed.objects.filter(user_id=person_pk)
    active = feeds.filter(revoked_at__isnull=True).count()
    issued = AuditEvent.objects.filter(
        action="integrations.calendar.issued", object_id__in=[str(pk) for pk in feeds.values_list("pk", flat=True)]
    ).count()
    problems = [] if active == 1 else [f"person {person_pk}: {active} active links"]
    if issued != feeds.count():
        problems.append(f"person {person_pk}: {issued} audit events for {feeds.count()} links")
    return problems


def test_links_made_at_once_leave_exactly_one_active():
    case = RaceCase("calendar.issue", _prepare_people, _issue, _one_active_link)
    rounds, outcomes = run_race(case, ROUNDS)
    problems = []
    for round_no, (person_pk, _) in enumerate(rounds):
        results = outcomes[round_no]
        assert len(results) == PROCESSES
        if any(r != "ok" for r in results):
            problems.append(f"round {round_no}: {[r[:300] for r in results if r != 'ok']}")
        problems += _one_active_link(person_pk)
        links = PROCESSES + (round_no % 2)
        from integrations.models import CalendarFeed

        if CalendarFeed.objects.filter(user_id=person_pk).count() != links:
            problems.append(f"round {round_no}: expected {links} links made in all")
    assert not problems, "\n".join(problems[:20])
