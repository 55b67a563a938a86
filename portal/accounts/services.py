"""Writes on user accounts."""

from __future__ import annotations

from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from .models import User


@transaction.atomic
def user_deactivate(*, user: User, by: User) -> User:
    """Deactivate an account and end its open sessions at once."""
    user.is_active = False
    user._change_reason = f"Ngừng hoạt động bởi {by}"
    user.save(update_fields=["is_active"])
    # An inactive user is refused on the next request anyway (ModelBackend.get_user); the task
    # also removes the session rows, after the commit, so the worker sees the change.
    from portal.tasks import end_user_sessions

    transaction.on_commit(lambda: end_user_sessions.delay(user.pk))
    return user


def end_sessions_of(user: User) -> int:
    """Delete every live session of `user` (database sessions); returns how many."""
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            session.delete()
            ended += 1
    return ended
