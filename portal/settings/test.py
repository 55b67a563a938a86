"""Test settings: PostgreSQL and Redis from the environment, fast hashing, mail kept in memory."""

import os
import tempfile
from pathlib import Path

from .base import *  # noqa: F401,F403
from .base import DATABASES, env_bool

if DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql" and not os.environ.get(
    "ALLOW_SQLITE_TESTS"
):
    raise RuntimeError("The test suite runs on PostgreSQL: set DATABASE_URL (make test does).")

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Tests run tasks in-process; the worker processes the tests start set this to 0.
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", True)
# Uploaded and generated files of a test run go to a fresh folder, shared with the workers it starts
# (they inherit the environment).
MEDIA_ROOT = Path(os.environ.setdefault("MEDIA_ROOT", tempfile.mkdtemp(prefix="dvk-test-media-")))
PRIVATE_MEDIA_ROOT = Path(os.environ.setdefault("PRIVATE_MEDIA_ROOT", tempfile.mkdtemp(prefix="dvk-test-private-")))
AXES_ENABLED = True
