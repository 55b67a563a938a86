"""Faults with real services: Redis stopped while people work, PostgreSQL restarted mid-traffic."""

import concurrent.futures
import os
import re
import shutil
import socket
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


class PrivatePostgres:
    """A PostgreSQL cluster of the test's own (initdb in a temporary folder, its own free port).

    Stopping and restarting it disturbs no other test run: the machine's cluster is never touched.
    Every pg_ctl call is checked, so a restart that did not happen cannot pass for one that did.
    """

    def __init__(self):
        self.port = free_port()
        self.data = Path(tempfile.mkdtemp(prefix="dvk-pg-"))
        self.as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _pg_ctl(self, *args, timeout=60):
        command = [*self.as_postgres, _pg_bin("pg_ctl"), "-D", str(self.data / "db"),
                   "-o", f"-p {self.port} -k {self.data} -c listen_addresses=127.0.0.1",
                   "-l", str(self.data / "log"), *args]
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
        assert result.returncode == 0, f"pg_ctl {' '.join(args)} failed: {result.stdout}{result.stderr}"
        return result

    def init(self):
        if self.as_postgres:
            shutil.chown(self.data, "postgres")
        result = subprocess.run([*self.as_postgres, _pg_bin("initdb"), "-D", str(self.data / "db"), "-A", "trust",
                                 "-U", "postgres", "-E", "UTF8", "--no-sync"], capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return self

    def start(self):
        self._pg_ctl("-w", "start")

    def stop(self):
        self._pg_ctl("-w", "-m", "fast", "stop")

    def restart(self):
        self._pg_ctl("-w", "-m", "fast", "restart")

    def accepts_connections(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                return True
        except OSError:
            return False

    def remove(self):
        subprocess.run([*self.as_postgres, _pg_bin("pg_ctl"), "-D", str(self.data / "db"), "-m", "immediate",
                        "stop"], capture_output=True)
        shutil.rmtree(self.data, ignore_errors=True)


# A page that runs SQL for an anonymous visitor (the public showcase reads the models table).
SQL_PAGE = "/showcase/"


def _burst(base: str, n: int = 12) -> list[tuple[int, str]]:
    """n requests at once, so that every gunicorn worker thread uses (and keeps) its connection."""
    def one(_):
        response = Browser(base).request(SQL_PAGE)
        return response.status, response.read().decode()

    with concurrent.futures.ThreadPoolExecutor(n) as pool:
        return list(pool.map(one, range(n)))


def _assert_clean(answers):
    for status, body in answers:
        assert status in (200, 503), status  # never a 500
        assert "Traceback" not in body
        if status == 503:
            assert "tạm thời gián đoạn" in body


@pytest.mark.skipif(_pg_bin("initdb") is None, reason="needs the PostgreSQL server binaries")
def test_postgresql_restart_mid_traffic_fails_cleanly_and_recovers():
    """A private PostgreSQL cluster restarted, then stopped and started, under traffic.

    gunicorn runs as in production: 2 workers × 4 threads with persistent connections (60 s), so
    every thread holds a connection that the restart kills. While the database is down a page that
    runs SQL answers the Vietnamese 503 page (the database-outage middleware), never a 500 or a
    traceback; once it is back the same processes answer 200 again.
    """
    pg = PrivatePostgres().init()
    try:
        pg.start()
        env = production_env(pg.url, DB_CONN_MAX_AGE="60")
        subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        with Gunicorn(env) as server:
            warm = _burst(server.url)
            assert [status for status, _ in warm] == [200] * len(warm)

            # 1. A restart in the middle of traffic: every answer is a page or the clean 503.
            restart = concurrent.futures.ThreadPoolExecutor(1).submit(pg.restart)
            answers = []
            while not restart.done():
                answers += _burst(server.url, 4)
            restart.result()  # pg_ctl restart succeeded (its exit status is checked)
            _assert_clean(answers)

            # 2. An outage: the database is down, so SQL pages must say so with a 503.
            pg.stop()
            assert not pg.accepts_connections()
            outage = _burst(server.url) + _burst(server.url)
            _assert_clean(outage)
            assert [status for status, _ in outage] == [503] * len(outage), "a page served without its database"
            assert Browser(server.url).request("/healthz").status == 503

            # 3. Recovery without restarting gunicorn: within a few seconds every thread answers 200.
            pg.start()
            deadline = time.monotonic() + 30
            recovered = False
            while time.monotonic() < deadline and not recovered:
                answers = _burst(server.url)
                _assert_clean(answers)
                recovered = all(status == 200 for status, _ in answers + _burst(server.url))
                time.sleep(0.2)
            assert recovered, "the portal did not recover after PostgreSQL came back"
            assert Browser(server.url).request("/healthz").status == 200
    finally:
        pg.remove()
