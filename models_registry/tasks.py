"""Background work of the registry: thin, idempotent, by id."""

import datetime as dt

from celery import shared_task
from django.utils import timezone


@shared_task(acks_late=True)
def purge_kept_uploads(older_than_hours: int = 24) -> int:
    """Delete uploads kept for refused forms that were never saved (safe to run twice)."""
    from .models import Attachment

    cutoff = timezone.now() - dt.timedelta(hours=older_than_hours)
    stale = Attachment.objects.filter(model__isnull=True, report__isnull=True, uploaded_at__lt=cutoff)
    count = 0
    for attachment in stale.iterator():
        attachment.file.delete(save=False)
        if attachment.thumbnail:
            attachment.thumbnail.delete(save=False)
        attachment.delete()
        count += 1
    return count
