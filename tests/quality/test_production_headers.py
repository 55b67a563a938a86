"""Headers and cookies under the production settings, served by gunicorn on loopback."""

import re
import urllib.parse
import urllib.request

import pytest
from django.db import connection
from django.urls import reverse

from tests.factories import TEST_USER_LOGIN as PASSWORD
from tests.quality.servers import Gunicorn, production_env

pytestmark = [pytest.mark.django_db(transaction=True)]


def _db_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        url = _db_url()
    with Gunicorn(production_env(url)) as running:
        yield running


class Browser:
    """A client behind a TLS proxy: it keeps Secure cookies although loopback speaks plain HTTP."""

    def __init__(self, base):
        self.base = base
        self.cookies: dict[str, str] = {}
        self.opener = urllib.request.build_opener(NoRedirect())

    def request(self, path, data=None, headers=None):
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        req = urllib.request.Request(self.base + path, data=data, headers={
            "X-Forwarded-Proto": "https", **({"Cookie": cookie} if cookie else {}), **(headers or {})})
        try:
            response = self.opener.open(req, timeout=10)
        except urllib.error.HTTPError as exc:
            response = exc
        for raw in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = raw.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        return response


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _production_password(user):
    """The production settings hash with PBKDF2 (the tests use a fast hasher)."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    hasher = PBKDF2PasswordHasher()
    type(user).objects.filter(pk=user.pk).update(password=hasher.encode(PASSWORD, hasher.salt()))


def test_security_headers_and_cookies_in_production(people, server):
    _production_password(people["staff"])
    browser = Browser(server.url)
    page = browser.request("/accounts/login/")
    headers = page.headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    html = page.read().decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline script in the page"
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    # CSRF: a POST without the token is refused. It carries the same secure Referer and Origin, and
    # the CSRF cookie, as the accepted one below: the missing token is the only difference.
    secure = {"Referer": f"https://127.0.0.1:{server.port}/accounts/login/", "Origin": f"https://127.0.0.1:{server.port}"}
    assert "csrftoken" in browser.cookies
    refused = browser.request("/accounts/login/", urllib.parse.urlencode(
        {"username": "canbo_d", "password": PASSWORD}).encode(), secure)
    assert refused.status == 403
    assert "sessionid" not in browser.cookies
    done = browser.request("/accounts/login/", urllib.parse.urlencode(
        {"username": "canbo_d", "password": PASSWORD, "csrfmiddlewaretoken": csrf}).encode(), secure)
    assert done.status == 302
    raw_cookies = done.headers.get_all("Set-Cookie")
    session = next(c for c in raw_cookies if c.startswith("sessionid="))
    assert "Secure" in session and "HttpOnly" in session and "SameSite=Lax" in session
    csrf_cookie = next((c for c in raw_cookies + page.headers.get_all("Set-Cookie") if c.startswith("csrftoken=")), "")
    assert "Secure" in csrf_cookie
    # The login view protects itself; every other form relies on the site-wide middleware: a signed-in
    # POST without the token is refused (same secure Referer and Origin), the same POST with it is done.
    read_all = reverse("plans:notifications_read_all")
    assert browser.request(read_all, b"", secure).status == 403
    assert browser.request(read_all, b"", {**secure, "X-CSRFToken": browser.cookies["csrftoken"]}).status == 302


def test_errors_in_production_show_no_traceback(server):
    browser = Browser(server.url)
    missing = browser.request("/khong-co-trang-nay/")
    assert missing.status == 404
    body = missing.read().decode()
    assert "Traceback" not in body and "Không tìm thấy" in body
