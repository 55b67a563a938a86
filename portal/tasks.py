from celery import shared_task


@shared_task(acks_late=True)
def end_user_sessions(user_id: int) -> int:
    """End every live session of a user (after deactivation); safe to run twice."""
    from portal.accounts.models import User
    from portal.accounts.services import end_sessions_of

    user = User.objects.filter(pk=user_id).first()
    return end_sessions_of(user) if user else 0
