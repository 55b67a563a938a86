"""Time one reminder pass or one digest run in-process (without Django's start-up).

    DATABASE_URL=postgres://…/dvk_n5 .venv/bin/python bench/notify_pass.py reminders --now 2026-04-02T01:00:00+00:00
    DATABASE_URL=postgres://…/dvk_n5 .venv/bin/python bench/notify_pass.py digest --now 2026-06-02T10:10:00+00:00

Without REDIS_URL the email tasks run inline (eager) and their messages go to the console backend
(discarded here), so the figure includes building every email; with REDIS_URL they are only
queued, as the beat task leaves them for the workers. Prints the count, wall and CPU seconds and the
load average. `bench/nation5_people.sql` turns a `--scale 0.05` country into one with the full
size's number of people; `bench/nation5_digest_waiting.sql` gives everyone notifications waiting for
the digest. Both write: run them on a copy (`CREATE DATABASE … TEMPLATE …`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("kind", choices=["reminders", "digest"])
    parser.add_argument("--now", required=True, help="ISO-8601 with its offset")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")
    import django

    django.setup()
    from plans import services

    now = dt.datetime.fromisoformat(args.now)
    console, sys.stdout = sys.stdout, io.StringIO()  # the console mail backend's messages
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        count = (services.reminders_send if args.kind == "reminders" else services.digest_send)(now=now)
    finally:
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        sys.stdout = console
    print(f"{args.kind}: {count} in {wall:.2f} s wall, {cpu:.2f} s CPU, load average {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
