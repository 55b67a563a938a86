"""Fixtures of the plans tests: a plan in the district, and workers whose mail the test can read."""

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from .factories import PlanFactory


@pytest.fixture
def plan(tree, people):
    return PlanFactory(unit=tree["district"], created_by=people["staff"])


@pytest.fixture
def mailbox(tmp_path):
    box = tmp_path / "mailbox"
    box.mkdir()
    return box


def mails(box: Path) -> list[bytes]:
    return [p.read_bytes() for p in sorted(box.glob("*.eml"))]


class Workers:
    """Real `celery worker` processes like tests/conftest.py's, on a queue of this test, with
    the mail of tests/plans/worker_settings.py (files in `mailbox`)."""

    def __init__(self, box: Path):
        from django.conf import settings
        from django.db import connection

        self.box = box
        self.queue = f"dvk-plans-{uuid.uuid4().hex[:8]}"
        self.processes: list[subprocess.Popen] = []
        db = connection.settings_dict
        self.env = dict(os.environ)
        self.env.update(
            DJANGO_SETTINGS_MODULE="tests.plans.worker_settings",
            DATABASE_URL=(
                f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:"
                f"{db['PORT'] or 5432}/{db['NAME']}"
            ),
            CELERY_QUEUE=self.queue,
            CELERY_TASK_ALWAYS_EAGER="0",
            PLANS_TEST_MAILBOX=str(box),
        )
        self.celery = shutil.which("celery", path=str(Path(sys.executable).parent)) or "celery"
        self.log_dir = Path(settings.BASE_DIR) / ".make"
        self.log_dir.mkdir(exist_ok=True)

    def start(self, *, visibility: int = 3600) -> subprocess.Popen:
        from portal.celery import app

        name = f"{self.queue}-{len(self.processes)}"
        log = open(self.log_dir / f"worker-{name}.log", "ab")
        env = dict(self.env, PLANS_TEST_VISIBILITY=str(visibility))
        process = subprocess.Popen(
            [self.celery, "-A", "portal", "worker", "--pool=solo", "--without-gossip", "--without-mingle",
             "--without-heartbeat", "-Q", self.queue, "-n", f"{name}@%h", "-l", "info"],
            env=env, stdout=log, stderr=subprocess.STDOUT, cwd=str(Path(__file__).resolve().parents[2]),
        )
        self.processes.append(process)
        deadline = time.time() + 30
        while time.time() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"worker exited: see {log.name}")
            if app.control.ping(destination=[f"{name}@{os.uname().nodename}"], timeout=0.5):
                return process
        raise RuntimeError(f"worker did not answer: see {log.name}")

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@pytest.fixture
def mail_workers(mailbox, transactional_db):
    """Start workers with `mail_workers.start()`; tasks of the test go to their queue."""
    from portal.celery import app

    workers = Workers(mailbox)
    old = (app.conf.task_always_eager, app.conf.task_default_queue)
    app.conf.task_always_eager = False
    app.conf.task_default_queue = workers.queue
    try:
        yield workers
    finally:
        workers.stop_all()
        app.conf.task_always_eager, app.conf.task_default_queue = old


def wait_until(predicate, timeout: float = 30, interval: float = 0.2):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")
