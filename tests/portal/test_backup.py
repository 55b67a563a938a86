"""The backup and restore drill: make backup, lose the data, make restore, everything is back.

"Everything" is measured, not sampled: every table of the database (its row count and a digest of
all its rows) and every file under both media roots (its path and SHA-256).
"""

import hashlib
import io
import os
import subprocess
import tarfile
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.security.world import build_world

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


def database_snapshot() -> dict[str, tuple[int, str]]:
    """{table: (rows, md5 of all its rows in a stable order)} for every table of the database."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT count(*), coalesce(md5(string_agg(t::text, '|' ORDER BY t::text)), '') "
                           f"FROM {quoted} AS t")
            snapshot[table] = cursor.fetchone()
    return snapshot


def files_snapshot(*roots: Path) -> dict[str, str]:
    """{root name/relative path: SHA-256} of every file under the roots."""
    found = {}
    for root in roots:
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            found[f"{root.name}/{path.relative_to(root)}"] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


def _backup(env) -> Path:
    out = subprocess.run(["scripts/backup.sh", "backup"], cwd=ROOT, env=env, check=True,
                         capture_output=True, text=True).stdout.strip().splitlines()[-1]
    return ROOT / out


@pytest.fixture
def drill_data(tree, people, make_user, phase, settings, tmp_path):
    """Rows in every app (the access matrix's world: models, pledges, rounds, proposals, plans…)
    and files in both media roots (attachments, photos, evidence), plus a file with a Vietnamese name."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    build_world(tree, people, make_user, phase)
    extra = settings.MEDIA_ROOT / "tài-liệu" / "Biên bản họp.txt"
    extra.parent.mkdir(parents=True, exist_ok=True)
    extra.write_text("Biên bản họp Chi bộ tháng 9", encoding="utf-8")
    return settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT


def test_backup_then_restore_brings_back_every_record_and_file(drill_data, tmp_path):
    media, private = drill_data
    env = _env(tmp_path)
    tables_before = database_snapshot()
    files_before = files_snapshot(media, private)
    filled = [t for t, (rows, _) in tables_before.items() if rows]
    assert len(filled) >= 40, filled  # the drill covers data in every app, not two tables
    assert sum(name.startswith("private/") for name in files_before) >= 4
    assert sum(name.startswith("media/") for name in files_before) >= 1

    archive = _backup(env)
    try:
        # Disaster: the whole schema is dropped and every uploaded file is gone.
        with connection.cursor() as cursor:
            cursor.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public")
        for path in sorted(p for root in (media, private) for p in root.rglob("*") if p.is_file()):
            path.unlink()
        assert database_snapshot() == {} and files_snapshot(media, private) == {}

        result = subprocess.run(["scripts/backup.sh", "restore", str(archive)], cwd=ROOT, env=env,
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        connection.close()
        tables_after = database_snapshot()
        assert sorted(tables_after) == sorted(tables_before)
        differ = [t for t in tables_before if tables_after[t] != tables_before[t]]
        assert differ == [], f"tables not restored to the same rows: {differ}"
        assert files_snapshot(media, private) == files_before
    finally:
        archive.unlink(missing_ok=True)


def _tamper(archive: Path, member_suffix: str, out: Path) -> str:
    """Copy a valid archive with one member's last byte flipped (the tar itself stays readable);
    return that member's name."""
    with tarfile.open(archive) as src, tarfile.open(out, "w") as dst:
        changed = None
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None
            if data and member.name.endswith(member_suffix) and changed is None:
                data = data[:-1] + bytes([data[-1] ^ 0xFF])
                changed = member.name
            dst.addfile(member, io.BytesIO(data) if data is not None else None)
    assert changed, member_suffix
    return changed.removeprefix("./")


@pytest.mark.parametrize("member", ["database.dump", ".pdf"])
def test_restore_refuses_a_damaged_archive_by_its_checksum(drill_data, tmp_path, member):
    """One flipped byte in the dump or in a file: restore stops at the checksum and changes nothing."""
    media, private = drill_data
    env = _env(tmp_path)
    archive = _backup(env)
    try:
        damaged = tmp_path / "damaged.tar"
        name = _tamper(archive, member, damaged)
        tables_before = database_snapshot()
        files_before = files_snapshot(media, private)
        result = subprocess.run(["scripts/backup.sh", "restore", str(damaged)], cwd=ROOT, env=env,
                                capture_output=True, text=True)
        assert result.returncode == 1
        assert "checksum sai" in result.stderr
        assert f"{name}: FAILED" in result.stderr  # which file is damaged
        assert database_snapshot() == tables_before
        assert files_snapshot(media, private) == files_before
    finally:
        archive.unlink(missing_ok=True)


def test_restore_refuses_an_unreadable_archive(tmp_path):
    broken = tmp_path / "broken.tar"
    broken.write_bytes(b"not a tar")
    result = subprocess.run(["scripts/backup.sh", "restore", str(broken)], cwd=ROOT, env=_env(tmp_path),
                            capture_output=True, text=True)
    assert result.returncode == 1
    assert "không đọc được" in result.stderr
