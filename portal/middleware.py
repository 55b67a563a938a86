"""A database that is down gives a clean 503 page, not a traceback; the next request retries."""

import logging
import unicodedata

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django.http import Http404, HttpResponse
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers

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


class InputPolicyMiddleware:
    """Input every view can trust (portal/inputs.py says the policy):

    - a path with a control character (NUL included) names nothing: 404, before any view or query;
    - NUL characters are dropped from query parameters (PostgreSQL text cannot hold them and no
      search or filter needs one);
    - query and form values reach the views in NFC (passwords excepted: they are compared as typed).
      a form post that carries a NUL anywhere is refused (400, with a message), before any view, so
      no form or service can store one; services that read a POST value directly also use
      `portal.inputs.clean_text` for its length.
    """

    FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any(ord(ch) < 32 or ord(ch) == 127 for ch in request.path):
            raise Http404
        if request.META.get("QUERY_STRING"):
            request.GET = self._clean(request.GET, drop_nul=True)
        if request.method == "POST" and request.content_type in self.FORM_TYPES:
            if any("\x00" in v for values in request.POST.lists() for v in values[1]):
                return self._refused(request)
            request.POST = self._clean(request.POST, drop_nul=False)
        return self.get_response(request)

    @staticmethod
    def _refused(request):
        """A NUL in posted text: refused with a message, the same on every database (PostgreSQL
        cannot store it; SQLite would)."""
        html = render_to_string("400_input.html", request=request)
        return HttpResponse(html, status=400)

    @staticmethod
    def _clean(data, *, drop_nul: bool):
        cleaned = data.copy()
        for key in list(cleaned.keys()):
            if "password" in key:
                continue
            values = [unicodedata.normalize("NFC", v) for v in cleaned.getlist(key)]
            if drop_nul:
                values = [v.replace("\x00", "") for v in values]
            cleaned.setlist(key, values)
        cleaned._mutable = False
        return cleaned


class NoStoreForSignedInMiddleware:
    """Pages and files served to a signed-in person carry personal data: no browser or proxy may
    keep a copy (`Cache-Control: no-store`), so the back button on a shared computer after signing
    out shows nothing. Static assets never reach this middleware (WhiteNoise answers them first,
    with long caching)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
            response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response
