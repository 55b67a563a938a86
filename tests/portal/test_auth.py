import datetime as dt
import re

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.services import user_deactivate
from tests.factories import TEST_USER_LOGIN as PASSWORD

pytestmark = pytest.mark.django_db


def test_login_page_speaks_vietnamese(client):
    body = client.get("/accounts/login/").content.decode()
    assert "Đăng nhập" in body and "Tên đăng nhập" in body and "Mật khẩu" in body


def test_wrong_password_is_explained_in_vietnamese(client, people):
    response = client.post("/accounts/login/", {"username": "canbo_d", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()
    assert 'value="canbo_d"' in response.content.decode()  # what was typed is kept


def test_login_then_home_greets_the_user(client, people):
    response = client.post("/accounts/login/", {"username": "canbo_d", "password": PASSWORD}, follow=True)
    body = response.content.decode()
    assert "Xin chào" in body and "Dân vận khéo" in body


def test_account_locks_after_five_failures(client, people):
    for _ in range(5):
        client.post("/accounts/login/", {"username": "canbo_d", "password": "sai"})
    response = client.post("/accounts/login/", {"username": "canbo_d", "password": PASSWORD})
    assert response.status_code == 429
    assert "tạm thời bị khóa" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_deactivating_an_account_ends_its_session(client, people):
    client.force_login(people["staff"])
    assert client.get("/").status_code == 200
    user_deactivate(user=people["staff"], by=people["admin"])
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_session_expires_after_idle_time_and_activity_pushes_it_back(client, people, settings):
    from django.contrib.sessions.models import Session

    client.force_login(people["staff"])
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        client.get("/")
    key = client.session.session_key
    first = Session.objects.get(session_key=key).expire_date
    assert first <= start + dt.timedelta(seconds=settings.SESSION_COOKIE_AGE + 1)
    # Active 20 minutes later: the deadline moves 20 minutes on.
    with time_machine.travel(start + dt.timedelta(minutes=20), tick=False):
        assert client.get("/").status_code == 200
    assert Session.objects.get(session_key=key).expire_date >= first + dt.timedelta(minutes=19)
    # Idle past the timeout: signed out.
    with time_machine.travel(start + dt.timedelta(minutes=20, seconds=settings.SESSION_COOKIE_AGE + 5), tick=False):
        response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("password", ["short1!", "password123", "12345678901"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_leadership_must_pass_totp_when_required(client, people, settings):
    settings.REQUIRE_2FA = True
    client.post("/accounts/login/", {"username": "lanhdao_d", "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_verify"))
    setup = client.get(reverse("accounts:otp_verify"))
    assert "<svg" in setup.content.decode()  # the QR code to scan
    device = TOTPDevice.objects.get(user=people["leader"])
    wrong = client.post(reverse("accounts:otp_verify"), {"token": "000000" if totp(device.bin_key) != 0 else "111111"})
    assert "không đúng" in wrong.content.decode()
    # After a wrong code django-otp throttles the device for a moment: wait it out.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=30), tick=False):
        token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
        response = client.post(reverse("accounts:otp_verify"), {"token": token})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def test_staff_need_no_second_factor(client, people, settings):
    settings.REQUIRE_2FA = True
    client.post("/accounts/login/", {"username": "canbo_d", "password": PASSWORD})
    assert client.get("/").status_code == 200


def test_password_reset_does_not_reveal_whether_an_account_exists(client, people):
    known = client.post(reverse("password_reset"), {"email": people["staff"].email}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "khongco@example.org"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    def visible(response):
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())

    assert visible(known) == visible(unknown)
    assert len(mail.outbox) == 1 and "Dân vận khéo" in mail.outbox[0].subject
