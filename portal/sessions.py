"""Idle timeout without a session write on every request.

The session's expiry is pushed back at most once a minute (SESSION_REFRESH_SECONDS), instead of
Django's SESSION_SAVE_EVERY_REQUEST, which writes the session row on every page.
"""

import time

from django.conf import settings

KEY = "_refreshed_at"


class SessionRefreshMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is not None and not session.is_empty() and "_auth_user_id" in session:
            now = int(time.time())
            if now - int(session.get(KEY, 0)) >= getattr(settings, "SESSION_REFRESH_SECONDS", 60):
                session[KEY] = now  # marks the session modified: saved with a new expiry
        return response
