"""Idempotent reminders on real Celery workers and Redis: duplicate beat ticks, two workers at
once, a worker dying after the mail left, a mail server that fails for a while."""

import datetime as dt
from email import message_from_bytes
from zoneinfo import ZoneInfo

import pytest

from plans import services
from plans.models import Notification, ReminderDelivery
from plans.tasks import send_reminders

from .conftest import mails, wait_until
from .factories import PlanFactory, PlanItemFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = dt.datetime(2026, 4, 2, 9, tzinfo=VN)
pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _many_deadlines(tree, make_user, items=25, people_per_item=2) -> int:
    """Items due in a week, each assigned to its own people: returns the reminders due at NOW."""
    plan = PlanFactory(unit=tree["district"])
    for i in range(items):
        assignees = [make_user(tree["district"], "canbo", username=f"cb{i}_{j}") for j in range(people_per_item)]
        PlanItemFactory(plan=plan, due_date=dt.date(2026, 4, 9), assignees=assignees)
    return items * people_per_item


def _emails_settled() -> bool:
    return not Notification.objects.filter(
        email_status__in=[Notification.Email.PENDING, Notification.Email.SENDING]
    ).exists()


def test_duplicate_beat_ticks_on_the_worker_send_each_reminder_once(worker, tree, people):
    plan = PlanFactory(unit=tree["district"])
    for _ in range(3):
        PlanItemFactory(plan=plan, due_date=dt.date(2026, 4, 9))
    first = send_reminders.delay(NOW.isoformat())
    second = send_reminders.delay(NOW.isoformat())
    assert sorted([first.get(timeout=60), second.get(timeout=60)]) == [0, 3]
    assert send_reminders.delay(NOW.isoformat()).get(timeout=60) == 0
    wait_until(_emails_settled)
    assert ReminderDelivery.objects.count() == 3
    assert set(Notification.objects.values_list("email_status", flat=True)) == {"sent"}


def test_two_workers_running_the_pass_at_once_send_each_reminder_once(mail_workers, tree, people, make_user):
    expected = _many_deadlines(tree, make_user)
    mail_workers.start()
    mail_workers.start()
    results = [send_reminders.delay(NOW.isoformat()) for _ in range(4)]
    assert sum(r.get(timeout=120) for r in results) == expected
    wait_until(_emails_settled, timeout=120)
    messages = [message_from_bytes(raw) for raw in mails(mail_workers.box)]
    assert len(messages) == expected
    assert len({m["Message-ID"] for m in messages}) == expected
    assert len({m["To"] for m in messages}) == expected
    assert ReminderDelivery.objects.count() == Notification.objects.count() == expected


def test_a_worker_dying_after_the_mail_left_does_not_send_it_again_on_redelivery(mail_workers, people):
    (mail_workers.box / "die_after_send").touch()
    first = mail_workers.start()
    notification = services.notify(user=people["staff"], title="Mô hình đã được duyệt", body="Chúc mừng!")
    wait_until(lambda: first.poll() is not None)
    assert len(mails(mail_workers.box)) == 1
    notification.refresh_from_db()
    assert notification.email_status == Notification.Email.SENDING
    # A fresh worker takes the unacknowledged message back (acks_late) and runs the task again.
    mail_workers.start(visibility=1)
    wait_until(lambda: Notification.objects.get(pk=notification.pk).email_status == Notification.Email.UNCONFIRMED)
    assert len(mails(mail_workers.box)) == 1
    assert Notification.objects.filter(user=people["staff"]).count() == 1


def test_an_unreachable_mail_server_is_retried_with_backoff_by_the_worker(mail_workers, people):
    (mail_workers.box / "fail_remaining").write_text("2")
    mail_workers.start()
    notification = services.notify(user=people["staff"], title="Nhắc việc", body="Còn 7 ngày nữa đến hạn.")
    assert Notification.objects.filter(pk=notification.pk).exists()  # in the portal at once
    wait_until(lambda: Notification.objects.get(pk=notification.pk).email_status == Notification.Email.SENT,
               timeout=60)
    notification.refresh_from_db()
    assert notification.email_attempts == 3
    assert len(mails(mail_workers.box)) == 1
    body = message_from_bytes(mails(mail_workers.box)[0])
    assert "Kính gửi" in body.get_payload(decode=True).decode()
