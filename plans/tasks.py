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


@shared_task(bind=True, acks_late=True, max_retries=EMAIL_MAX_RETRIES)
def send_notification_email(self, notification_id: int) -> str:
    """Email one notification; a mail server that fails is retried with backoff."""
    final = self.request.retries >= self.max_retries
    outcome = services.notification_email_send(notification_id=notification_id, final_attempt=final)
    if outcome == "retry":
        raise self.retry(countdown=retry_countdown(self.request.retries))
    return outcome


@shared_task(bind=True, acks_late=True, max_retries=EMAIL_MAX_RETRIES)
def send_notification_emails(self, notification_ids: list[int]) -> int:
    """Email a batch of notifications over one connection; those the mail server refused are
    retried with backoff (the retry carries only them). Returns how many were sent."""
    final = self.request.retries >= self.max_retries
    outcomes = services.notification_emails_send(notification_ids=notification_ids, final_attempt=final)
    again = [pk for pk, outcome in outcomes.items() if outcome == "retry"]
    if again:
        raise self.retry(args=[again], countdown=retry_countdown(self.request.retries))
    return sum(1 for outcome in outcomes.values() if outcome == "sent")


@shared_task(acks_late=True)
def send_digests(now_iso: str | None = None) -> int:
    """The daily digest pass (hourly beat; it sends from the set hour on, once a day per person)."""
    now = dt.datetime.fromisoformat(now_iso) if now_iso else None
    return services.digest_send(now=now)


@shared_task(bind=True, acks_late=True, max_retries=EMAIL_MAX_RETRIES)
def send_digest_email(self, delivery_id: int) -> str:
    """Email one digest; a mail server that fails is retried with backoff."""
    final = self.request.retries >= self.max_retries
    outcome = services.digest_email_send(delivery_id=delivery_id, final_attempt=final)
    if outcome == "retry":
        raise self.retry(countdown=retry_countdown(self.request.retries))
    return outcome


@shared_task(bind=True, acks_late=True, max_retries=EMAIL_MAX_RETRIES)
def send_digest_emails(self, delivery_ids: list[int]) -> int:
    """Email a batch of digests over one connection; those refused are retried with backoff."""
    final = self.request.retries >= self.max_retries
    outcomes = services.digest_emails_send(delivery_ids=delivery_ids, final_attempt=final)
    again = [pk for pk, outcome in outcomes.items() if outcome == "retry"]
    if again:
        raise self.retry(args=[again], countdown=retry_countdown(self.request.retries))
    return sum(1 for outcome in outcomes.values() if outcome == "sent")
