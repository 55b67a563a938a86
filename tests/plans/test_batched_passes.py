"""The reminder pass and the daily digest over the whole country: a number of queries that does not
grow with the people and deadlines, emails in batches over one connection, each sent once."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans import services
from plans.models import (
    DigestDelivery,
    DueKind,
    Notification,
    PlanItem,
    Recurrence,
    ReminderDelivery,
)
from tests.factories import PhaseFactory

from .factories import PlanFactory, PlanItemFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 4, 2, 9, tzinfo=VN)
pytestmark = pytest.mark.django_db


@pytest.fixture
def phase(db):
    """The phase the plans of 2026 belong to: a quarterly item is reminded until the phase ends."""
    return PhaseFactory(name="2026 – 2030", start_year=2026, end_year=2030)


def _plans(tree, phase, make_user, count: int, tag: str) -> list:
    """`count` plans of the district, each with a dated and a quarterly item of its own person."""
    people = []
    for i in range(count):
        person = make_user(tree["district"], "canbo", username=f"{tag}{i}", email=f"{tag}{i}@example.vn")
        plan = PlanFactory(unit=tree["district"], phase=phase, number=f"{tag}{i}-KH/DV")
        PlanItemFactory(plan=plan, due_date=dt.date(2026, 4, 9), assignees=[person])
        PlanItemFactory(plan=plan, due_kind=DueKind.ONGOING, recurrence=Recurrence.QUARTERLY, due_date=None,
                        assignees=[person])
        people.append(person)
    return people


def _pass_queries(django_capture_on_commit_callbacks) -> tuple[int, int]:
    """(reminders sent, queries) of one pass at NOW, with its emails."""
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        sent = services.reminders_send(now=NOW)
    return sent, len(queries)


def test_a_reminder_pass_costs_the_same_queries_for_3_and_30_plans(
    tree, phase, make_user, django_capture_on_commit_callbacks
):
    services.reminders_send(now=NOW)  # the first pass ever writes the schedules' rows
    few = _plans(tree, phase, make_user, 3, "it")
    sent_few, queries_few = _pass_queries(django_capture_on_commit_callbacks)
    # Each person: the unit's registration deadline and the item due in 7 days, the first quarter overdue.
    assert sent_few == 9
    assert len(mail.outbox) == 9
    Notification.objects.all().delete()
    ReminderDelivery.objects.all().delete()
    mail.outbox.clear()

    many = _plans(tree, phase, make_user, 27, "nhieu")
    sent_many, queries_many = _pass_queries(django_capture_on_commit_callbacks)
    assert sent_many == 90
    assert queries_many == queries_few
    # Every person got their own three emails, once.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(3 * [p.email for p in few + many])
    assert all(m.subject.startswith("[Dân vận khéo] Nhắc việc: ") for m in mail.outbox)
    assert set(Notification.objects.values_list("email_status", flat=True)) == {Notification.Email.SENT}

    # The pass right after sends nothing, in no more queries.
    sent_again, queries_again = _pass_queries(django_capture_on_commit_callbacks)
    assert sent_again == 0 and len(mail.outbox) == 90
    assert queries_again <= queries_few


def test_a_step_someone_else_claimed_meanwhile_is_not_sent_twice(tree, phase, make_user):
    """Another worker wrote a step's delivery row between our reading and our claiming: the
    notification we wrote for it is taken back and the step is not counted."""
    person = _plans(tree, phase, make_user, 1, "mot")[0]
    dated = f"plans.item:{PlanItem.objects.get(assignees=person, due_kind=DueKind.DATE).pk}"
    ReminderDelivery.objects.create(
        deadline_key=dated, user=person, step="before-7@20260409T0000", kind="plan_item", due_at=NOW,
    )
    original = services._reminders_done
    services._reminders_done = lambda keys: set()  # as if read before the other worker wrote
    try:
        assert services.reminders_send(now=NOW) == 2  # the registration and the quarter, not the item
    finally:
        services._reminders_done = original
    assert not Notification.objects.filter(user=person, key__startswith=f"reminder:{dated}:").exists()
    assert Notification.objects.filter(user=person).count() == 2
    assert ReminderDelivery.objects.filter(user=person).count() == 3


def _waiting(tree, make_user, count: int, tag: str) -> list:
    people = []
    for i in range(count):
        person = make_user(tree["commune"], "canbo", username=f"{tag}{i}", email=f"{tag}{i}@example.vn")
        for n in range(2):
            Notification.objects.create(
                user=person, title=f"Mô hình số {n} của {tag}{i} được duyệt", kind="model.approved",
                url=f"/models/{i}{n}/", email_status=Notification.Email.DIGEST,
                created_at=dt.datetime(2025, 3, 1, 9, n, tzinfo=VN),
            )
        people.append(person)
    return people


def _digest_queries(django_capture_on_commit_callbacks, day: int) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries, django_capture_on_commit_callbacks(execute=True):
        sent = services.digest_send(now=dt.datetime(2025, 3, day, 17, 10, tzinfo=VN))
    return sent, len(queries)


def test_a_digest_run_costs_the_same_queries_for_3_and_30_people(tree, make_user, django_capture_on_commit_callbacks):
    _waiting(tree, make_user, 3, "it")
    sent, queries_few = _digest_queries(django_capture_on_commit_callbacks, 2)
    assert sent == 3 and len(mail.outbox) == 3

    many = _waiting(tree, make_user, 27, "nhieu")
    mail.outbox.clear()
    sent, queries_many = _digest_queries(django_capture_on_commit_callbacks, 3)
    assert sent == 27
    assert queries_many == queries_few
    assert sorted(m.to[0] for m in mail.outbox) == sorted(p.email for p in many)
    for message in mail.outbox:
        name = message.to[0].split("@")[0]
        assert "(2 thông báo)" in message.subject
        assert message.body.index(f"Mô hình số 0 của {name} ") < message.body.index(f"Mô hình số 1 của {name} ")
    assert sent == DigestDelivery.objects.filter(day=dt.date(2025, 3, 3), email_status="sent").count()
    # A second tick the same day: nothing more.
    mail.outbox.clear()
    assert _digest_queries(django_capture_on_commit_callbacks, 3)[0] == 0
    assert mail.outbox == []


def test_a_mail_server_failing_midway_sends_each_email_of_the_batch_once(
    tree, make_user, settings, tmp_path, monkeypatch
):
    settings.EMAIL_BACKEND = "tests.plans.mailbox.MailboxBackend"
    monkeypatch.setenv("PLANS_TEST_MAILBOX", str(tmp_path))
    people = [make_user(tree["district"], "canbo", username=f"cb{i}", email=f"cb{i}@example.vn") for i in range(4)]
    ids = [
        Notification.objects.create(user=p, title="Nhắc việc", body="Còn 7 ngày nữa đến hạn.").pk for p in people
    ]
    in_flight = Notification.objects.create(user=people[0], title="Đang gửi", email_status="sending").pk
    (tmp_path / "fail_remaining").write_text("1")
    outcomes = services.notification_emails_send(notification_ids=[*ids, in_flight])
    # The server refused the first: it and the untried rest wait for the retry; the one found in
    # flight is not sent again.
    assert outcomes == {**dict.fromkeys(ids, "retry"), in_flight: Notification.Email.UNCONFIRMED}
    assert list(tmp_path.glob("*.eml")) == []
    outcomes = services.notification_emails_send(notification_ids=[*ids, in_flight])
    assert outcomes == {**dict.fromkeys(ids, "sent"), in_flight: Notification.Email.UNCONFIRMED}
    assert len(list(tmp_path.glob("*.eml"))) == 4
    assert services.notification_emails_send(notification_ids=ids) == dict.fromkeys(ids, "sent")
    assert len(list(tmp_path.glob("*.eml"))) == 4
    assert set(Notification.objects.filter(pk__in=ids).values_list("email_attempts", flat=True)) == {2}
