"""`python manage.py send_reminders [--now ISO-8601]`: one reminder pass, as the beat task runs it."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from plans import services


class Command(BaseCommand):
    help = "Gửi các lượt nhắc việc đã đến giờ (một lượt, như tác vụ định kỳ của Celery beat)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now", help="Thời điểm chạy, ISO-8601 (không ghi múi giờ: giờ Việt Nam)."
        )

    def handle(self, *args, now=None, **options):
        moment = None
        if now:
            try:
                moment = dt.datetime.fromisoformat(now)
            except ValueError as exc:
                raise CommandError(f"--now không đúng định dạng ISO-8601: {now!r}") from exc
            if timezone.is_naive(moment):
                moment = timezone.make_aware(moment)
        sent = services.reminders_send(now=moment)
        self.stdout.write(f"sent {sent} reminders")
