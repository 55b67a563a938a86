from celery import shared_task


@shared_task(acks_late=True)
def end_user_sessions(user_id: int) -> int:
    """End every live session of a user (after deactivation); safe to run twice."""
    from portal.accounts.models import User
    from portal.accounts.services import end_sessions_of

    user = User.objects.filter(pk=user_id).first()
    return end_sessions_of(user) if user else 0


@shared_task(acks_late=True, reject_on_worker_lost=True, max_retries=3)
def generate_report(request_id: int) -> str:
    """Build a requested report; rerunning it (redelivery after a crash) rebuilds the same file."""
    from documents.reporting import build_request

    request = build_request(request_id)
    return request.status if request else "missing"


@shared_task
def requeue_stale_reports() -> int:
    from documents.reporting import requeue_stale

    return requeue_stale()


@shared_task
def purge_form_submissions() -> int:
    """Forget one-time form tokens older than two days (a page kept open longer gets a fresh one)."""
    import datetime as dt

    from django.utils import timezone

    from portal.models import FormSubmission

    deleted, _ = FormSubmission.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=2)).delete()
    return deleted


@shared_task(acks_late=True)
def send_password_reset(email: str, base: str = "") -> int:
    """Email the reset link to the active accounts of `email` (none: nothing is sent)."""
    from portal.accounts.forms import send_reset_links

    return send_reset_links(email, base)


@shared_task(acks_late=True)
def send_enrolment_link(user_id: int, base: str = "") -> bool:
    """Email a one-time two-factor enrolment link to the account's own address."""
    from portal.accounts.forms import send_enrolment_email

    return send_enrolment_email(user_id, base)


@shared_task(acks_late=True)
def apply_planned_unit_changes() -> int:
    """Carry out the merges, renames and moves whose date has come; idempotent."""
    from portal.units.services import unit_changes_apply_due

    return unit_changes_apply_due()
