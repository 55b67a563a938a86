"""Lockout, two-factor enrolment and password reset under the production settings, served by
gunicorn behind a (simulated) TLS proxy that writes the client's address into X-Forwarded-For.

The worker's part (sending an email) is run in this process with the same code the worker runs
(`portal.accounts.forms.send_*`), so the emails can be read; the web process only queues, which is
checked on the private Redis queue the server writes to.
"""

from __future__ import annotations

import re
import secrets
import urllib.parse

import pytest
import redis
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.forms import send_enrolment_email, send_reset_links
from tests.factories import TEST_USER_LOGIN as PASSWORD
from tests.quality.servers import Gunicorn, production_env
from tests.quality.test_production_headers import Browser, _db_url, _production_password

pytestmark = [pytest.mark.django_db(transaction=True)]
QUEUE = f"dvk-security-{secrets.token_hex(4)}"


@pytest.fixture(scope="module")
def server(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        url = _db_url()
    env = production_env(url, REQUIRE_2FA="1", CLIENT_IP_HEADER="X-Forwarded-For", TRUSTED_PROXY_COUNT="1",
                         CELERY_TASK_ALWAYS_EAGER="0", CELERY_QUEUE=QUEUE, AXES_CLIENT_FAILURE_LIMIT="12")
    with _Gunicorn(env) as running:
        yield running


class _Gunicorn(Gunicorn):
    """Ready when the sign-in page answers (/healthz also waits on the broker's worker ping, and
    this server's queue has no worker: the tests play the worker's part themselves)."""

    def __enter__(self):
        import subprocess

        from tests.quality.servers import BIN, ROOT, collect_production_static, wait_for

        collect_production_static(self.env)
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "portal.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", str(self.workers),
             "--threads", str(self.threads), "--timeout", "60"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_for(self.url + "/accounts/login/", timeout=60)
        return self


class Client(Browser):
    """A browser at one client address (the proxy appends it to X-Forwarded-For)."""

    def __init__(self, base, address):
        super().__init__(base)
        self.address = address

    def request(self, path, data=None, headers=None):
        return super().request(path, data, {"X-Forwarded-For": self.address, **(headers or {})})

    def page(self, path):
        response = self.request(path)
        return response, response.read().decode()

    def submit(self, path, fields, page_path=None):
        _response, html = self.page(page_path or path)
        csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        origin = self.base.replace("http://", "https://")
        return self.request(path, urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": csrf}).encode(),
                            {"Referer": origin + (page_path or path), "Origin": origin})

    def login(self, username, password):
        return self.submit("/accounts/login/", {"username": username, "password": password})


def _queued() -> int:
    return redis.Redis.from_url(settings.CELERY_BROKER_URL).llen(QUEUE)


def test_a_guesser_cannot_lock_the_leader_out_and_a_client_guessing_across_accounts_is_stopped(people, server):
    leader = people["leader"]
    _production_password(leader)
    attacker = Client(server.url, "203.0.113.66")
    answers = [attacker.login(leader.username, "sai-mat-khau").status for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the fifth wrong password locks
    locked = attacker.login(leader.username, PASSWORD)
    assert locked.status == 429  # this client, this account: locked even with the right password
    assert "Quên mật khẩu" in locked.read().decode()
    # The real leader, from their own machine, signs in (on to the second factor).
    owner = Client(server.url, "198.51.100.7")
    assert owner.login(leader.username, PASSWORD).status == 302
    assert owner.request("/").headers["Location"].startswith("/accounts/2fa/")
    # One client failing across many accounts is throttled as a whole, whatever name it tries next.
    sprayer = Client(server.url, "203.0.113.99")
    answers = [sprayer.login(f"nguoi{i}", "sai-mat-khau").status for i in range(12)]
    assert answers == [200] * 11 + [429]  # no single account failed twice: the client limit (12) acts
    _production_password(people["staff"])
    assert sprayer.login(people["staff"].username, PASSWORD).status == 429
    # ...while the same account from another address is not.
    assert Client(server.url, "198.51.100.8").login(people["staff"].username, PASSWORD).status == 302


def test_the_reset_link_unlocks_the_account_and_the_request_only_queues_within_limits(people, server):
    staff = people["staff"]
    _production_password(staff)
    guesser = Client(server.url, "203.0.113.70")
    for _ in range(5):
        guesser.login(staff.username, "sai-mat-khau")
    assert guesser.login(staff.username, PASSWORD).status == 429
    # Known and unknown addresses: the same answer, and the same work — one queued task each, no
    # email sent by the web process (the lookup and the sending are the worker's).
    before = _queued()
    known = guesser.submit("/accounts/password-reset/", {"email": staff.email})
    unknown = guesser.submit("/accounts/password-reset/", {"email": "khong-co@example.org"})
    assert known.status == unknown.status == 302
    assert known.headers["Location"] == unknown.headers["Location"]
    assert _queued() == before + 2
    # Per address: three an hour; more requests are answered the same way and queue nothing.
    for _ in range(4):
        assert guesser.submit("/accounts/password-reset/", {"email": staff.email}).status == 302
    assert _queued() == before + 4
    # The worker's part, then the owner follows the link from the locked machine.
    mail.outbox.clear()
    with override_settings(SECRET_KEY=server.env["SECRET_KEY"]):
        assert send_reset_links(staff.email, "https://cong.example.org") == 1
    link = re.search(r"https://cong\.example\.org(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    opened = guesser.request(link)
    assert opened.status == 302
    form_path = opened.headers["Location"]
    new_password = "Mat-khau-moi#2026"
    done = guesser.submit(form_path, {"new_password1": new_password, "new_password2": new_password})
    assert done.status == 302
    assert guesser.login(staff.username, new_password).status == 302  # unlocked on this client too


def test_two_factor_enrolment_needs_the_emailed_link_not_just_the_password(people, server):
    leader = people["leader"]
    _production_password(leader)
    TOTPDevice.objects.filter(user=leader).delete()
    intruder = Client(server.url, "203.0.113.80")  # knows the password
    assert intruder.login(leader.username, PASSWORD).status == 302
    _response, gate = intruder.page("/accounts/2fa/")
    assert 'data-testid="totp-qr"' not in gate and "Gửi liên kết đăng ký" in gate
    intruder.submit("/accounts/2fa/", {"action": "code", "code": "1234-5678-9ABC"})
    assert 'data-testid="totp-qr"' not in intruder.page("/accounts/2fa/")[1]
    assert intruder.page("/")[0].status == 302  # still held at the second factor
    before = _queued()
    assert intruder.submit("/accounts/2fa/", {"action": "link"}).status == 302
    assert _queued() == before + 1  # the link goes to the owner's mailbox, by the worker
    # The owner receives it (the worker's part) and opens it in their own signed-in browser.
    mail.outbox.clear()
    with override_settings(SECRET_KEY=server.env["SECRET_KEY"]):
        assert send_enrolment_email(leader.pk, "https://cong.example.org")
    assert mail.outbox[0].to == [leader.email]
    link = re.search(r"https://cong\.example\.org(/accounts/2fa/enrol/\S+/)", mail.outbox[0].body).group(1)
    assert 'data-testid="totp-qr"' not in intruder.page("/accounts/2fa/")[1]
    owner = Client(server.url, "198.51.100.7")
    assert owner.login(leader.username, PASSWORD).status == 302
    assert owner.request(link).status == 302
    _response, setup = owner.page("/accounts/2fa/")
    assert 'data-testid="totp-qr"' in setup
    device = TOTPDevice.objects.get(user=leader, confirmed=False)
    token = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert owner.submit("/accounts/2fa/", {"token": token}).status == 302
    assert owner.page("/")[0].status == 200
    # The link was spent: the intruder's session still cannot enrol.
    assert intruder.request(link).status == 302
    assert 'data-testid="totp-qr"' not in intruder.page("/accounts/2fa/")[1]
