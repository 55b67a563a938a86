"""Test settings: PostgreSQL and Redis from the environment, fast hashing, mail kept in memory."""

import os

from .base import *  # noqa: F401,F403
from .base import DATABASES

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
# Tests that need a worker start one; the rest run tasks in-process.
CELERY_TASK_ALWAYS_EAGER = True
AXES_ENABLED = True
