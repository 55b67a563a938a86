"""Health: can the portal serve? The database must answer; the broker and workers are reported."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def check_database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return {"ok": True}
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        return {"ok": False, "error": exc.__class__.__name__}


def check_broker() -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return {"ok": True, "mode": "eager"}
    from portal.celery import app

    try:
        with app.connection_for_write(url=settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return {"ok": True, "mode": "broker"}
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "mode": "broker", "error": exc.__class__.__name__}


def check_workers(broker_ok: bool) -> dict:
    if settings.CELERY_TASK_ALWAYS_EAGER or not settings.CELERY_BROKER_URL:
        return {"ok": True, "mode": "eager", "count": 0}
    if not broker_ok:
        return {"ok": False, "count": 0}
    from portal.celery import app

    try:
        replies = app.control.ping(timeout=1.0) or []
    except Exception as exc:  # noqa: BLE001
        return {"ok": False, "count": 0, "error": exc.__class__.__name__}
    return {"ok": bool(replies), "count": len(replies)}


def check_fonts() -> dict:
    """Reports' serif: Liberation Serif 2 by file and version, or the fallback said plainly."""
    from documents.pdf import font_status

    return font_status()


def health() -> tuple[dict, int]:
    """The health document and its HTTP status: 200 when the portal can serve, else 503."""
    database = check_database()
    broker = check_broker()
    workers = check_workers(broker["ok"])
    fonts = check_fonts()
    # Pages need the database; tasks need the broker and a worker.
    can_serve = database["ok"] and broker["ok"]
    body = {
        # A missing report font degrades (PDFs still come out, in DejaVu Serif), it does not stop serving.
        "status": ("ok" if can_serve and workers["ok"] and fonts["ok"] else ("degraded" if can_serve else "down")),
        "database": database,
        "broker": broker,
        "workers": workers,
        "fonts": fonts,
    }
    return body, 200 if can_serve else 503
