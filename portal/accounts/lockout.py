"""Sign-in throttles (django-axes), configured so they cannot be turned against an account's owner.

- An account is locked **per client** (account + client address together) after
  `AXES_FAILURE_LIMIT` wrong passwords: someone guessing the leader's password from one machine locks
  only that machine out of that account; the leader signs in from their own.
- A client that fails across accounts is throttled as a whole after `AXES_CLIENT_FAILURE_LIMIT`
  failures within the cool-off time, whatever names it tries.
- A password reset (the emailed link) and an administrator setting a password unlock the account on
  every client; `manage.py axes_reset_username NAME` does the same from the shell.

The client address is REMOTE_ADDR, or, behind a reverse proxy, the header named by
`CLIENT_IP_HEADER` (e.g. `X-Forwarded-For`), read `TRUSTED_PROXY_COUNT` entries from its right end,
so an address a client writes into the header itself is never trusted.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone


def client_ip(request) -> str:
    """The client's address, as the proxy in front of the portal saw it (see the module doc)."""
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    if header:
        raw = request.META.get("HTTP_" + header.upper().replace("-", "_"), "")
        hops = [h.strip() for h in raw.split(",") if h.strip()]
        count = max(1, getattr(settings, "TRUSTED_PROXY_COUNT", 1))
        if len(hops) >= count:
            candidate = hops[-count]
            try:
                return str(ipaddress.ip_address(candidate))
            except ValueError:
                pass
    return request.META.get("REMOTE_ADDR", "") or "0.0.0.0"


def username(request, credentials) -> str | None:
    """The name typed, cut to what an account name can be (the lockout log keeps 255 characters)."""
    value = (credentials or {}).get("username")
    if value is None and request is not None and hasattr(request, "POST"):
        value = request.POST.get("username")
    return None if value is None else str(value)[:150]


def client_failures(ip: str) -> int:
    """Failed sign-ins from `ip` within the cool-off time, over all accounts."""
    from axes.models import AccessAttempt

    since = timezone.now() - timezone.timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    total = AccessAttempt.objects.filter(ip_address=ip, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start"))["n"]
    return total or 0


def lockout_parameters(request_or_attempt, credentials=None) -> list:
    """Account + client always; the client alone once it has failed too often across accounts."""
    ip = getattr(request_or_attempt, "axes_ip_address", None) or getattr(request_or_attempt, "ip_address", None)
    parameters: list = [["username", "ip_address"]]
    if ip and client_failures(ip) >= settings.AXES_CLIENT_FAILURE_LIMIT:
        parameters.append("ip_address")
    return parameters


def unlock(user) -> None:
    """Lift every sign-in lock of `user` (all clients): the owner proved who they are."""
    from axes.utils import reset

    reset(username=user.get_username())
