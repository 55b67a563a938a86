import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from portal.tasks import end_user_sessions

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_real_worker_ends_the_sessions_of_a_user(worker, people):
    store = SessionStore()
    store["_auth_user_id"] = str(people["staff"].pk)
    store.create()
    other = SessionStore()
    other["_auth_user_id"] = str(people["leader"].pk)
    other.create()
    result = end_user_sessions.delay(people["staff"].pk)
    assert result.get(timeout=30) == 1
    assert not Session.objects.filter(session_key=store.session_key).exists()
    assert Session.objects.filter(session_key=other.session_key).exists()
    # Idempotent: a second run finds nothing more to do.
    assert end_user_sessions.delay(people["staff"].pk).get(timeout=30) == 0
