"""Accessibility and reach: axe-core on every key page, phones at 360 px, light first loads."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from portal.demo import DEMO_PASSWORD_FALLBACK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
AXE = Path(settings.BASE_DIR) / "node_modules" / "axe-core" / "axe.min.js"


def key_pages() -> list[tuple[str, str]]:
    """(user, path) of the pages people use every day; built from the demo data."""
    from awards.models import ReviewRound
    from models_registry.models import DvkModel
    from plans.models import Plan

    model = DvkModel.objects.filter(unit__code="BTGDVTU").order_by("-year", "pk").first()
    public = DvkModel.objects.filter(is_public=True).order_by("pk").first()
    rnd = ReviewRound.objects.filter(unit__code="BTGDVTU", status="open").first()
    closed = ReviewRound.objects.filter(status="closed").order_by("-year", "-quarter").first()
    plan = Plan.objects.filter(number__startswith="54").first()
    pages = [
        ("anonymous", reverse("login")),
        ("anonymous", reverse("showcase:list")),
        ("anonymous", reverse("showcase:detail", args=[public.public_key])),
        ("canbo", "/"),
        ("canbo", reverse("models_registry:list")),
        ("canbo", reverse("models_registry:create")),
        ("canbo", reverse("models_registry:detail", args=[model.pk])),
        ("canbo", reverse("awards:pledge_list")),
        ("canbo", reverse("plans:notifications")),
        ("congdoan", "/"),
        ("congdoan", reverse("awards:round_list")),
        ("lanhdao", "/"),
        ("lanhdao", reverse("models_registry:coverage")),
        ("lanhdao", reverse("plans:plan_detail", args=[plan.pk])),
        ("lanhdao", reverse("documents:register")),
        ("chiuy", "/"),
        ("admin", reverse("units:list")),
        ("admin", reverse("accounts:user_list")),
        ("admin", reverse("units:phases")),
        ("admin", reverse("awards:content_list")),
        ("lanhdao", reverse("plans:inspection_list")),
        ("lanhdao", reverse("reports:list")),
        ("lanhdao", reverse("councils:index")),
    ]
    assert rnd is not None and closed is not None, "the demo has this quarter's round open and earlier ones closed"
    pages.append(("congdoan", reverse("awards:score_grid", args=[rnd.pk])))
    pages.append(("congdoan", reverse("awards:round_results", args=[closed.pk])))
    pages.append(("lanhdao", reverse("awards:dashboard_1510")))
    return pages


def _login(page, base, username):
    page.context.clear_cookies()
    if username == "anonymous":
        return
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD_FALLBACK)
    page.click("#login-form [type=submit]")
    page.wait_for_url(f"{base}/")


def test_key_pages_have_no_serious_accessibility_violations_and_fit_a_phone(browser, live_server, settings):
    settings.DEMO_PASSWORD = ""
    call_command("seed_demo", "--size", "small")
    # axe is injected as a script: the test context bypasses the CSP that forbids that.
    context = browser.new_context(bypass_csp=True, viewport={"width": 360, "height": 740}, locale="vi-VN")
    page = context.new_page()
    problems = []
    current = None
    for username, path in key_pages():
        if username != current:
            _login(page, live_server.url, username)
            current = username
        response = page.goto(live_server.url + path)
        assert response.status == 200, (username, path, response.status)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{path} ({username}): wider than 360 px by {overflow} px")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        for violation in result["violations"]:
            if violation["impact"] in ("serious", "critical"):
                targets = [n["target"] for n in violation["nodes"][:3]]
                problems.append(f"{path} ({username}): {violation['id']} — {violation['help']} {targets}")
    context.close()
    assert not problems, "\n".join(problems)
