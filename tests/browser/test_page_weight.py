"""Commune staff on slow links: each key page's first load stays under 300 KB, assets compressed
and cached for good (WhiteNoise under the production settings, served by gunicorn)."""

import pytest
from django.core.management import call_command
from django.db import connection

from portal.demo import DEMO_PASSWORD_FALLBACK
from tests.quality.servers import Gunicorn, production_env

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LIMIT = 300 * 1024


def _db_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_first_loads_are_light_and_assets_are_compressed_and_cached(browser, settings):
    settings.DEMO_PASSWORD = ""
    call_command("seed_demo", "--size", "small")
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from portal.accounts.models import User

    hasher = PBKDF2PasswordHasher()
    User.objects.filter(username="canbo").update(password=hasher.encode(DEMO_PASSWORD_FALLBACK, hasher.salt()))
    with Gunicorn(production_env(_db_url())) as server:
        weights = {}
        for path, login in [("/accounts/login/", False), ("/showcase/", False), ("/", True), ("/models/", True)]:
            context = browser.new_context(extra_http_headers={"X-Forwarded-Proto": "https"})
            page = context.new_page()
            if login:
                page.goto(server.url + "/accounts/login/")
                page.fill("input[name=username]", "canbo")
                page.fill("input[name=password]", DEMO_PASSWORD_FALLBACK)
                page.click("#login-form [type=submit]")
                page.wait_for_load_state("networkidle")
                # keep the session; measure a fresh page (empty cache) below
                page.close()
                page = context.new_page()
            responses: list = []
            page.on("requestfinished", lambda request, sink=responses: sink.append(request))
            page.goto(server.url + path, wait_until="networkidle")
            total = 0
            for request in responses:
                sizes = request.sizes()
                total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
                response = request.response()
                if "/static/" in request.url:
                    assert "max-age=315360000" in response.headers.get("cache-control", ""), request.url
                    if request.url.endswith((".css", ".js")):
                        assert response.headers.get("content-encoding") in ("br", "gzip"), request.url
            weights[path] = total
            context.close()
    heavy = {path: size for path, size in weights.items() if size > LIMIT}
    assert not heavy, f"first loads over 300 KB: {heavy}"
