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

from portal.accounts.models import SecurityEvent
from portal.accounts.services import user_deactivate
from tests.factories import TEST_USER_LOGIN as PASSWORD

pytestmark = pytest.mark.django_db
QR = 'data-testid="totp-qr"'  # the QR code to scan, shown only once enrolment is allowed


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


def _enrol_by_email(client, user):
    """Ask for the emailed enrolment link and open it (the tests run the worker's task in-process)."""
    mail.outbox.clear()
    client.post(reverse("accounts:otp_verify"), {"action": "link"})
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    link = re.search(r"https?://[^/\s]+(/accounts/2fa/enrol/[^\s]+/)", mail.outbox[0].body).group(1)
    return link


def _totp(device):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


@pytest.mark.parametrize("who", ["leader", "admin"])
def test_privileged_roles_must_pass_totp_when_required(client, people, settings, who):
    settings.REQUIRE_2FA = True
    user = people[who]
    client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp_verify"))
    # The password alone does not show the QR code: enrolment needs the emailed link.
    gate = client.get(reverse("accounts:otp_verify")).content.decode()
    assert QR not in gate and "Gửi liên kết đăng ký" in gate
    assert not TOTPDevice.objects.filter(user=user).exists()
    link = _enrol_by_email(client, user)
    assert client.get(link).status_code == 302
    setup = client.get(reverse("accounts:otp_verify"))
    assert QR in setup.content.decode()  # the QR code to scan
    device = TOTPDevice.objects.get(user=user)
    wrong = client.post(reverse("accounts:otp_verify"), {"token": "000000" if _totp(device) != "000000" else "111111"})
    assert "không đúng" in wrong.content.decode()
    # After a wrong code django-otp throttles the device for a moment: wait it out.
    with time_machine.travel(timezone.now() + dt.timedelta(seconds=30), tick=False):
        response = client.post(reverse("accounts:otp_verify"), {"token": _totp(device)})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert set(SecurityEvent.objects.filter(user=user).values_list("action", flat=True)) == {
        "enrol_link_sent", "enrolled"}


def test_an_enrolment_link_works_once_and_only_for_its_own_account(client, people, settings):
    settings.REQUIRE_2FA = True
    leader, admin = people["leader"], people["admin"]
    client.force_login(leader)
    link = _enrol_by_email(client, leader)
    # Someone else signed in (knowing another privileged password) cannot use the leader's link.
    other = type(client)()
    other.force_login(admin)
    other.get(link)
    assert QR not in other.get(reverse("accounts:otp_verify")).content.decode()
    client.get(link)
    assert QR in client.get(reverse("accounts:otp_verify")).content.decode()
    # A second use of the same link (another browser that signed in with the password) is refused.
    third = type(client)()
    third.force_login(leader)
    third.get(link)
    assert QR not in third.get(reverse("accounts:otp_verify")).content.decode()


def test_admin_resets_a_lost_device_with_an_audit_entry_and_a_one_time_code(client, people, settings):
    settings.REQUIRE_2FA = False  # the administrator's own second factor is tested above
    leader, admin = people["leader"], people["admin"]
    TOTPDevice.objects.create(user=leader, name="Điện thoại cũ", confirmed=True)
    staff_client = type(client)()
    staff_client.force_login(people["staff"])
    assert staff_client.post(reverse("accounts:user_2fa_reset", args=[leader.pk])).status_code == 403
    assert TOTPDevice.objects.filter(user=leader).exists()
    client.force_login(admin)
    page = client.post(reverse("accounts:user_2fa_reset", args=[leader.pk])).content.decode()
    code = re.search(r'data-testid="enrol-code">([^<]+)<', page).group(1).strip()
    assert not TOTPDevice.objects.filter(user=leader).exists()
    event = SecurityEvent.objects.get(user=leader, action="2fa_reset")
    assert event.actor == admin
    detail = client.get(reverse("accounts:user_detail", args=[leader.pk])).content.decode()
    assert "đặt lại xác thực hai lớp" in detail
    # The leader enrols a new phone with the code, once.
    settings.REQUIRE_2FA = True
    owner = type(client)()
    owner.force_login(leader)
    wrong = owner.post(reverse("accounts:otp_verify"), {"action": "code", "code": "AAAA-BBBB-CCCC"})
    assert "không đúng" in wrong.content.decode()
    owner.post(reverse("accounts:otp_verify"), {"action": "code", "code": code.lower()})
    assert QR in owner.get(reverse("accounts:otp_verify")).content.decode()
    again = type(client)()
    again.force_login(leader)
    again.post(reverse("accounts:otp_verify"), {"action": "code", "code": code})
    assert QR not in again.get(reverse("accounts:otp_verify")).content.decode()


def test_staff_need_no_second_factor(client, people, settings):
    settings.REQUIRE_2FA = True
    client.post("/accounts/login/", {"username": "canbo_d", "password": PASSWORD})
    assert client.get("/").status_code == 200


def test_password_reset_does_not_reveal_whether_an_account_exists(client, people):
    known = client.post(reverse("password_reset"), {"email": people["staff"].email}, follow=True)
    unknown = client.post(reverse("password_reset"), {"email": "khongco@example.org"}, follow=True)
    assert known.status_code == unknown.status_code == 200
    def visible(response):
        return re.sub(r'name="(csrfmiddlewaretoken|_submission)" value="[^"]+"', "", response.content.decode())

    assert visible(known) == visible(unknown)
    assert len(mail.outbox) == 1 and "Dân vận khéo" in mail.outbox[0].subject
