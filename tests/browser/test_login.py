import pytest
from django.core.management import call_command

from portal.demo import DEMO_ACCOUNTS, DEMO_PASSWORD_FALLBACK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_each_demo_account_logs_in_and_sees_its_vietnamese_home(page, live_server, login_page, settings):
    settings.DEMO_PASSWORD = ""
    call_command("seed_demo", "--size", "small")
    for username, (full_name, _roles, _position) in DEMO_ACCOUNTS.items():
        page.context.clear_cookies()
        login_page(username, DEMO_PASSWORD_FALLBACK)
        assert page.url == f"{live_server.url}/"
        heading = page.locator("h1").first.inner_text()
        assert heading == f"Xin chào, {full_name}"
        assert "Dân vận khéo" in page.content()
        assert page.locator("html").get_attribute("lang") == "vi"
