"""Celery tasks of plans: thin wrappers over the services, safe to run twice."""

from __future__ import annotations

import datetime as dt

from celery import shared_task
from django.conf import settings

from . import services

EMAIL_MAX_RETRIES = 8


def retry_countdown(retries: int) -> int:
    """Seconds before retry number `retries + 1`: doubling from the base, at most an hour."""
    base = getattr(settings, "PLANS_EMAIL_RETRY_SECONDS", 60)
    return int(min(base * 2**retries, 3600))


@shared_task(acks_late=True)
def send_reminders(now_iso: str | None = None) -> int:
    """One reminder pass (the beat entry in plans/celery_schedule.py runs it)."""
    now = dt.datetime.fromisoformat(now_iso) if now_iso else None
    return services.reminders_send(now=now)


def _send_batch(task, send, ids: list[int], *, one: bool = False) -> dict[int, str]:
    """Send `ids` with `send(ids, final_attempt)`; those the mail server refused are retried with
    backoff, the retry carrying only them (`one`: the task takes a single id)."""
    outcomes = send(ids, task.request.retries >= task.max_retries)
    again = [pk for pk, outcome in outcomes.items() if outcome == "retry"]
    if again:
        raise task.retry(args=[again[0] if one else again], countdown=retry_countdown(task.request.retries))
    return outcomes


def _notifications(ids, final):
    return services.notification_emails_send(notification_ids=ids, final_attempt=final)


def _digests(ids, final):
    return services.digest_emails_send(delivery_ids=ids, final_attempt=final)


@shared_task(bind=True, acks_late=True, max_retries=EMAIL_MAX_RETRIES)
def send_notification_email(self, notification_id: int) -> str:
    """Email one notification; a mail server that fails is retried with backoff."""
    return _send_batch(self, _notifications, [notification_id], one=True).get(notification_id, "missing")


@shared_task(bind=True, acks_late=True, max_retries=EMAIL_MAX_RETRIES)
def send_notification_emails(self, notification_ids: list[int]) -> int:
    """Email a batch of notifications over one connection. Returns how many were sent."""
    return sum(1 for outcome in _send_batch(self, _notifications, notification_ids).values() if outcome == "sent")


@shared_task(acks_late=True)
def send_digests(now_iso: str | None = None) -> int:
    """The daily digest pass (hourly beat; it sends from the set hour on, once a day per person)."""
    now = dt.datetime.fromisoformat(now_iso) if now_iso else None
    return services.digest_send(now=now)


@shared_task(bind=True, acks_late=True, max_retries=EMAIL_MAX_RETRIES)
def send_digest_email(self, delivery_id: int) -> str:
    """Email one digest (kept for messages queued before the batches)."""
    return _send_batch(self, _digests, [delivery_id], one=True).get(delivery_id, "missing")


@shared_task(bind=True, acks_late=True, max_retries=EMAIL_MAX_RETRIES)
def send_digest_emails(self, delivery_ids: list[int]) -> int:
    """Email a batch of digests over one connection. Returns how many were sent."""
    return sum(1 for outcome in _send_batch(self, _digests, delivery_ids).values() if outcome == "sent")
