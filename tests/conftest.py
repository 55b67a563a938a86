"""Shared fixtures: a small unit tree, one person per role in it and in a foreign subtree."""

import os

import pytest

from tests.factories import TEST_USER_LOGIN, PhaseFactory, UnitFactory, UserFactory

if os.environ.get("DVK_TEST_DATABASE_MIGRATED"):
    # `make mutate` runs each mutant's few tests in a pytest session of its own, in a process forked
    # from mutmut's: the database (DATABASE_URL itself, migrated once by scripts/mutate.sh) is used as
    # it is, instead of every session checking all migrations again. Each test still runs in a
    # transaction rolled back.
    _inherited = []

    @pytest.fixture(scope="session")
    def django_db_setup():
        from django.db import connections

        # Two forked sessions must not talk over the socket they inherited from their parent: each
        # opens a connection of its own. The inherited one is kept, never closed (closing it would end
        # the parent's session for the other forks).
        for connection in connections.all(initialized_only=True):
            _inherited.append(connection.connection)
            connection.connection = None


@pytest.fixture
def phase(db):
    return PhaseFactory()


@pytest.fixture
def tree(db):
    """province > district > commune > village, plus a foreign district with a commune."""
    from portal.units.models import UnitKind

    kind = {k.code: k for k in UnitKind.objects.all()}
    province = UnitFactory(code="T01", name="Tỉnh Bình Thuận", kind=kind["tinh"])
    district = UnitFactory(code="H01", name="Huyện Hàm Thuận Bắc", kind=kind["huyen"], parent=province)
    commune = UnitFactory(code="X01", name="Xã Hàm Đức", kind=kind["xa"], parent=district)
    village = UnitFactory(code="TH01", name="Thôn Đông Giang", kind=kind["thon"], parent=commune)
    other_district = UnitFactory(code="H02", name="Huyện Tuy Phong", kind=kind["huyen"], parent=province)
    other_commune = UnitFactory(code="X02", name="Xã Phước Thể", kind=kind["xa"], parent=other_district)
    for unit in (province, district, commune, village, other_district, other_commune):
        unit.refresh_from_db()
    return {
        "province": province,
        "district": district,
        "commune": commune,
        "village": village,
        "other_district": other_district,
        "other_commune": other_commune,
    }


@pytest.fixture
def make_user(db):
    def _make(unit, *roles, **kwargs):
        return UserFactory(unit=unit, roles=list(roles), **kwargs)

    return _make


@pytest.fixture
def people(tree, make_user):
    """One user per role in the district, and the same roles in the foreign district."""
    d, o = tree["district"], tree["other_district"]
    return {
        "admin": make_user(tree["province"], "admin", username="quantri"),
        "staff": make_user(d, "canbo", username="canbo_d"),
        "union": make_user(d, "congdoan", username="congdoan_d"),
        "cell": make_user(d, "chiuy", username="chiuy_d"),
        "leader": make_user(d, "lanhdao", username="lanhdao_d"),
        "foreign_staff": make_user(o, "canbo", username="canbo_o"),
        "foreign_leader": make_user(o, "lanhdao", username="lanhdao_o"),
    }


# --- A real Celery worker on Redis ------------------------------------------------------------------

