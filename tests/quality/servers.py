"""Real servers for the quality tests: gunicorn under production settings, a private Redis.

Each binds to a free loopback port and is stopped by the test that started it.
"""

from __future__ import annotations

import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, timeout: float = 30, ok_codes=(200, 302, 503)) -> None:
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status in ok_codes:
                    return
        except urllib.error.HTTPError as exc:
            if exc.code in ok_codes:
                return
            last = exc
        except OSError as exc:
            last = exc
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer: {last}")


_COLLECTED: set[str] = set()
# One folder per pytest-xdist worker: `collectstatic --clear` in one must not empty another's.
PRODUCTION_STATIC = ROOT / ".make" / f"static-production-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


def collect_production_static(env: dict) -> None:
    """collectstatic with the production storage (hashed, compressed), once per test session."""
    if str(PRODUCTION_STATIC) in _COLLECTED:
        return
    subprocess.run([str(BIN / "python"), "manage.py", "collectstatic", "--noinput", "--clear", "-v0"],
                   cwd=ROOT, env=env, check=True)
    _COLLECTED.add(str(PRODUCTION_STATIC))


def production_env(database_url: str, **extra) -> dict:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="portal.settings.production",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        SECURE_SSL_REDIRECT="0",  # TLS ends at the proxy; the tests send X-Forwarded-Proto
        REQUIRE_2FA="0",
        DB_CONN_MAX_AGE="0",
        STATIC_ROOT=str(PRODUCTION_STATIC),
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    env.update(extra)
    return env


class Gunicorn:
    def __init__(self, env: dict, workers: int = 2, threads: int = 4):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = env
        self.workers, self.threads = workers, threads
        self.process: subprocess.Popen | None = None

    def __enter__(self):
        collect_production_static(self.env)
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "portal.wsgi", "-b", f"127.0.0.1:{self.port}", "-w", str(self.workers),
             "--threads", str(self.threads), "--timeout", "60", "--access-logfile", "-"],
            cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        # Workers import Django before they answer: allow for a machine busy with other work.
        wait_for(self.url + "/healthz", timeout=120)
        return self

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()


class PrivateRedis:
    """A Redis server of the test's own, so stopping it disturbs nothing else."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        binary = shutil.which("redis-server")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.time() + 10
        while time.time() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("redis did not start")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    __enter__ = start

    def __exit__(self, *exc):
        self.stop()
