"""Writes of the plans app: plans and items, inspections, notifications and the reminder pass."""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import IntegrityError, transaction
from django.db.models import F, OuterRef, Prefetch, Q, Subquery
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import bulk
from portal.memo import memo_scope
from portal.permissions import require, require_unit_open, unit_in_scope
from portal.text import nfc
from portal.workflow_events import workflow_event_emit

from . import reminders, workflow
from .models import (
    FollowUp,
    FollowUpEvent,
    Inspection,
    Notification,
    Plan,
    PlanItem,
    PlanItemUpdate,
    ReminderDelivery,
    ReminderSchedule,
)

log = logging.getLogger(__name__)

# --- Plans and items -------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, user, unit, **fields) -> Plan:
    """Create a plan of `unit` (staff or leadership of its subtree)."""
    require(user, unit, *workflow.EDITORS)
    require_unit_open(unit)
    plan = Plan(unit=unit, created_by=user, **fields)
    _validate(plan)
    _save_plan(plan)
    return plan


@transaction.atomic
def plan_update(*, user, plan: Plan, **fields) -> Plan:
    """Change a plan's header fields."""
    require(user, plan.unit, *workflow.EDITORS)
    for name, value in fields.items():
        setattr(plan, name, value)
    _validate(plan)
    _save_plan(plan)
    return plan


def _save_plan(plan: Plan) -> None:
    """Save; the same number saved by someone else a moment earlier is a form error, not a crash
    (the unique constraint decides between two simultaneous saves)."""
    try:
        with transaction.atomic():
            plan.save()
    except IntegrityError as exc:
        raise ValidationError({"number": _("Đơn vị đã có kế hoạch số này.")}) from exc


@transaction.atomic
def plan_delete(*, user, plan: Plan) -> None:
    """Delete a plan with its items; their pending reminder emails are cancelled."""
    require(user, plan.unit, *workflow.EDITORS)
    for item_id in plan.items.values_list("pk", flat=True):
        reminders_cancel(key=f"plans.item:{item_id}")
    plan.delete()


def _validate(plan: Plan) -> None:
    # The unique number is left to the database (`_save_plan`): a check here would answer in other
    # words when another save lands between it and the form's own check.
    plan.full_clean(validate_constraints=False)


_ITEM_M2M = ("responsible_units", "responsible_roles", "assignees")


