"""Second-factor enrolment, its administrator reset, and the password-reset request — each audited.

Enrolment is not first come, first served: signing in with a privileged account's password is not
enough to attach an authenticator app. The person also shows something only the owner has — a
one-time link sent to the account's email address, or a one-time code an administrator issued (and
handed over in person) — and only then sees the QR code. An administrator can reset a lost device;
the reset and every grant are written to the account's security log.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import EnrolmentGrant, PasswordResetRequest, SecurityEvent, User

log = logging.getLogger(__name__)
SESSION_KEY = "otp_enrol_user"
LINK_MINUTES = 30
CODE_HOURS = 72


def _digest(secret: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), secret.encode(), hashlib.sha256).hexdigest()


def _log(user, action, *, actor=None, note="") -> None:
    SecurityEvent.objects.create(user=user, actor=actor, action=action, note=note[:255])


@transaction.atomic
def enrolment_link_create(*, user: User) -> str:
    """A one-time enrolment token for `user` (the worker emails it); returns the token."""
    token = secrets.token_urlsafe(32)
    EnrolmentGrant.objects.create(user=user, kind=EnrolmentGrant.Kind.EMAIL, digest=_digest(token),
                                  expires_at=timezone.now() + dt.timedelta(minutes=LINK_MINUTES))
    _log(user, SecurityEvent.Action.ENROL_LINK_SENT, note=user.email)
    return token


@transaction.atomic
def enrolment_code_issue(*, user: User, by: User) -> str:
    """An administrator issues a one-time enrolment code for `user`; it is shown once."""
    code = "-".join(secrets.token_hex(2).upper() for _ in range(3))
    EnrolmentGrant.objects.create(user=user, kind=EnrolmentGrant.Kind.ADMIN, digest=_digest(code), issued_by=by,
                                  expires_at=timezone.now() + dt.timedelta(hours=CODE_HOURS))
    _log(user, SecurityEvent.Action.ENROL_CODE_ISSUED, actor=by)
    return code


@transaction.atomic
def enrolment_redeem(*, user: User, secret: str, kind: str) -> EnrolmentGrant:
    """Spend a link token or an administrator's code of `user`; ValidationError when not valid."""
    secret = (secret or "").strip()
    if kind == EnrolmentGrant.Kind.ADMIN:
        secret = secret.upper()
    grant = (EnrolmentGrant.objects.select_for_update()
             .filter(user=user, kind=kind, digest=_digest(secret), used_at__isnull=True,
                     expires_at__gt=timezone.now()).first())
    if grant is None:
        raise ValidationError(_("Liên kết hoặc mã đăng ký không đúng, đã dùng hoặc đã hết hạn."))
    grant.used_at = timezone.now()
    grant.save(update_fields=["used_at"])
    return grant


def enrolment_allowed(request) -> bool:
    return request.session.get(SESSION_KEY) == request.user.pk


def enrolment_confirmed(*, user: User) -> None:
    _log(user, SecurityEvent.Action.ENROLLED)


@transaction.atomic
def two_factor_reset(*, user: User, by: User) -> int:
    """An administrator removes `user`'s authenticator devices (a lost phone); audited."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    removed, _detail = TOTPDevice.objects.filter(user=user).delete()
    EnrolmentGrant.objects.filter(user=user, used_at__isnull=True).update(used_at=timezone.now())
    _log(user, SecurityEvent.Action.TWO_FACTOR_RESET, actor=by, note=f"{removed}")
    return removed


def unlocked(*, user: User, by: User | None, note: str) -> None:
    from .lockout import unlock

    unlock(user)
    _log(user, SecurityEvent.Action.UNLOCKED, actor=by, note=note)


# --- Password reset requests -----------------------------------------------------------------------

def password_reset_request(*, email: str, client: str, base: str = "") -> bool:
    """Record a reset request and queue its email unless a limit is reached; True when queued.

    The same work is done whether or not an account has the address (the lookup and the sending
    happen in the worker), so the answer's timing tells nothing; the limits are per address and per
    client, within an hour.
    """
    from portal.tasks import send_password_reset

    email = (email or "").strip().lower()
    digest = _digest(email)
    since = timezone.now() - dt.timedelta(hours=1)
    recent = PasswordResetRequest.objects.filter(created_at__gte=since)
    over = (recent.filter(email_digest=digest).count() >= settings.PASSWORD_RESET_PER_ADDRESS
            or recent.filter(client=client).count() >= settings.PASSWORD_RESET_PER_CLIENT)
    PasswordResetRequest.objects.create(email_digest=digest, client=client[:45])
    if over:
        return False
    try:
        send_password_reset.delay(email, base)
    except Exception:  # the broker is down: the person sees the same page and may ask again
        log.exception("password reset email not queued")
        return False
    return True
