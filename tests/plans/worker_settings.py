"""Settings of the workers tests/plans starts: the test settings, mail into a directory."""

import os

from portal.settings.test import *  # noqa: F401,F403

EMAIL_BACKEND = "tests.plans.mailbox.MailboxBackend"
PLANS_EMAIL_RETRY_SECONDS = 1
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": int(os.environ.get("PLANS_TEST_VISIBILITY", "3600")),
}
# test.py forces eager tasks, in the worker too: tasks a worker queues (emails, retries) must go
# through Redis like in production.
CELERY_TASK_ALWAYS_EAGER = False
