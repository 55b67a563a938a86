"""The backup and restore drill: make backup, lose the data, make restore, everything is back."""

import hashlib
import os
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from portal.accounts.models import User
from portal.units.models import Unit

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(settings.BASE_DIR)


def _env(tmp_path):
    db = connection.settings_dict
    env = dict(os.environ)
    env["DATABASE_URL"] = (
        f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env["MEDIA_ROOT"] = str(tmp_path / "media")
    env["PRIVATE_MEDIA_ROOT"] = str(tmp_path / "private")
    return env


def test_backup_then_restore_brings_back_every_record_and_file(tree, people, tmp_path):
    env = _env(tmp_path)
    (tmp_path / "private" / "models").mkdir(parents=True)
    evidence = tmp_path / "private" / "models" / "minh-chung.pdf"
    evidence.write_bytes(b"%PDF-1.4 minh chung " * 100)
    digest = hashlib.sha256(evidence.read_bytes()).hexdigest()
    counts = (Unit.objects.count(), User.objects.count())
    names = sorted(Unit.objects.values_list("name", flat=True))

    out = subprocess.run(["scripts/backup.sh", "backup"], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    archive = ROOT / out
    try:
        # Disaster: the data and the files are gone.
        User.objects.all().delete()
        Unit.objects.all().delete()
        evidence.unlink()
        assert Unit.objects.count() == 0

        subprocess.run(["scripts/backup.sh", "restore", str(archive)], cwd=ROOT, env=env, check=True,
                       capture_output=True, text=True)
        connection.close()
        assert (Unit.objects.count(), User.objects.count()) == counts
        assert sorted(Unit.objects.values_list("name", flat=True)) == names
        assert hashlib.sha256(evidence.read_bytes()).hexdigest() == digest
    finally:
        archive.unlink(missing_ok=True)


def test_restore_refuses_a_damaged_archive(tmp_path):
    env = _env(tmp_path)
    broken = tmp_path / "broken.tar"
    broken.write_bytes(b"not a tar")
    result = subprocess.run(["scripts/backup.sh", "restore", str(broken)], cwd=ROOT, env=env,
                            capture_output=True, text=True)
    assert result.returncode != 0
