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
    from portal.reporting import build_request

    request = build_request(request_id)
    return request.status if request else "missing"


@shared_task
def requeue_stale_reports() -> int:
    from portal.reporting import requeue_stale

    return requeue_stale()


@shared_task(acks_late=True)
def apply_planned_unit_changes() -> int:
    """Carry out the merges, renames and moves whose date has come; idempotent."""
    from portal.units.services import unit_changes_apply_due

    return unit_changes_apply_due()
