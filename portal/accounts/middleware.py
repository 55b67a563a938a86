"""Two-factor sign-in: administrators and leadership must pass a TOTP check when REQUIRE_2FA is on."""

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

PRIVILEGED = {"admin", "lanhdao"}


def needs_second_factor(user) -> bool:
    if not getattr(settings, "REQUIRE_2FA", False) or not user.is_authenticated:
        return False
    return bool(user.is_superuser or user.role_codes & PRIVILEGED)


class RequireTwoFactorMiddleware:
    """Sends a privileged user who has not yet passed TOTP to set it up or to enter a code."""

    allowed_prefixes = ("/accounts/2fa/", "/accounts/logout/", "/static/", "/healthz", "/i18n/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and needs_second_factor(user)
            and not user.is_verified()
            and not request.path.startswith(self.allowed_prefixes)
        ):
            return redirect(f"{reverse('accounts:otp_verify')}?next={request.get_full_path()}")
        return self.get_response(request)
