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
# Deadline day (LOAD_SCENARIO=deadline|both): staff of many communes, each registering and submitting.
communes = list(
    User.objects.filter(is_active=True, unit__is_active=True, unit__kind__code__in=["xa", "phuong"], roles__code="canbo")
    .order_by("unit__path").distinct().values("pk", "username", "unit_id")
)
communes = communes[:: max(1, len(communes) // 200)][:200]
User.objects.filter(pk__in=[a["pk"] for a in communes]).update(password=encoded)
year = timezone.localdate().year
phase = Phase.for_year(year)
if os.environ.get("LOAD_SCENARIO", "mix") != "mix":
    # The last hours before the deadline: this year's deadline is moved to tomorrow for the whole tree.
    import datetime as dt

    from models_registry.models import RegistrationDeadline
    from portal.units.models import Unit

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    RegistrationDeadline.objects.filter(year=year).update(date=tomorrow)  # a level's own deadline too
    for root in Unit.objects.filter(depth=1):
        RegistrationDeadline.objects.update_or_create(
            unit=root, year=year, defaults={"date": tomorrow})
Path(__file__).with_name("load_users.json").write_text(json.dumps({
    "password": password, "accounts": sample, "commune_accounts": communes, "year": year,
    "phase_id": phase.pk if phase else None,
}, ensure_ascii=False), encoding="utf-8")
print(f"{len(sample)} load accounts ready, {len(communes)} of communes")
