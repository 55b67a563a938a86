from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from portal import scoring


class ImportBatch(models.Model):
    """An uploaded Excel file waiting for its preview to be confirmed (all rows or none)."""

    class Kind(models.TextChoices):
        UNITS = "units", _("Đơn vị")
        USERS = "users", _("Người dùng")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận")
        DONE = "done", _("Đã nhập")
        CANCELLED = "cancelled", _("Đã hủy")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    filename = models.CharField(max_length=255)
    content = models.BinaryField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    row_count = models.PositiveIntegerField(default=0)
    # Units the reviewer picked where the file's unit could not be used: {"<row number>": unit id,
    # "all": unit id for every such row without a choice of its own}.
    unit_choices = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"


class ReportRequest(models.Model):
    """A report asked for by someone: its parameters, progress, and the file made by the worker.

    Two identical requests (same kind and parameters) never run at once: the second joins the first
    (a partial unique constraint on the parameters' key while queued or running).
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    kind = models.CharField(_("loại báo cáo"), max_length=40)
    params = models.JSONField(_("tham số"), default=dict)
    params_key = models.CharField(max_length=64, db_index=True)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("người yêu cầu")
    )
    status = models.CharField(_("trạng thái"), max_length=20, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    message = models.CharField(max_length=500, blank=True)
    file_path = models.CharField(max_length=500, blank=True)
    filename = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, default="application/pdf")
    sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveIntegerField(default=0)
    pages = models.PositiveIntegerField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["params_key"],
                condition=models.Q(status__in=["queued", "running"]),
                name="one_active_report_per_request",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE


class FormSubmission(models.Model):
    """One rendered form's one-time token, claimed by the first POST that carries it.

    The unique token makes a double click, a resent POST or two tabs act once: the first request
    claims the row (committed at once, outside the view's transaction) and does the work; a later
    request with the same token waits for that outcome and is sent where the first one went.
    See `portal/submissions.py`.
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+")
    path = models.CharField(max_length=255)
    status = models.PositiveSmallIntegerField(null=True)  # the first request's answer, once known
    location = models.CharField(max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.path} {self.token[:8]}…"


class RubricCriterionBase(models.Model):
    """What every rubric criterion has, whatever it scores (a pledge in a quarterly review, a model
    before a council): the scoring engine (`portal/scoring.py`) reads these fields."""

    name = models.CharField(_("tiêu chí"), max_length=200)
    weight = models.DecimalField(_("trọng số"), max_digits=5, decimal_places=2,
                                 validators=[MinValueValidator(Decimal("0.01"))])
    max_score = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2,
                                    validators=[MinValueValidator(Decimal("0.5"))])
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @staticmethod
    def criterion_constraints(prefix: str) -> list[models.BaseConstraint]:
        """The checks of a concrete criterion table; `prefix` keeps each table's constraint names."""
        return [
            models.CheckConstraint(condition=Q(weight__gt=0), name=f"{prefix}criterion_weight_positive"),
            models.CheckConstraint(condition=Q(max_score__gt=0), name=f"{prefix}criterion_max_positive"),
        ]

    def for_scoring(self, group_id: int) -> scoring.Criterion:
        """This criterion as the engine reads it, in the criteria group `group_id`."""
        return scoring.Criterion(id=self.pk, group_id=group_id, weight=float(self.weight),
                                 max_score=float(self.max_score))
