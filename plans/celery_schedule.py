"""The beat entries of plans; portal/settings/base.py merges SCHEDULE into CELERY_BEAT_SCHEDULE.

A reminder pass is idempotent, so running it every hour only sends what became due since the
last one (and catches up after downtime).
"""

from celery.schedules import crontab

SCHEDULE = {
    "plans-send-reminders": {
        "task": "plans.tasks.send_reminders",
        "schedule": crontab(minute=5),
        "options": {"expires": 50 * 60},
    },
    # The digest pass sends nothing before NOTIFICATION_DIGEST_HOUR and once a day per person after
    # it, so an hourly tick is the set hour, and catches up after downtime.
    "plans-send-digests": {
        "task": "plans.tasks.send_digests",
        "schedule": crontab(minute=10),
        "options": {"expires": 50 * 60},
    },
}
