"""A database that is down gives a clean 503 page, not a traceback; the next request retries."""

import logging

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django.http import HttpResponse
from django.template.loader import render_to_string

log = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)) or (
            isinstance(exception, DatabaseError) and "connection" in str(exception).lower()
        ):
            log.warning("database unavailable: %s", exception)
            close_old_connections()
            html = render_to_string("503.html", request=None)
            response = HttpResponse(html, status=503)
            response["Retry-After"] = "10"
            return response
        return None


class VietnameseFirstMiddleware:
    """Vietnamese unless the user chose another language (cookie): browsers of officials are
    often set to English, and the portal's language is Vietnamese."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)


class StripNulMiddleware:
    """Drop NUL characters from query parameters: PostgreSQL text cannot hold them, and no search
    or filter needs one. (Forms refuse NUL in posted text on their own, with a message.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "%00" in request.META.get("QUERY_STRING", "") or "\x00" in request.META.get("QUERY_STRING", ""):
            cleaned = request.GET.copy()
            for key in list(cleaned.keys()):
                cleaned.setlist(key, [value.replace("\x00", "") for value in cleaned.getlist(key)])
            request.GET = cleaned
        return self.get_response(request)
