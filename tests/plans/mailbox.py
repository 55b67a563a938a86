"""An email backend for the test workers: each message becomes a file the test can count.

Control files in the mailbox directory make the mail server misbehave: `fail_remaining` (a
number) refuses that many messages as an unreachable server would; `die_after_send` kills the
worker process right after a message was handed over (the worst moment for at-most-once).
"""

import os
import smtplib
import uuid
from pathlib import Path

from django.core.mail.backends.base import BaseEmailBackend


class MailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        box = Path(os.environ["PLANS_TEST_MAILBOX"])
        sent = 0
        for message in email_messages:
            fail = box / "fail_remaining"
            if fail.exists():
                left = int(fail.read_text() or 0)
                if left > 0:
                    fail.write_text(str(left - 1))
                    raise smtplib.SMTPServerDisconnected("Máy chủ thư không trả lời")
            (box / f"{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
            sent += 1
            die = box / "die_after_send"
            if die.exists():
                die.unlink()
                os._exit(1)
        return sent