@transaction.atomic
def item_save(*, user, plan: Plan, item: PlanItem | None = None, **fields) -> PlanItem:
    """Create or change an item; people no longer responsible get no pending reminder email."""
    require(user, plan.unit, *workflow.EDITORS)
    if item is None:
        require_unit_open(plan.unit)
    relations = {name: fields.pop(name) for name in _ITEM_M2M if name in fields}
    before = set(item.assignees.values_list("pk", flat=True)) if item and item.pk else set()
    item = item or PlanItem(plan=plan)
    for name, value in fields.items():
        setattr(item, name, value)
    if item.position == 0:
        item.position = (plan.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    item.full_clean(exclude=["plan"])
    item.save()
    for name, value in relations.items():
        getattr(item, name).set(value)
    keep = _recipients_now(item)
    reminders_cancel(key=f"plans.item:{item.pk}", keep_user_ids=keep)
    added = [u for u in item.assignees.all() if u.pk not in before]
    if added:
        workflow_event_emit(kind="plan_item.assigned", record=plan, actor=user, users=added, title=_(
            "Đồng chí được giao: %(item)s") % {"item": item}, comment=str(plan))
    return item


def _recipients_now(item: PlanItem) -> set[int]:
    """Everyone an item would remind now (any occurrence), for cancelling stale emails."""
    from .deadlines import PlanItemSource

    far = dt.timedelta(days=3650)
    now = timezone.now()
    found: set[int] = set()
    for deadline in PlanItemSource().deadlines(start=now - far, end=now + far):
        if deadline.key.split(":")[1] == str(item.pk):
            found |= deadline.recipients | deadline.escalate_to
    return found


@transaction.atomic
def item_delete(*, user, item: PlanItem) -> None:
    """Delete an item; its pending reminder emails are cancelled."""
    require(user, item.plan.unit, *workflow.EDITORS)
    reminders_cancel(key=f"plans.item:{item.pk}")
    item.delete()


@transaction.atomic
def item_transition(
    *, user, item: PlanItem, name: str, on: dt.date | None = None, note: str = "", evidence=None
) -> PlanItemUpdate:
    """Take a declared transition of an item and record it as a dated update."""
    transition = workflow.ITEM_TRANSITIONS.get(name)
    if transition is None:
        raise ValidationError(_("Thao tác không hợp lệ."))
    item = PlanItem.objects.select_for_update().select_related("plan__unit").get(pk=item.pk)
    require(user, item.plan.unit, *transition.roles)
    if item.status not in transition.sources:
        raise ValidationError(
            _('Không thể “%(label)s” khi nội dung đang ở trạng thái “%(value)s”.') % {"label": transition.label, "value": item.get_status_display()}
        )
    note = nfc(note).strip()
    if transition.note_required and not note:
        raise ValidationError({"note": _("Vui lòng nhập nội dung cập nhật.")})
    on = on or timezone.localdate()
    update = PlanItemUpdate.objects.create(
        item=item, transition=name, on=on, status=transition.target, note=note,
        evidence=evidence or "", author=user,
    )
    item.status = transition.target
    item.status_changed_on = on
    item.last_update_on = max(filter(None, [item.last_update_on, on]))
    item.save()
    if item.is_closed:
        reminders_cancel(key=f"plans.item:{item.pk}")
    workflow_event_emit(kind="plan_item.updated", record=item.plan, actor=user,
                        comment=f"{item}: {item.get_status_display()}. {note}".strip())
    return update


# --- Inspections ---------------------------------------------------------------------------------------


@transaction.atomic
def inspection_save(
    *, user, unit, inspection: Inspection | None = None, inspected_units: Iterable = (), **fields
) -> Inspection:
    """Create or change an inspection; every inspected unit must lie in the user's subtree."""
    require(user, unit, *workflow.EDITORS)
    inspected_units = list(inspected_units)
    for inspected in inspected_units:
        if not unit_in_scope(user, inspected):
            raise ValidationError({"inspected_units": _("Đơn vị được kiểm tra nằm ngoài phạm vi của bạn.")})
    created = inspection is None
    inspection = inspection or Inspection(unit=unit, created_by=user)
    for name, value in fields.items():
        setattr(inspection, name, value)
    inspection.save()
    if inspected_units:
        inspection.inspected_units.set(inspected_units)
    if created:
        workflow_event_emit(kind="inspection.created", record=inspection, actor=user, units=inspected_units)
    return inspection


@transaction.atomic
def follow_up_save(*, user, inspection: Inspection, follow_up: FollowUp | None = None, **fields) -> FollowUp:
    """Create or change a follow-up of an inspection."""
    require(user, inspection.unit, *workflow.EDITORS)
    follow_up = follow_up or FollowUp(inspection=inspection)
    assignee_before = follow_up.assignee_id
    for name, value in fields.items():
        setattr(follow_up, name, value)
    if not unit_in_scope(user, follow_up.unit):
        raise ValidationError({"unit": _("Đơn vị thực hiện nằm ngoài phạm vi của bạn.")})
    follow_up.save()
    if follow_up.assignee_id and follow_up.assignee_id != assignee_before:
        workflow_event_emit(kind="follow_up.assigned", record=inspection, actor=user, users=[follow_up.assignee],
                            comment=f"{follow_up.content} ({follow_up.due_date:%d/%m/%Y})")
    keep = {follow_up.assignee_id} if follow_up.assignee_id else None
    if keep is not None:
        reminders_cancel(key=f"plans.followup:{follow_up.pk}", keep_user_ids=keep)
    return follow_up


@transaction.atomic
def follow_up_transition(*, user, follow_up: FollowUp, name: str, note: str = "",
                         on: dt.date | None = None) -> FollowUpEvent:
    """Resolve or reopen a follow-up, recording who and when."""
    transition = workflow.FOLLOW_UP_TRANSITIONS.get(name)
    follow_up = FollowUp.objects.select_for_update().select_related("unit", "inspection__unit").get(
        pk=follow_up.pk
    )
    if transition is None or not workflow.may_follow_up(user, follow_up, transition):
        require(user, follow_up.unit, *(transition.roles if transition else ()))
        raise ValidationError(_("Không thể thực hiện thao tác này ở trạng thái hiện tại."))
    note = nfc(note).strip()
    if transition.note_required and not note:
        raise ValidationError({"note": _("Vui lòng nhập kết quả khắc phục.")})
    on = on or timezone.localdate()
    follow_up.status = transition.target
    follow_up.done_on = on if transition.target == "done" else None
    if transition.target == "done":
        follow_up.result = note
        reminders_cancel(key=f"plans.followup:{follow_up.pk}")
    follow_up.save()
    return FollowUpEvent.objects.create(
        follow_up=follow_up, transition=name, on=on, note=note, author=user
    )


# --- Notifications ------------------------------------------------------------------------------------


def notify(*, user, title: str, body: str, url: str = "", key: str | None = None,
           email: bool = True) -> Notification:
    """Tell `user` something: a notification in the portal's notification centre and an email.

    This is the public service other apps call (e.g. "your model was approved"). `url` is a path
    inside the portal the notification links to. With `key` (a string unique for what is being
    told, e.g. "awards.pledge:12:approved") the call is idempotent: a second call with the same
    user and key returns the first notification and sends nothing. The email goes out after the
    caller's transaction commits, from a Celery task retried with backoff; the notification itself
    is written in the caller's transaction, so it is never lost. `email=False` keeps it in the
    portal only (demo data, bulk announcements).
    """
    status = Notification.Email.PENDING if email else Notification.Email.SKIPPED
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, title=nfc(title)[:300], body=nfc(body), url=url, key=key, email_status=status
            )
    except IntegrityError:
        if key is None:
            raise
        return Notification.objects.get(user=user, key=key)
    if email:
        queue_email(notification.pk)
    return notification


