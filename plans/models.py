"""Plans, their items and inspections; the notification centre; reminder bookkeeping.

A plan item's due time is one of four kinds (ongoing with a recurrence, a month, a year, a date),
as the movement's documents write them; `due_at` stores the instant a single deadline falls due
(Asia/Ho_Chi_Minh), so overdue and upcoming items are found with one indexed query.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.choices import ChoiceDisplay
from portal.text import fold, nfc

from . import dates


def private_storage():
    """Evidence is served through a permission-checked view, never from MEDIA_URL."""
    from django.core.files.storage import FileSystemStorage

    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


class Plan(models.Model):
    """A unit's plan (kế hoạch) to carry out the movement."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="plans", verbose_name=_("đơn vị ban hành")
    )
    phase = models.ForeignKey(
        "units.Phase", null=True, blank=True, on_delete=models.SET_NULL, related_name="plans",
        verbose_name=_("giai đoạn"),
    )
    number = models.CharField(_("số kế hoạch"), max_length=60, help_text=_("Ví dụ: 54-KH/BDVTU"))
    title = models.CharField(_("trích yếu"), max_length=500)
    issued_on = models.DateField(_("ngày ban hành"))
    place = models.CharField(_("địa danh"), max_length=120, blank=True)
    signer = models.CharField(_("người ký"), max_length=150, blank=True)
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    implements = models.TextField(
        _("căn cứ thực hiện"), blank=True, help_text=_("Văn bản mà kế hoạch này triển khai thực hiện.")
    )
    monitor = models.CharField(
        _("đơn vị theo dõi, đôn đốc"), max_length=255, blank=True,
        help_text=_("Đơn vị giúp lãnh đạo theo dõi, đôn đốc việc thực hiện kế hoạch."),
    )
    recipients = models.TextField(_("nơi nhận"), blank=True)
    search_folded = models.CharField(max_length=800, editable=False, default="", db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords(excluded_fields=["search_folded", "updated_at"])

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        constraints = [
            models.UniqueConstraint(fields=["unit", "number"], name="plans_plan_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.number} – {self.title}"

    def save(self, *args, **kwargs):
        self.number = nfc(self.number).strip()
        self.title = nfc(self.title).strip()
        self.search_folded = fold(f"{self.number} {self.title}")[:800]
        super().save(*args, **kwargs)

    @property
    def end_year(self) -> int:
        """The last year the plan runs: the phase's end, else the year it was issued."""
        if not self.phase_id:
            return self.issued_on.year
        from portal.units.models import Phase

        phase = next((p for p in Phase.all_cached() if p.pk == self.phase_id), None) or self.phase
        return phase.end_year


class DueKind(models.TextChoices):
    ONGOING = "ongoing", _("Thường xuyên")
    MONTH = "month", _("Trong tháng")
    YEAR = "year", _("Trong năm")
    DATE = "date", _("Trước ngày")
    UNSPECIFIED = "none", _("Không ghi thời gian")


class Recurrence(models.TextChoices):
    NONE = "", _("Không nhắc định kỳ")
    MONTHLY = "monthly", _("Hằng tháng")
    QUARTERLY = "quarterly", _("Hằng quý")
    YEARLY = "yearly", _("Hằng năm")


class ResponsibleKind(models.TextChoices):
    ADVISE = "advise", _("Chịu trách nhiệm tham mưu")
    EXECUTE = "execute", _("Chịu trách nhiệm thực hiện")


class ItemStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa thực hiện")
    IN_PROGRESS = "in_progress", _("Đang thực hiện")
    DONE = "done", _("Hoàn thành")
    CANCELLED = "cancelled", _("Hủy bỏ")


CLOSED_STATUSES = (ItemStatus.DONE, ItemStatus.CANCELLED)


class PlanItem(ChoiceDisplay, models.Model):
    """One task of a plan: content, chair, responsible body, due time and status."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="items", verbose_name=_("kế hoạch"))
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("mục"), max_length=20, blank=True, help_text=_("Ví dụ: 1.1, 2.4"))
    section = models.CharField(_("phần, mục lớn"), max_length=300, blank=True)
    heading = models.CharField(_("tiêu đề"), max_length=300, blank=True)
    content = models.TextField(_("nội dung"))
    chair = models.CharField(_("chủ trì"), max_length=300, blank=True)
    responsible_kind = models.CharField(
        _("loại trách nhiệm"), max_length=10, choices=ResponsibleKind.choices, default=ResponsibleKind.ADVISE
    )
    responsible = models.CharField(_("đơn vị chịu trách nhiệm"), max_length=500, blank=True)
    method = models.TextField(_("cách thức thực hiện"), blank=True)
    responsible_units = models.ManyToManyField(
        "units.Unit", blank=True, related_name="plan_items", verbose_name=_("phòng, ban chịu trách nhiệm"),
    )
    responsible_roles = models.ManyToManyField(
        "accounts.Role", blank=True, related_name="plan_items",
        verbose_name=_("vai trò chịu trách nhiệm"),
        help_text=_("Ví dụ Chi ủy, BCH Công đoàn của đơn vị ban hành kế hoạch."),
    )
    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="assigned_plan_items",
        verbose_name=_("người được giao"),
    )
    due_kind = models.CharField(_("loại thời hạn"), max_length=10, choices=DueKind.choices)
    due_date = models.DateField(_("ngày hạn"), null=True, blank=True)
    due_month = models.PositiveSmallIntegerField(_("tháng"), null=True, blank=True)
    due_year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    recurrence = models.CharField(
        _("nhắc định kỳ"), max_length=10, choices=Recurrence.choices, blank=True, default=""
    )
    due_at = models.DateTimeField(null=True, blank=True, editable=False, db_index=True)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    status_changed_on = models.DateField(_("ngày cập nhật trạng thái"), null=True, blank=True)
    last_update_on = models.DateField(_("lần báo cáo gần nhất"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["due_at"], m2m_fields=[assignees, responsible_units])

    class Meta:
        ordering = ["plan", "position", "id"]
        verbose_name = _("nội dung kế hoạch")
        verbose_name_plural = _("nội dung kế hoạch")
        indexes = [models.Index(fields=["status", "due_at"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(due_kind="date") | models.Q(due_date__isnull=False),
                name="plans_item_date_needs_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(due_kind="month")
                | models.Q(due_month__gte=1, due_month__lte=12, due_year__isnull=False),
                name="plans_item_month_needs_month",
            ),
            models.CheckConstraint(
                condition=~models.Q(due_kind="year") | models.Q(due_year__isnull=False),
                name="plans_item_year_needs_year",
            ),
        ]

    def __str__(self) -> str:
        prefix = f"{self.code}. " if self.code else ""
        text = self.heading or self.content
        return prefix + (text[:80] + "…" if len(text) > 80 else text)

    def save(self, *args, **kwargs):
        for name in ("content", "chair", "responsible", "heading", "section", "method"):
            setattr(self, name, nfc(getattr(self, name)).strip())
        self.due_at = self.compute_due_at()
        super().save(*args, **kwargs)

    def compute_due_at(self) -> dt.datetime | None:
        """The instant a single deadline falls due; None for ongoing and unspecified items."""
        return dates.due_at(self.due_kind, date=self.due_date, month=self.due_month, year=self.due_year)

    @property
    def due_label(self) -> str:
        """The due time as the documents write it: "Thường xuyên", "Tháng 3/2022"…"""
        return dates.due_label(
            self.due_kind, date=self.due_date, month=self.due_month, year=self.due_year,
            recurrence=self.recurrence,
        )

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        """A single deadline that passed, or an ongoing item with no report in the last period."""
        now = now or timezone.now()
        if self.is_closed:
            return False
        if self.due_at is not None:
            return self.due_at <= now
        if self.due_kind == DueKind.ONGOING and self.recurrence:
            period = dates.previous_period(self.recurrence, now)
            plan_end = dates.local_midnight(dt.date(self.plan.end_year + 1, 1, 1))
            if period is None or period.end <= dates.local_midnight(self.plan.issued_on):
                return False
            if period.end > plan_end:
                return False
            return self.last_update_on is None or self.last_update_on < period.start.date()
        return False


class PlanItemUpdate(ChoiceDisplay, models.Model):
    """A dated update of an item (a workflow event): who, when, status, note, evidence."""

    item = models.ForeignKey(PlanItem, on_delete=models.CASCADE, related_name="updates")
    transition = models.CharField(_("thao tác"), max_length=20)
    on = models.DateField(_("ngày"))
    status = models.CharField(_("trạng thái"), max_length=12, choices=ItemStatus.choices)
    note = models.TextField(_("nội dung cập nhật"), blank=True)
    evidence = models.FileField(
        _("minh chứng"), upload_to="plans/evidence/%Y/%m/", blank=True, storage=private_storage
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]
        verbose_name = _("cập nhật tiến độ")
        verbose_name_plural = _("cập nhật tiến độ")

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.get_status_display()}"


class Inspection(models.Model):
    """An inspection (kiểm tra) of units' implementation, with findings and follow-ups."""

    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="inspections", verbose_name=_("đơn vị kiểm tra")
    )
    plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.SET_NULL, related_name="inspections",
        verbose_name=_("theo kế hoạch"),
    )
    title = models.CharField(_("tên đợt kiểm tra"), max_length=300)
    inspected_on = models.DateField(_("ngày kiểm tra"))
    inspected_units = models.ManyToManyField(
        "units.Unit", related_name="inspected_by", verbose_name=_("đơn vị được kiểm tra")
    )
    findings = models.TextField(_("kết quả, nhận xét"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords(m2m_fields=[inspected_units])

    class Meta:
        ordering = ["-inspected_on", "-id"]
        verbose_name = _("đợt kiểm tra")
        verbose_name_plural = _("đợt kiểm tra")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = nfc(self.title).strip()
        self.findings = nfc(self.findings).strip()
        super().save(*args, **kwargs)


class FollowUpStatus(models.TextChoices):
    OPEN = "open", _("Chưa khắc phục")
    DONE = "done", _("Đã khắc phục")


class FollowUp(models.Model):
    """Something an inspected unit must fix by a date; reminded like a plan item."""

    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="follow_ups")
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="follow_ups", verbose_name=_("đơn vị thực hiện")
    )
    content = models.TextField(_("nội dung cần khắc phục"))
    due_date = models.DateField(_("hạn hoàn thành"))
    due_at = models.DateTimeField(editable=False, db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="follow_ups", verbose_name=_("người được giao"),
    )
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=FollowUpStatus.choices, default=FollowUpStatus.OPEN
    )
    done_on = models.DateField(_("ngày khắc phục xong"), null=True, blank=True)
    result = models.TextField(_("kết quả khắc phục"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("nội dung sau kiểm tra")
        verbose_name_plural = _("nội dung sau kiểm tra")

    def __str__(self) -> str:
        return self.content[:80]

    def save(self, *args, **kwargs):
        self.content = nfc(self.content).strip()
        self.due_at = dates.due_at(DueKind.DATE, date=self.due_date)
        super().save(*args, **kwargs)

    def is_overdue(self, now: dt.datetime | None = None) -> bool:
        return self.status == FollowUpStatus.OPEN and self.due_at <= (now or timezone.now())


class FollowUpEvent(models.Model):
    """A transition of a follow-up (resolved, reopened): who, when, what was done."""

    follow_up = models.ForeignKey(FollowUp, on_delete=models.CASCADE, related_name="events")
    transition = models.CharField(_("thao tác"), max_length=20)
    on = models.DateField(_("ngày"))
    note = models.TextField(_("ghi chú"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.on:%d/%m/%Y} {self.transition}"


class Notification(models.Model):
    """A message in a person's notification centre; its email copy is tracked here too."""

    class Email(models.TextChoices):
        PENDING = "pending", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        SENT = "sent", _("Đã gửi")
        FAILED = "failed", _("Gửi lỗi")
        UNCONFIRMED = "unconfirmed", _("Không xác nhận được")
        SKIPPED = "skipped", _("Không có địa chỉ thư")
        CANCELLED = "cancelled", _("Đã hủy")
        DIGEST = "digest", _("Chờ thư tổng hợp")
        IN_DIGEST = "in_digest", _("Đã vào thư tổng hợp")
        PORTAL_ONLY = "portal", _("Chỉ trên cổng")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=500, blank=True)
    # NULL, not "": only notifications given a key are unique per (user, key).
    key = models.CharField(max_length=300, null=True, blank=True)  # noqa: DJ001
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_status = models.CharField(max_length=12, choices=Email.choices, default=Email.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=500, blank=True)
    # Set for notifications of a workflow event (portal/workflow_events.py); empty for reminders.
    kind = models.CharField(max_length=60, blank=True, default="")
    event = models.ForeignKey(
        "plans.WorkflowEvent", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    digest = models.ForeignKey(
        "plans.DigestDelivery", null=True, blank=True, on_delete=models.SET_NULL, related_name="notifications"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], condition=models.Q(key__isnull=False), name="plans_notification_key"
            ),
        ]
        indexes = [
            models.Index(
                fields=["user"], condition=models.Q(read_at__isnull=True), name="plans_notif_unread"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ReminderDelivery(models.Model):
    """One reminder step for one person and one deadline; the unique row makes sending idempotent."""

    deadline_key = models.CharField(max_length=200)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    step = models.CharField(max_length=60)
    kind = models.CharField(max_length=40)
    due_at = models.DateTimeField()
    notification = models.OneToOneField(
        Notification, null=True, on_delete=models.SET_NULL, related_name="delivery"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("lượt nhắc việc")
        verbose_name_plural = _("lượt nhắc việc")
        constraints = [
            models.UniqueConstraint(
                fields=["deadline_key", "user", "step"], name="plans_reminder_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deadline_key} · {self.user_id} · {self.step}"


def _default_days_before() -> list[int]:
    return [7, 1]


class ReminderSchedule(models.Model):
    """When reminders of one kind of deadline go out; edited by administrators."""

    kind = models.CharField(_("loại thời hạn"), max_length=40, unique=True)
    label = models.CharField(_("tên"), max_length=200, blank=True)
    is_active = models.BooleanField(_("đang bật"), default=True)
    days_before = models.JSONField(
        _("nhắc trước (ngày)"), default=_default_days_before,
        help_text=_("Danh sách số ngày trước hạn, ví dụ [7, 1]."),
    )
    remind_overdue = models.BooleanField(_("nhắc khi quá hạn"), default=True)
    repeat_overdue_days = models.PositiveSmallIntegerField(
        _("nhắc lại khi quá hạn, mỗi (ngày)"), default=7, help_text=_("0 = không nhắc lại.")
    )
    max_overdue_days = models.PositiveSmallIntegerField(
        _("ngừng nhắc sau khi quá hạn (ngày)"), default=90
    )
    escalate_after_days = models.PositiveSmallIntegerField(
        _("báo lãnh đạo sau khi quá hạn (ngày)"), null=True, blank=True, default=14,
        help_text=_("Để trống nếu không báo lãnh đạo đơn vị."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind"]
        verbose_name = _("lịch nhắc việc")
        verbose_name_plural = _("lịch nhắc việc")

    def __str__(self) -> str:
        return self.label or self.kind


def new_feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A person's secret iCalendar address; revoking deletes the row, renewing changes the token."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lịch iCalendar")
        verbose_name_plural = _("lịch iCalendar")

    def __str__(self) -> str:
        return f"iCalendar · {self.user_id}"


class WorkflowEvent(models.Model):
    """One step of some record's workflow that people are told about (portal/workflow_events.py).

    `key`, when the emitter gives one, makes emitting idempotent: a retried task or a second tick
    that emits the same key finds the first event and tells nobody again.
    """

    kind = models.CharField(max_length=60, db_index=True)
    record_type = models.CharField(max_length=60)
    record_id = models.PositiveBigIntegerField()
    unit = models.ForeignKey("units.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.TextField(blank=True)
    url = models.CharField(max_length=500, blank=True)
    title = models.CharField(max_length=300)
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)  # noqa: DJ001
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["record_type", "record_id"])]
        verbose_name = _("sự kiện quy trình")
        verbose_name_plural = _("sự kiện quy trình")

    def __str__(self) -> str:
        return self.title


class Delivery(models.TextChoices):
    """How a person wants to be told about one kind of event."""

    IMMEDIATE = "immediate", _("Gửi thư ngay")
    DIGEST = "digest", _("Thư tổng hợp hằng ngày")
    PORTAL = "portal", _("Chỉ trên cổng thông tin")


class NotificationPreference(models.Model):
    """A person's choice for one kind of event; without a row the kind's default applies."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=60)
    delivery = models.CharField(_("cách nhận"), max_length=10, choices=Delivery.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="plans_one_preference_per_kind")]
        verbose_name = _("cách nhận thông báo")
        verbose_name_plural = _("cách nhận thông báo")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.kind}: {self.delivery}"


class DigestDelivery(models.Model):
    """The daily digest email of one person: the unique (user, day) row makes it go out once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    email_status = models.CharField(
        max_length=12, choices=Notification.Email.choices, default=Notification.Email.PENDING
    )
    emailed_at = models.DateTimeField(null=True, blank=True)
    email_error = models.CharField(max_length=500, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="plans_one_digest_a_day")]
        verbose_name = _("thư tổng hợp")
        verbose_name_plural = _("thư tổng hợp")

    def __str__(self) -> str:
        return f"{self.user_id} · {self.day}"
