"""Reports made in the background: a registry of kinds, requests that join, a worker that builds.

An app registers a kind in its `report_kinds.py` (the portal's own kinds are in documents/report_kinds.py) with `register(ReportKind(...))`. A request is
saved first (so nothing is lost when the broker is down), then queued; the task is idempotent and
acks late, so a worker killed mid-report leaves a request that is built again, into the same file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from portal.models import ReportRequest

log = logging.getLogger(__name__)


@dataclass
class BuiltReport:
    content: bytes
    filename: str
    content_type: str = "application/pdf"
    pages: int | None = None


@dataclass
class ReportKind:
    code: str
    label: str
    # build(params, progress) -> BuiltReport; `progress(percent)` reports how far it got.
    build: Callable[[dict, Callable[[int], None]], BuiltReport]
    description: str = ""
    # May this user ask for / download this report? Default: the unit is in the user's subtree.
    allowed: Callable | None = None
    # Parameters from the command line (unit, year) for `make_report`; default {"unit_id", "year"}.
    cli_params: Callable | None = None
    # The latest year with data, for `make_report` without --year.
    latest_year: Callable[[], int | None] | None = None
    # The kind's abbreviation in register numbers (“12-BC/BTGDVTU”); "" for kinds that are not numbered.
    doc_type: str = ""
    # May this user issue the kind (take its number for the body)? Default: those who sign for a
    # body, its leadership or Party cell; a council's minutes: the council's secretary or chair.
    issuers: Callable | None = None
    # rows(params) -> int: how many rows (or pages) the report would hold, by one COUNT query, so
    # that a report over `settings.REPORT_MAX_ROWS` is refused before a worker starts on it.
    rows: Callable[[dict], int] | None = None

    def check_size(self, params: dict) -> None:
        """Refuse (ValidationError) a report whose data is over the limit, saying so."""
        if self.rows is None:
            return
        count, limit = self.rows(params), settings.REPORT_MAX_ROWS
        if count > limit:
            raise ValidationError(_(
                "Báo cáo “%(label)s” sẽ có %(count)s dòng, vượt giới hạn %(limit)s dòng của một báo cáo. "
                "Hãy chọn một đơn vị nhỏ hơn."
            ) % {"label": self.label, "count": number_format(count, force_grouping=True),
                 "limit": number_format(limit, force_grouping=True)})

    def may_issue(self, user, unit) -> bool:
        from portal import permissions as perms

        if self.issuers is not None:
            return self.may(user, unit) and self.issuers(user, unit)
        return perms.unit_in_scope(user, unit) and self.may(user, unit) and perms.has_role(user, perms.LEADER, perms.CELL)

    def may(self, user, unit) -> bool:
        from portal.permissions import unit_in_scope

        if self.allowed is not None:
            return self.allowed(user, unit)
        return unit_in_scope(user, unit)


# pragma: no mutate block (`make mutate` mutates the rules above, not the queueing and building below)
REGISTRY: dict[str, ReportKind] = {}


def register(kind: ReportKind) -> ReportKind:
    REGISTRY[kind.code] = kind
    return kind


def params_key(kind: str, params: dict) -> str:
    payload = json.dumps({"kind": kind, "params": params}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode()).hexdigest()


def report_request(*, kind: str, params: dict, unit, user) -> tuple[ReportRequest, bool]:
    """Ask for a report; returns (request, created). An identical running request is joined.

    A report over the size limit is refused (ValidationError) before anything is saved or queued.
    """
    if kind not in REGISTRY:
        raise KeyError(kind)
    REGISTRY[kind].check_size(params)
    key = params_key(kind, params)
    try:
        with transaction.atomic():
            request = ReportRequest.objects.create(
                kind=kind, params=params, params_key=key, unit=unit, requested_by=user
            )
    except IntegrityError:
        existing = ReportRequest.objects.filter(params_key=key, status__in=ReportRequest.ACTIVE).first()
        if existing is not None:
            return existing, False
        return report_request(kind=kind, params=params, unit=unit, user=user)
    enqueue(request)
    return request, True


def enqueue(request: ReportRequest) -> bool:
    """Send the request to the queue after commit; False (and a message) when the broker is down."""
    from portal.celery import app
    from portal.tasks import generate_report

    if app.conf.task_always_eager:
        # In-process (no broker): a build error has already marked the request failed and logged.
        try:
            generate_report.apply_async(args=[request.pk])
        except Exception:  # noqa: BLE001
            pass
        return True
    try:
        generate_report.apply_async(args=[request.pk], retry=False)
    except Exception as exc:  # noqa: BLE001 - kombu, redis and the result backend raise many kinds
        log.warning("report %s not queued: %s", request.pk, exc)
        ReportRequest.objects.filter(pk=request.pk).update(
            message="Hàng đợi tạm thời không khả dụng; yêu cầu đã được lưu và sẽ chạy khi hệ thống hoạt động lại."
        )
        return False
    return True


def storage_dir() -> Path:
    path = Path(settings.PRIVATE_MEDIA_ROOT) / "reports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def build_request(request_id: int) -> ReportRequest | None:
    """Build one request's file (idempotent: a done request is left alone)."""
    with transaction.atomic():
        request = ReportRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None or request.status == ReportRequest.Status.DONE:
            return request
        request.status = ReportRequest.Status.RUNNING
        request.started_at = timezone.now()
        request.attempts += 1
        request.progress = 0
        request.message = ""
        request.save(update_fields=["status", "started_at", "attempts", "progress", "message"])

    last = {"value": -10}

    def progress(percent: int) -> None:
        percent = max(0, min(99, int(percent)))
        if percent - last["value"] >= 5:
            last["value"] = percent
            ReportRequest.objects.filter(pk=request_id).update(progress=percent)

    kind = REGISTRY[request.kind]
    try:
        built = kind.build(dict(request.params), progress)
    except Exception as exc:
        log.exception("report %s failed", request_id)
        ReportRequest.objects.filter(pk=request_id).update(
            status=ReportRequest.Status.FAILED, message=f"Không tạo được báo cáo: {exc.__class__.__name__}",
            finished_at=timezone.now(),
        )
        raise
    path = storage_dir() / f"{request_id}-{request.params_key[:12]}"
    tmp = path.with_suffix(".part")
    tmp.write_bytes(built.content)
    tmp.replace(path)  # one file per request, whatever the number of attempts
    ReportRequest.objects.filter(pk=request_id).update(
        status=ReportRequest.Status.DONE, progress=100, file_path=str(path.relative_to(settings.PRIVATE_MEDIA_ROOT)),
        filename=built.filename, content_type=built.content_type, sha256=hashlib.sha256(built.content).hexdigest(),
        size=len(built.content), pages=built.pages, finished_at=timezone.now(), message="",
    )
    return ReportRequest.objects.get(pk=request_id)


def requeue_stale(older_than_seconds: int | None = None) -> int:
    """Queue again the requests still waiting (broker was down) or stuck (worker died); for beat."""
    if older_than_seconds is None:
        older_than_seconds = settings.REPORT_REQUEUE_AFTER_SECONDS
    cutoff = timezone.now() - dt.timedelta(seconds=older_than_seconds)
    stale = ReportRequest.objects.filter(
        Q(status=ReportRequest.Status.QUEUED, created_at__lt=cutoff)
        | Q(status=ReportRequest.Status.RUNNING, started_at__lt=cutoff)
    )
    return sum(enqueue(request) for request in stale)


def file_of(request: ReportRequest) -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT) / request.file_path
