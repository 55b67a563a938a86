"""English as the second language: chosen with the footer's language form, it translates the UI."""

from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import trans_real

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


@pytest.fixture(scope="module", autouse=True)
def compiled_catalog():
    """The .mo is built at install time (make install / scripts/test.sh); build it here too if stale."""
    if not MO.exists() or MO.stat().st_mtime < PO.stat().st_mtime:
        with PO.open("rb") as po, MO.open("wb") as mo:
            write_mo(mo, read_po(po))
        trans_real._translations = {}
        trans_real._default = None
    yield
    translation.activate(settings.LANGUAGE_CODE)


def choose(client, language, next_url="/"):
    """Pick a language the way a user does: POST the footer's set_language form."""
    response = client.post("/i18n/setlang/", {"language": language, "next": next_url})
    assert response.status_code == 302
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
    return response


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


PAGES = {
    # url name: (English that must appear, Vietnamese heading that must disappear)
    "home": (["Hello,", "Log out", "Notifications", "Skip to main content"], ["Xin chào", "Đăng xuất"]),
    "models_registry:list": (["“Dân vận khéo” models", "Register a model", "Filter"],
                             ["Mô hình “Dân vận khéo”", "Đăng ký mô hình"]),
    "awards:pledge_list": (["Pledges", "New pledge", "Search by name"], ["Bản đăng ký", "Đăng ký mới"]),
    "plans:plan_list": (["Plans to carry out the movement", "Create a plan", "All years"],
                        ["Kế hoạch thực hiện phong trào", "Tạo kế hoạch"]),
    "plans:notifications": (["Notifications", "Mark all as read", "You have no notifications yet."],
                            ["Đánh dấu tất cả là đã đọc", "Bạn chưa có thông báo nào."]),
}


def test_pages_speak_english_after_choosing_it_and_vietnamese_again_after_switching_back(client, people):
    client.force_login(people["staff"])
    vietnamese = {name: page(client, reverse(name)) for name in PAGES}
    for name, (_english, headings) in PAGES.items():
        for text in headings:
            assert text in vietnamese[name], (name, text)

    choose(client, "en")
    for name, (english, headings) in PAGES.items():
        html = page(client, reverse(name))
        assert '<html lang="en">' in html
        for text in english:
            assert text in html, (name, text)
        for text in headings:
            assert text not in html, (name, text)
    assert "Dân vận khéo" in html  # the movement's name stays Vietnamese in every language

    choose(client, "vi")
    for name, (english, headings) in PAGES.items():
        html = page(client, reverse(name))
        assert '<html lang="vi">' in html
        for text in headings:
            assert text in html, (name, text)
        assert english[0] not in html, (name, english[0])


def test_nav_and_home_cards_follow_the_chosen_language(client, people):
    client.force_login(people["admin"])
    choose(client, "en")
    html = page(client, "/")
    assert "User accounts" in html and "Tài khoản người dùng" not in html
    assert ">Administration<" in html and "Việc cần làm" not in html
    assert ">Users<" in html and ">Người dùng<" not in html


def test_login_page_in_english_and_back(client, people):
    login_url = reverse("login")
    assert "Quên mật khẩu?" in page(client, login_url)
    choose(client, "en", login_url)
    html = page(client, login_url)
    assert "Log in" in html and "Forgot your password?" in html and "Username" in html
    assert "Quên mật khẩu?" not in html and "Tên đăng nhập" not in html
    response = client.post(login_url, {"username": people["staff"].username, "password": "wrong"})
    assert "Incorrect username or password" in response.content.decode()
    choose(client, "vi", login_url)
    html = page(client, login_url)
    assert "Quên mật khẩu?" in html and "Forgot your password?" not in html


def test_browser_language_alone_does_not_switch_to_english(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Quên mật khẩu?" in html and "Forgot your password?" not in html


def test_every_english_msgstr_is_translated_and_not_fuzzy():
    with PO.open("rb") as po:
        catalog = read_po(po)
    assert not catalog.fuzzy
    messages = [m for m in catalog if m.id]
    assert len(messages) > 1000
    untranslated = [m.id for m in messages
                    if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    fuzzy = [m.id for m in messages if m.fuzzy]
    assert untranslated == []
    assert fuzzy == []