@pytest.fixture(scope="session")
def live_worker(django_db_setup, django_db_blocker):
    """A real `celery worker` process on Redis, on a queue of its own, using the test database.

    Tests that use it must be `django_db(transaction=True)` so the worker sees their rows. While
    it runs, tasks are sent to the broker instead of running eagerly. Yields a handle with
    `.process` (the Popen) and `.restart()`.
    """
    import os
    import shutil
    import subprocess
    import sys
    import time
    import uuid
    from pathlib import Path

    from django.conf import settings
    from django.db import connection

    from portal.celery import app

    if not settings.CELERY_BROKER_URL:
        pytest.fail("REDIS_URL is not set: `make test` provides it.")
    queue = f"dvk-test-{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.test",
        DATABASE_URL=(
            f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
        CELERY_QUEUE=queue,
        CELERY_TASK_ALWAYS_EAGER="0",
        # A killed worker's unacknowledged task comes back after this many seconds.
        CELERY_VISIBILITY_TIMEOUT="10",
        CELERY_RESTORE_INTERVAL="1",
        CELERY_RESTORE_THROTTLE="2",
    )
    celery_bin = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
    log_path = Path(settings.BASE_DIR) / ".make" / f"worker-{queue}.log"
    log_path.parent.mkdir(exist_ok=True)

    class Handle:
        process = None

        def start(self):
            log = open(log_path, "ab")
            offset = log_path.stat().st_size
            self.process = subprocess.Popen(
                [celery_bin, "-A", "portal", "worker", "--pool=solo", "--without-gossip",
                 "--without-mingle", "--without-heartbeat", "-Q", queue, "-n", f"{queue}@%h",
                 "-l", "info"],
                env=env, stdout=log, stderr=subprocess.STDOUT, cwd=settings.BASE_DIR,
            )
            # Ready when it says so in its log, or answers a ping. A solo worker that takes a waiting
            # task the moment it is ready (a redelivered report) answers no ping until that task ends,
            # and on a loaded machine its start alone can take half a minute.
            ready = f"{queue}@{os.uname().nodename} ready.".encode()
            deadline = time.time() + 90
            while time.time() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(f"worker exited: see {log_path}")
                with open(log_path, "rb") as written:
                    written.seek(offset)
                    if ready in written.read():
                        return
                if app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=0.5):
                    return
            raise RuntimeError(f"worker did not answer: see {log_path}")

        def stop(self, sig=None):
            import signal

            if self.process and self.process.poll() is None:
                self.process.send_signal(sig or signal.SIGTERM)
                try:
                    self.process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait()

        def restart(self):
            self.stop()
            self.start()

    old = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = queue
    handle = Handle()
    handle.queue = queue
    handle.start()
    try:
        yield handle
    finally:
        handle.stop()
        app.conf.task_always_eager, app.conf.task_default_queue = old


@pytest.fixture
def worker(live_worker):
    """Per-test access to the live worker; tasks go through Redis during the test."""
    from portal.celery import app

    app.conf.task_always_eager = False
    app.conf.task_default_queue = live_worker.queue
    if live_worker.process.poll() is not None:
        live_worker.start()
    yield live_worker


@pytest.fixture(autouse=True)
def _eager_tasks_by_default(request):
    """Tasks run in-process unless the test asked for the live worker."""
    from portal.celery import app

    if "worker" in request.fixturenames or "live_worker" in request.fixturenames:
        yield
        return
    app.conf.task_always_eager = True
    yield


# --- Browser tests: Debian's chromium through Playwright ----------------------------------------

@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    import shutil

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    if executable is None:
        pytest.fail("Debian's chromium is not installed: `make test` installs it.")
    return {
        **browser_type_launch_args,
        "executable_path": executable,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
        ],
    }


@pytest.fixture
def login_page(page, live_server):
    """Log a user in through the real login form: `login_page(username, password)`."""

    def _login(username, password=TEST_USER_LOGIN):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("#login-form [type=submit]")
        page.wait_for_load_state()
        return page

    return _login


def wait_for_status(record, status: str, timeout: float = 60, interval: float = 0.05):
    """Poll a row until its `status` is `status` (or time runs out); returns the refreshed row."""
    import time

    deadline = time.time() + timeout
    while True:
        record.refresh_from_db()
        if record.status == status or time.time() >= deadline:
            return record
        time.sleep(interval)


def kill_worker(worker) -> None:
    """SIGKILL the live worker process (no warm shutdown, nothing acknowledged)."""
    import os
    import signal

    os.kill(worker.process.pid, signal.SIGKILL)
    worker.process.wait()


class _NothingPlannedToday(dict):
    """The planned-unit-changes memo of a fresh test: 'nothing is planned' is known for whatever day
    the test travels to, so query counts do not depend on the previous test; planning a change in
    the test clears it, and from then on the real day-by-day rule applies."""

    def __getitem__(self, key):
        if key == "day" and dict.get(self, "day") == "today":
            from django.utils import timezone

            return timezone.localdate()
        return dict.get(self, key)


@pytest.fixture(autouse=True)
def _no_planned_unit_changes_known(monkeypatch):
    from portal.units import services

    monkeypatch.setattr(services, "_next_planned", _NothingPlannedToday(day="today", next=None))