def queue_email(notification_id: int) -> None:
    """Email a notification once the caller's transaction commits."""
    from .tasks import send_notification_email

    transaction.on_commit(lambda: send_notification_email.delay(notification_id))


def queue_emails(notification_ids: list[int]) -> None:
    """Email many notifications once the caller's transaction commits: a task per `EMAIL_BATCH`."""
    from .tasks import send_notification_emails

    def send():
        for part in bulk.chunks(list(notification_ids), EMAIL_BATCH):
            send_notification_emails.delay(list(part))

    transaction.on_commit(send)


def notification_open(*, user, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (404 for anyone else's)."""
    from django.shortcuts import get_object_or_404

    notification = get_object_or_404(Notification, pk=notification_id, user=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, user) -> int:
    """Mark every unread notification of the user read; returns how many."""
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())


EMAIL_ERRORS = (smtplib.SMTPException, OSError)


def notification_email_send(*, notification_id: int, final_attempt: bool = False) -> str:
    """Send the email of one notification at most once; returns the outcome (see below)."""
    outcomes = notification_emails_send(notification_ids=[notification_id], final_attempt=final_attempt)
    return outcomes.get(notification_id, "missing")


def notification_emails_send(*, notification_ids: Iterable[int], final_attempt: bool = False) -> dict[int, str]:
    """Send the emails of some notifications, each at most once, over one connection to the mail
    server; returns each notification's outcome ("retry" for those to try again later).

    The notifications are claimed (`sending`) in one committed transaction before the mail server
    is called. A failure the mail server reports puts that email, and those of the batch not yet
    handed over, back to `pending` for the task's retry; a notification found still `sending` was
    interrupted at an unknown point (the worker died, the message was redelivered), so it is not
    sent again: the email may have left, and the notification is in the portal either way.
    """
    return _send_once(
        Notification, notification_ids, final_attempt=final_attempt, build=notification_email,
        claim={"email_attempts": F("email_attempts") + 1},
    )


def _send_once(model, ids: Iterable[int], *, final_attempt: bool, build, claim=None, reload=None) -> dict[int, str]:
    """Send the email of each row of `model` (a notification, a digest) at most once, over one connection.

    The rows are claimed (`sending`, plus the `claim` updates) in one committed transaction before the
    mail server is called; `reload(ids)` reads the claimed rows again with what `build(row)` needs.
    """
    E = Notification.Email
    outcomes: dict[int, str] = {}
    with transaction.atomic():
        rows = list(
            model.objects.select_for_update(of=("self",)).select_related("user")
            .filter(pk__in=list(ids)).order_by("pk")
        )
        interrupted, unreachable, claimed = [], [], []
        for row in rows:
            outcomes[row.pk] = row.email_status
            if row.email_status == E.SENDING:
                interrupted.append(row.pk)
            elif row.email_status != E.PENDING:
                continue
            elif not row.user.email or not row.user.is_active:
                unreachable.append(row.pk)
            else:
                claimed.append(row)
        if interrupted:
            model.objects.filter(pk__in=interrupted).update(email_status=E.UNCONFIRMED)
            outcomes.update(dict.fromkeys(interrupted, E.UNCONFIRMED))
            log.warning("%s %s: email outcome unknown, not sent again", model._meta.model_name, interrupted)
        if unreachable:
            model.objects.filter(pk__in=unreachable).update(email_status=E.SKIPPED)
            outcomes.update(dict.fromkeys(unreachable, E.SKIPPED))
        if claimed:
            model.objects.filter(pk__in=[r.pk for r in claimed]).update(email_status=E.SENDING, **(claim or {}))
    if not claimed:
        return outcomes
    if reload is not None:
        claimed = reload([r.pk for r in claimed])
    sent, errors = send_emails([(r.pk, build(r)) for r in claimed])
    if sent:
        model.objects.filter(pk__in=sent).update(email_status=E.SENT, emailed_at=timezone.now(), email_error="")
        outcomes.update(dict.fromkeys(sent, E.SENT))
    outcome = E.FAILED if final_attempt else E.PENDING
    for error, pks in _by_error(errors).items():
        model.objects.filter(pk__in=pks, email_status=E.SENDING).update(email_status=outcome, email_error=error)
        outcomes.update(dict.fromkeys(pks, "retry" if outcome == E.PENDING else outcome))
    return outcomes


def _by_error(errors: dict[int, str]) -> dict[str, list[int]]:
    grouped: dict[str, list[int]] = {}
    for pk, error in errors.items():
        grouped.setdefault(error, []).append(pk)
    return grouped


def send_emails(messages: list[tuple[int, EmailMessage]]) -> tuple[list[int], dict[int, str]]:
    """Hand `messages` to the mail server over one connection; returns the ids handed over and, for
    the others, the error. After the server fails once, the rest are not tried (it is likely down;
    they wait for the retry rather than each waiting out `EMAIL_TIMEOUT`)."""
    sent: list[int] = []
    errors: dict[int, str] = {}
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except EMAIL_ERRORS as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
        return [], {pk: error for pk, _message in messages}
    try:
        for index, (pk, message) in enumerate(messages):
            try:
                connection.send_messages([message])
            except EMAIL_ERRORS as exc:
                errors[pk] = f"{type(exc).__name__}: {exc}"[:500]
                untried = f"Chưa gửi: máy chủ thư lỗi ở thư trước ({type(exc).__name__})"[:500]
                errors.update({later: untried for later, _m in messages[index + 1:]})
                break
            sent.append(pk)
    finally:
        try:
            connection.close()
        except EMAIL_ERRORS:
            pass
    return sent, errors


def notification_email(notification: Notification) -> EmailMessage:
    """The Vietnamese email of a notification."""
    base = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
    context = {
        "notification": notification,
        "user": notification.user,
        "link": f"{base}{notification.url}" if notification.url else "",
    }
    subject = f"[Dân vận khéo] {notification.title}"
    body = render_to_string("plans/email/notification.txt", context)
    return EmailMessage(
        subject=" ".join(subject.split())[:250], body=body, to=[notification.user.email],
        headers={"Message-ID": f"<notification-{notification.pk}@dan-van-kheo.portal>"},
    )


# --- The daily digest --------------------------------------------------------------------------------


def digest_hour() -> int:
    return int(getattr(settings, "NOTIFICATION_DIGEST_HOUR", 17))


DIGEST_BATCH = 2000  # people whose digests are claimed per transaction


def digest_send(*, now: dt.datetime | None = None, email: bool = True) -> int:
    """Gather each person's notifications waiting for the digest into one email a day.

    From the set hour on (local time), each person with notifications waiting gets one
    `DigestDelivery` row for the day, claimed together with the notifications it carries. Set-based:
    one query finds the people, then a transaction per `DIGEST_BATCH` people inserts their rows
    `ON CONFLICT DO NOTHING RETURNING` and moves the notifications of the rows it inserted into
    them with one UPDATE; a second run (a duplicate tick, another worker) inserts nothing and sends
    nothing. The emails go after each batch commits. Returns how many digests were claimed.
    """
    from .models import DigestDelivery

    now = now or timezone.now()
    if timezone.localtime(now).hour < digest_hour():
        return 0
    day = timezone.localdate(now)
    waiting = Notification.objects.filter(email_status=Notification.Email.DIGEST, created_at__lte=now)
    people = sorted(waiting.values_list("user_id", flat=True).distinct().order_by())
    status = Notification.Email.PENDING if email else Notification.Email.SKIPPED
    claimed = 0
    for part in bulk.chunks(people, DIGEST_BATCH):
        with transaction.atomic():
            rows = bulk.insert_returning(
                DigestDelivery,
                [{"user_id": user_id, "day": day, "created_at": now, "email_status": status} for user_id in part],
                ["id", "user"],
            )
            if not rows:
                continue
            ours = DigestDelivery.objects.filter(user_id=OuterRef("user_id"), day=day).values("pk")[:1]
            waiting.filter(user_id__in=[user_id for _pk, user_id in rows]).update(
                email_status=Notification.Email.IN_DIGEST, digest_id=Subquery(ours)
            )
            if email:
                _queue_digests(sorted(pk for pk, _user_id in rows))
        claimed += len(rows)
    return claimed


def _queue_digests(delivery_ids: list[int]) -> None:
    """Email digests once the transaction commits: a task per `EMAIL_BATCH`, one connection each."""
    from .tasks import send_digest_emails

    def send():
        for part in bulk.chunks(list(delivery_ids), EMAIL_BATCH):
            send_digest_emails.delay(list(part))

    transaction.on_commit(send)


def digest_emails_send(*, delivery_ids: Iterable[int], final_attempt: bool = False) -> dict[int, str]:
    """Send some digest emails, each at most once, over one connection (as `notification_emails_send`)."""
    from .models import DigestDelivery

    def reload(ids):
        carried = Prefetch("notifications", queryset=Notification.objects.order_by("created_at", "id"))
        return list(DigestDelivery.objects.filter(pk__in=ids).select_related("user")
                    .prefetch_related(carried).order_by("pk"))

    return _send_once(DigestDelivery, delivery_ids, final_attempt=final_attempt, build=digest_email, reload=reload)


def digest_email(delivery) -> EmailMessage:
    """The Vietnamese digest email: every notification it carries, oldest first, with links."""
    base = getattr(settings, "PORTAL_BASE_URL", "").rstrip("/")
    carried = sorted(delivery.notifications.all(), key=lambda n: (n.created_at, n.pk))
    items = [{"notification": n, "link": f"{base}{n.url}" if n.url else ""} for n in carried]
    subject = _("[Dân vận khéo] Tổng hợp thông báo ngày %(day)s (%(count)s thông báo)") % {
        "day": f"{delivery.day:%d/%m/%Y}", "count": len(items),
    }
    body = render_to_string("plans/email/digest.txt", {"user": delivery.user, "items": items})
    return EmailMessage(
        subject=subject, body=body, to=[delivery.user.email],
        headers={"Message-ID": f"<digest-{delivery.pk}@dan-van-kheo.portal>"},
    )


@transaction.atomic
def preferences_save(*, user, choices: dict[str, str]) -> None:
    """Store how the user wants each kind of event delivered (only choices that differ from the default)."""
    from portal.workflow_events import ROUTES, default_delivery

    from .models import Delivery, NotificationPreference

    for kind, delivery in choices.items():
        if kind not in ROUTES or delivery not in Delivery.values:
            raise ValidationError(_("Lựa chọn không hợp lệ."))
        if delivery == default_delivery(kind):
            NotificationPreference.objects.filter(user=user, kind=kind).delete()
        else:
            NotificationPreference.objects.update_or_create(user=user, kind=kind, defaults={"delivery": delivery})


# --- Reminders -----------------------------------------------------------------------------------------


def reminder_schedules(sources: list) -> dict[str, ReminderSchedule]:
    """The schedule of every source's kind; missing rows are created with the source's defaults."""
    existing = {s.kind: s for s in ReminderSchedule.objects.all()}
    missing = []
    for source in sources:
        if source.kind not in existing:
            values = {**reminders.DEFAULT_SCHEDULE, **getattr(source, "default_schedule", {})}
            missing.append(ReminderSchedule(kind=source.kind, label=getattr(source, "label", ""), **values))
    if missing:
        ReminderSchedule.objects.bulk_create(missing, ignore_conflicts=True)
        existing = {s.kind: s for s in ReminderSchedule.objects.all()}
    return existing


REMINDER_BATCH = 1000  # steps claimed per transaction (rows of one INSERT)
EMAIL_BATCH = 200  # emails per task, sent over one connection to the mail server


def reminders_send(*, now: dt.datetime | None = None, email: bool = True) -> int:
    """One reminder pass: every step due at `now` goes out once; returns how many were sent.

    Set-based, in a number of queries that does not grow with the country: the sources yield every
    deadline of the window in a few queries each; the steps already delivered are read in one
    query per few thousand deadlines; the rest are claimed a thousand at a time, each batch in one
    transaction of two INSERTs — the notifications, then their `ReminderDelivery` rows — written
    `ON CONFLICT DO NOTHING RETURNING`, so a step an earlier tick or another worker already wrote
    is skipped and only the rows this pass inserted count as sent. Emails are queued after each
    batch commits, a task per `EMAIL_BATCH`, each sent over one connection to the mail server.
    """
    now = now or timezone.now()
    if timezone.is_naive(now):
        now = timezone.make_aware(now)
    sources = reminders.sources()
    schedules = reminder_schedules(sources)
    steps: list[reminders.Step] = []
    with memo_scope():  # the phases and handovers are read once for the whole pass
        for source in sources:
            schedule = schedules[source.kind]
            if not schedule.is_active:
                continue
            start, end = reminders.window(schedule, now)
            for deadline in source.deadlines(start=start, end=end):
                steps.extend(reminders.steps_due(deadline, schedule, now))
    if not steps:
        return 0
    done = _reminders_done({step.deadline.key for step in steps})
    fresh: dict[tuple[str, int, str], reminders.Step] = {}
    for step in steps:
        claim = (step.deadline.key, step.user_id, step.name)
        if claim not in done:
            fresh.setdefault(claim, step)
    # Claimed in one global order, so two passes at the same moment never wait on each other in a cycle.
    todo = [fresh[claim] for claim in sorted(fresh, key=lambda c: (c[1], c[0], c[2]))]
    sent = 0
    for batch in bulk.chunks(todo, REMINDER_BATCH):
        with transaction.atomic():
            ids = _claim_reminders(batch, now, email=email)
            if email and ids:
                queue_emails(ids)
        sent += len(ids)
    return sent


def _reminders_done(keys: set[str]) -> set[tuple[str, int, str]]:
    """The (deadline, person, step) already delivered for `keys`, a few thousand keys a query."""
    done: set[tuple[str, int, str]] = set()
    for part in bulk.chunks(sorted(keys), 5000):
        done.update(
            ReminderDelivery.objects.filter(deadline_key__in=part).values_list("deadline_key", "user_id", "step")
        )
    return done


def _reminder_key(step: reminders.Step) -> str:
    return f"reminder:{step.deadline.key}:{step.name}"[:300]


def _claim_reminders(steps, now: dt.datetime, *, email: bool) -> list[int]:
    """Write the notifications and delivery rows of `steps`; returns the notifications written.

    A notification whose (person, key) exists is not written, so its step is not delivered again; a
    notification written whose delivery row another pass wrote first is removed again (the row
    decides, as the savepoint did when each step was claimed alone).
    """
    status = Notification.Email.PENDING if email else Notification.Email.SKIPPED
    rows = []
    for step in steps:
        deadline = step.deadline
        title = ("Báo cáo quá hạn: " if step.escalation else "Nhắc việc: ") + deadline.title
        body = step.message + (f"\n{deadline.detail}" if deadline.detail else "")
        rows.append({
            "user_id": step.user_id, "title": title[:300], "body": body, "url": deadline.url,
            "key": _reminder_key(step), "created_at": now, "email_status": status,
        })
    written = {
        (user_id, key): pk for pk, user_id, key in bulk.insert_returning(Notification, rows, ["id", "user", "key"])
    }
    if not written:
        return []
    deliveries = []
    for step in steps:
        pk = written.get((step.user_id, _reminder_key(step)))
        if pk is not None:
            deliveries.append({
                "deadline_key": step.deadline.key, "user_id": step.user_id, "step": step.name,
                "kind": step.deadline.kind, "due_at": step.deadline.due_at, "created_at": now,
                "notification_id": pk,
            })
    claimed = {pk for (pk,) in bulk.insert_returning(ReminderDelivery, deliveries, ["notification"])}
    lost = set(written.values()) - claimed
    if lost:
        Notification.objects.filter(pk__in=lost).delete()
    return sorted(claimed)


def reminders_cancel(*, key: str, keep_user_ids: Iterable[int] | None = None) -> int:
    """Cancel the pending reminder emails of a deadline (and its occurrences), except to `keep`."""
    match = Q(delivery__deadline_key=key) | Q(delivery__deadline_key__startswith=f"{key}:")
    pending = Notification.objects.filter(match, email_status=Notification.Email.PENDING)
    if keep_user_ids is not None:
        pending = pending.exclude(user_id__in=set(keep_user_ids))
    return pending.update(email_status=Notification.Email.CANCELLED)


# --- The iCalendar feed -----------------------------------------------------------------------------


@transaction.atomic
def calendar_feed_renew(*, user):
    """Give the user a new secret calendar address; the old one stops working."""
    from .models import CalendarFeed, new_feed_token

    feed, created = CalendarFeed.objects.get_or_create(user=user)
    if not created:
        feed.token = new_feed_token()
        feed.save(update_fields=["token"])
    return feed


@transaction.atomic
def calendar_feed_revoke(*, user) -> None:
    """Stop the user's calendar address from working."""
    from .models import CalendarFeed

    CalendarFeed.objects.filter(user=user).delete()
