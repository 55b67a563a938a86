"""Give a sample of staff across many units a known password for the load run."""

import json
import os
import secrets
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

import django  # noqa: E402

django.setup()

from django.contrib.auth.hashers import PBKDF2PasswordHasher  # noqa: E402
from django.utils import timezone  # noqa: E402

from portal.accounts.models import User  # noqa: E402
from portal.units.models import Phase  # noqa: E402

password = secrets.token_urlsafe(12)
hasher = PBKDF2PasswordHasher()
encoded = hasher.encode(password, hasher.salt())
accounts = list(
    User.objects.filter(is_active=True, unit__is_active=True, roles__code="canbo")
    .order_by("unit__path").distinct().values("pk", "username", "unit_id")
)
sample = accounts[:: max(1, len(accounts) // 200)][:200]
User.objects.filter(pk__in=[a["pk"] for a in sample] + list(User.objects.filter(username__in=["canbo", "lanhdao"]).values_list("pk", flat=True))).update(password=encoded)
sample += list(User.objects.filter(username__in=["canbo", "lanhdao"]).values("pk", "username", "unit_id"))
year = timezone.localdate().year
phase = Phase.for_year(year)
Path(__file__).with_name("load_users.json").write_text(json.dumps({
    "password": password, "accounts": sample, "year": year, "phase_id": phase.pk if phase else None,
}, ensure_ascii=False), encoding="utf-8")
print(f"{len(sample)} load accounts ready")
