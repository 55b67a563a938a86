"""Faults with real services: Redis stopped while people work, PostgreSQL restarted mid-traffic."""

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

import pytest

from portal.models import ReportRequest
from tests.quality.servers import BIN, ROOT, Gunicorn, PrivateRedis, free_port, production_env
from tests.quality.test_production_headers import PASSWORD, Browser, _db_url, _production_password

pytestmark = [pytest.mark.django_db(transaction=True)]


def _login(browser, username):
    page = browser.request("/accounts/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    origin = browser.base.replace("http://", "https://")
    response = browser.request("/accounts/login/", urllib.parse.urlencode(
        {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}).encode(),
        {"Referer": origin + "/accounts/login/", "Origin": origin})
    assert response.status == 302, "login failed"
    return origin


def _post(browser, path, fields, origin):
    page = browser.request("/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return browser.request(path, urllib.parse.urlencode({**fields, "csrfmiddlewaretoken": token}).encode(),
                           {"Referer": origin + "/", "Origin": origin})


def _celery(args, env):
    log = open(Path(ROOT) / ".make" / f"fault-{args[0]}.log", "ab")
    return subprocess.Popen([str(BIN / "celery"), "-A", "portal", *args], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)


def test_redis_stopped_pages_keep_working_and_a_report_waits_for_its_return(people, tree):
    _production_password(people["leader"])
    redis = PrivateRedis().start()
    env = production_env(_db_url(), REDIS_URL=redis.url, CELERY_QUEUE="fault-queue",
                         REPORT_REQUEUE_AFTER_SECONDS="1", REPORT_REQUEUE_INTERVAL="1")
    processes = []
    try:
        with Gunicorn(env) as server:
            browser = Browser(server.url)
            origin = _login(browser, "lanhdao_d")
            redis.stop()
            assert browser.request("/").status == 200
            assert browser.request(f"/units/{tree['district'].pk}/").status == 200
            health = browser.request("/healthz")
            assert health.status == 503  # tasks cannot be queued: the health check says so
            response = _post(browser, "/reports/new/unit-list/", {"unit": tree["district"].pk}, origin)
            assert response.status == 302
            detail = browser.request(response.headers["Location"].replace(origin, "")).read().decode()
            assert "Hàng đợi tạm thời không khả dụng" in detail
            report = ReportRequest.objects.get()
            assert report.status == "queued"  # saved, not lost
            # Redis returns; the worker and beat pick the waiting request up.
            redis.start()
            processes.append(_celery(["worker", "--pool=solo", "-Q", "fault-queue", "--without-gossip",
                                      "--without-mingle", "-l", "info"], env))
            beat_dir = tempfile.mkdtemp()
            processes.append(_celery(["beat", "-l", "info", "-s", os.path.join(beat_dir, "schedule")], env))
            deadline = time.time() + 90
            while time.time() < deadline:
                report.refresh_from_db()
                if report.status == "done":
                    break
                time.sleep(0.5)
            assert report.status == "done"
            assert ReportRequest.objects.count() == 1
            # The same web processes queue new work again without a restart.
            again = _post(browser, "/reports/new/unit-list/", {"unit": tree["commune"].pk}, origin)
            assert again.status == 302
            newer = ReportRequest.objects.exclude(pk=report.pk).get()
            deadline = time.time() + 60
            while time.time() < deadline and newer.status != "done":
                time.sleep(0.3)
                newer.refresh_from_db()
            assert newer.status == "done" and not newer.message
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=20)
        redis.stop()


def _pg_bin(name):
    found = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    return str(found[-1]) if found else shutil.which(name)


@pytest.mark.skipif(_pg_bin("initdb") is None, reason="needs the PostgreSQL server binaries")
def test_postgresql_restart_mid_traffic_fails_cleanly_and_recovers(tmp_path):
    """A private PostgreSQL cluster (so no other test is disturbed) restarted under traffic."""
    port = free_port()
    data = Path(tempfile.mkdtemp(prefix="dvk-pg-"))
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    if as_postgres:
        shutil.chown(data, "postgres")
    subprocess.run([*as_postgres, _pg_bin("initdb"), "-D", str(data), "-A", "trust", "-U", "postgres"],
                   check=True, capture_output=True)
    pg_ctl = [*as_postgres, _pg_bin("pg_ctl"), "-D", str(data), "-o", f"-p {port} -k {data}", "-l", str(data / "log")]
    subprocess.run([*pg_ctl, "-w", "start"], check=True, capture_output=True)
    url = f"postgres://postgres@127.0.0.1:{port}/postgres"
    try:
        env = production_env(url)
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        with Gunicorn(env) as server:
            browser = Browser(server.url)
            assert browser.request("/accounts/login/").status == 200
            subprocess.Popen([*pg_ctl, "-m", "fast", "-w", "restart"], stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
            statuses = []
            deadline = time.time() + 20
            while time.time() < deadline:
                response = browser.request("/accounts/login/")
                body = response.read().decode()
                statuses.append(response.status)
                assert response.status in (200, 503), response.status
                assert "Traceback" not in body
                if response.status == 503:
                    assert "tạm thời gián đoạn" in body
                time.sleep(0.05)
            # Recovered without restarting the portal.
            assert statuses[-1] == 200
            assert browser.request("/healthz").status == 200
    finally:
        subprocess.run([*pg_ctl, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(data, ignore_errors=True)
