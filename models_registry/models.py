"""DVK models ("mô hình Dân vận khéo"): what a unit registers, runs, reports on and gets recognised for.

A model belongs for ever to the unit of the staff who registered it, and to one phase and year.
Its life is the state machine declared in `workflow.py`; every transition leaves a `ModelEvent`.
"""

from __future__ import annotations

import datetime as dt
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from portal.choices import ChoiceDisplay
from portal.text import fold, nfc


class PrivateStorage(FileSystemStorage):
    """Attachments live under PRIVATE_MEDIA_ROOT, which has no URL: a permission-checked view
    serves them. The root is read from settings on each use, so tests can point it elsewhere."""

    @property
    def base_location(self):
        return str(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None


private_storage = PrivateStorage()


def _private_storage():
    return private_storage


class ModelField(models.TextChoices):
    ECONOMY = "kinh-te", _("Kinh tế")
    CULTURE_SOCIETY = "van-hoa-xa-hoi", _("Văn hóa – xã hội")
    DEFENCE_SECURITY = "quoc-phong-an-ninh", _("Quốc phòng – an ninh")
    POLITICAL_SYSTEM = "xay-dung-he-thong-chinh-tri", _("Xây dựng hệ thống chính trị")


class State(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Chờ duyệt")
    RETURNED = "returned", _("Trả lại để sửa")
    REGISTERED = "registered", _("Đã đăng ký")
    EVALUATED = "evaluated", _("Đã đánh giá")
    RECOGNISED = "recognised", _("Được công nhận")


class RegistrationKind(models.TextChoices):
    NEW = "new", _("Đăng ký xây dựng mới")
    MAINTAINED = "maintained", _("Duy trì mô hình đang thực hiện")


class RecognitionLevel(models.IntegerChoices):
    """Higher number = higher level, so levels compare with < and >."""

    UNIT = 1, _("Cấp cơ sở")
    DISTRICT = 2, _("Cấp huyện")
    PROVINCE = 3, _("Cấp tỉnh")


# Recognised models that were made public: the showcase, and what everyone sees of other units.
PUBLIC_Q = models.Q(state=State.RECOGNISED, is_public=True)


class DvkModelQuerySet(models.QuerySet):
    def public(self):
        """Recognised models that were made public: the showcase."""
        return self.filter(PUBLIC_Q)

    def running(self):
        """Models that were approved (registered or later)."""
        return self.filter(state__in=RUNNING_STATES)


RUNNING_STATES = (State.REGISTERED, State.EVALUATED, State.RECOGNISED)

# What a proposal must hold to be submitted, in form order, with the step of the registration form
# each is on (a draft is saved with its name alone). "continues" is needed by a maintained model only.
SUBMIT_STEP = {"field": 1, "continues": 1, "goals": 2, "target_group": 2, "how_it_works": 2,
               "leader_text": 2, "start_date": 2, "expected_results": 2}
SUBMIT_REQUIRED = tuple(name for name in SUBMIT_STEP if name != "continues")
FORM_STEPS = {1: _("Thông tin chung"), 2: _("Nội dung mô hình"), 3: _("Minh chứng")}


class DvkModel(ChoiceDisplay, models.Model):
    unit = models.ForeignKey(
        "units.Unit", on_delete=models.PROTECT, related_name="dvk_models", verbose_name=_("đơn vị")
    )
    phase = models.ForeignKey(
        "units.Phase", on_delete=models.PROTECT, related_name="dvk_models", verbose_name=_("giai đoạn")
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    # A draft may lack any of the content below (only its name is needed to save it); what a
    # proposal must hold is checked when it is submitted (`missing_for_submit`).
    field = models.CharField(_("lĩnh vực"), max_length=40, choices=ModelField.choices, blank=True)
    name = models.CharField(_("tên mô hình"), max_length=255)
    registration_kind = models.CharField(
        _("hình thức"), max_length=20, choices=RegistrationKind.choices, default=RegistrationKind.NEW
    )
    continues = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="continuations",
        verbose_name=_("mô hình năm trước được duy trì"),
    )
    replicated_from = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replications",
        verbose_name=_("nhân rộng từ mô hình"),
    )
    goals = models.TextField(_("mục tiêu"), blank=True)
    target_group = models.CharField(_("đối tượng hướng đến"), max_length=500, blank=True)
    how_it_works = models.TextField(_("cách thức thực hiện"), blank=True)
    leader_text = models.CharField(_("người/bộ phận chủ trì"), max_length=255, blank=True)
    participants = models.TextField(_("thành phần tham gia"), blank=True)
    start_date = models.DateField(_("ngày bắt đầu"), null=True, blank=True)
    expected_results = models.TextField(_("kết quả dự kiến"), blank=True)
    resources = models.TextField(_("nguồn lực"), blank=True)

    state = models.CharField(
        _("trạng thái"), max_length=20, choices=State.choices, default=State.DRAFT, db_index=True
    )
    return_note = models.TextField(_("nội dung yêu cầu sửa"), blank=True)
    # {field name: what to change}, shown beside those fields on the edit form while returned.
    return_field_notes = models.JSONField(_("yêu cầu sửa theo từng mục"), default=dict, blank=True)
    # An extension granted for this record (or given on a return near the deadline): staff may
    # submit up to and including this day although the unit's deadline passed.
    submit_until = models.DateField(_("được gửi đến hết ngày"), null=True, blank=True)
    submitted_late = models.BooleanField(_("nộp sau hạn (lãnh đạo cho phép)"), default=False)
    is_effective = models.BooleanField(_("hiệu quả"), null=True, blank=True)
    evaluation_reason = models.TextField(_("nhận xét đánh giá"), blank=True)
    recognition_level = models.PositiveSmallIntegerField(
        _("cấp công nhận"), choices=RecognitionLevel.choices, null=True, blank=True, db_index=True
    )
    recognised_by = models.ForeignKey(
        "units.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("đơn vị công nhận"),
    )
    recognised_on = models.DateField(_("ngày công nhận"), null=True, blank=True)
    is_public = models.BooleanField(_("công khai"), default=False)
    slug = models.SlugField(max_length=120, blank=True, db_index=True)

    name_folded = models.CharField(max_length=255, editable=False, default="", db_index=True)
    search_folded = models.TextField(editable=False, default="")
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(excluded_fields=["name_folded", "search_folded", "version", "updated_at"])
    objects = DvkModelQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-updated_at", "-id"]
        verbose_name = _("mô hình “Dân vận khéo”")
        verbose_name_plural = _("mô hình “Dân vận khéo”")
        indexes = [
            # Coverage and spread read a year's running models by unit (and kind, field, source)
            # across the nation: with these columns in the index, PostgreSQL answers from it alone
            # instead of visiting ~18,000 wide rows (35-95 ms at nation size).
            models.Index(fields=["year", "state"], include=["unit", "registration_kind", "field"],
                         name="dvkmodel_year_state_cover"),
            models.Index(fields=["year", "state"], include=["unit", "replicated_from"],
                         condition=models.Q(replicated_from__isnull=False), name="dvkmodel_replications"),
            # The list's subtree part: a unit's models with every column the list filters on, so
            # counting a province's models (24,000 at nation5) reads only this index.
            models.Index(fields=["unit", "year"], include=["state", "is_public", "field", "recognition_level", "phase"],
                         name="dvkmodel_unit_year_cover"),
            models.Index(fields=["state", "is_public"]),
            # The public part (the showcase, and the public models a signed-in person sees beyond
            # their own subtree), with the same columns.
            models.Index(fields=["year"], include=["unit", "field", "recognition_level", "phase"],
                         condition=models.Q(state="recognised", is_public=True), name="dvkmodel_public_cover"),
            # The list's order (last changed first), walked for a page's ids without visiting the
            # rows that are not shown: it holds every column the list's filters and visibility test.
            models.Index(fields=["-updated_at", "-id"],
                         include=["unit", "state", "is_public", "year", "field", "recognition_level", "phase"],
                         name="dvkmodel_list_order"),
            # The showcase's order: a page of public models without sorting all of them.
            models.Index(fields=["-recognition_level", "-recognised_on", "-id"],
                         condition=models.Q(state="recognised", is_public=True), name="dvkmodel_showcase_order"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        for name in ("name", "target_group", "leader_text"):
            setattr(self, name, nfc(getattr(self, name)).strip())
        self.refresh_folded()
        super().save(*args, **kwargs)

    SEARCHABLE = ("name", "goals", "target_group", "how_it_works", "expected_results", "leader_text")

    def refresh_folded(self) -> None:
        """Keep the diacritic-free search columns in step with the text."""
        self.name_folded = fold(self.name)
        self.search_folded = fold(" ".join(getattr(self, f) or "" for f in self.SEARCHABLE))

    def missing_for_submit(self) -> list[str]:
        """Names of the fields this record still lacks before it can be submitted, in form order.
        Only a draft may lack any: every later state was complete when it was submitted."""
        missing = []
        for name in SUBMIT_STEP:
            if name == "continues":
                lacking = self.registration_kind == RegistrationKind.MAINTAINED and self.continues_id is None
            else:
                value = getattr(self, name)
                lacking = value is None or (isinstance(value, str) and not value.strip())
            if lacking:
                missing.append(name)
        return missing

    @property
    def public_key(self) -> str:
        return self.slug or str(self.pk)

    @property
    def is_replication(self) -> bool:
        return self.replicated_from_id is not None


class ModelEvent(models.Model):
    """One step of a model's life: who did what, when, with which comment."""

    class Action(models.TextChoices):
        CREATE = "create", _("Tạo bản nháp")
        EDIT = "edit", _("Sửa")
        SUBMIT = "submit", _("Gửi đăng ký")
        COMMENT = "comment", _("Góp ý")
        APPROVE = "approve", _("Duyệt đăng ký")
        RETURN = "return", _("Trả lại để sửa")
        REPORT = "report", _("Báo cáo tiến độ")
        EVALUATE = "evaluate", _("Đánh giá cuối năm")
        RECOGNISE = "recognise", _("Công nhận")
        PUBLISH = "publish", _("Công khai")
        UNPUBLISH = "unpublish", _("Thôi công khai")
        EXTENSION_REQUEST = "extension_request", _("Xin gia hạn")
        EXTENSION_GRANT = "extension_grant", _("Cho gia hạn")
        EXTENSION_REFUSE = "extension_refuse", _("Không cho gia hạn")
        CONTINUE = "continue", _("Duy trì sang năm sau")
        REPORT_EDIT = "report_edit", _("Sửa báo cáo tiến độ")

    model = models.ForeignKey(DvkModel, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("thao tác"), max_length=20, choices=Action.choices)
    from_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(max_length=20, choices=State.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("thời điểm"), default=timezone.now, editable=False)
    comment = models.TextField(_("ý kiến"), blank=True)
    is_override = models.BooleanField(_("lãnh đạo cho phép ngoài hạn"), default=False)

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["model", "at"])]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.model_id}"


class ProgressReport(models.Model):
    """What a running model did in a period, with its results in numbers."""

    model = models.ForeignKey(DvkModel, on_delete=models.CASCADE, related_name="reports")
    period_start = models.DateField(_("từ ngày"))
    period_end = models.DateField(_("đến ngày"))
    activities = models.TextField(_("nội dung đã thực hiện"))
    people_reached = models.PositiveIntegerField(_("số người được tuyên truyền, vận động"), default=0)
    beneficiaries = models.PositiveIntegerField(_("số người hưởng lợi"), default=0)
    money_raised = models.PositiveBigIntegerField(_("số tiền vận động được (đồng)"), default=0)
    works_built = models.PositiveIntegerField(_("số công trình, phần việc"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["period_start", "id"]
        verbose_name = _("báo cáo tiến độ")
        verbose_name_plural = _("báo cáo tiến độ")

    def __str__(self) -> str:
        return f"{self.period_start:%d/%m/%Y} – {self.period_end:%d/%m/%Y}"


def _upload_to(instance, filename: str) -> str:
    today = dt.date.today()
    return f"models/{today:%Y/%m}/{filename}"


class Attachment(models.Model):
    """Evidence: a photo, PDF, DOCX or XLSX, checked by content before it is stored.

    An attachment with no model yet is an upload kept for a form that was refused, so the user
    need not pick the file again.
    """

    class Kind(models.TextChoices):
        IMAGE = "image", _("Ảnh")
        PDF = "pdf", _("PDF")
        DOCX = "docx", _("Word (DOCX)")
        XLSX = "xlsx", _("Excel (XLSX)")

    model = models.ForeignKey(
        DvkModel, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    report = models.ForeignKey(
        ProgressReport, null=True, blank=True, on_delete=models.CASCADE, related_name="attachments"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    file = models.FileField(upload_to=_upload_to, storage=_private_storage, max_length=255)
    thumbnail = models.FileField(upload_to=_upload_to, storage=_private_storage, max_length=255, blank=True)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE


class RegistrationDeadline(models.Model):
    """The last day (exclusive) to submit registrations of `year` in `unit` and below."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm"))
    date = models.DateField(_("hạn đăng ký (trước ngày)"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "year"], name="one_deadline_per_unit_year")]
        verbose_name = _("hạn đăng ký mô hình")
        verbose_name_plural = _("hạn đăng ký mô hình")

    def __str__(self) -> str:
        return f"{self.unit} · {self.year}: {self.date:%d/%m/%Y}"


class ExtensionRequest(models.Model):
    """A unit asks to submit a model after the deadline; leadership grants a date or refuses."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xem xét")
        GRANTED = "granted", _("Đồng ý gia hạn")
        REFUSED = "refused", pgettext_lazy("gia hạn", "Không đồng ý")

    model = models.ForeignKey(DvkModel, on_delete=models.CASCADE, related_name="extension_requests")
    reason = models.TextField(_("lý do xin gia hạn"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(_("kết quả"), max_length=10, choices=Status.choices, default=Status.PENDING)
    until = models.DateField(_("được gửi đến hết ngày"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến của lãnh đạo"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("đề nghị gia hạn")
        verbose_name_plural = _("đề nghị gia hạn")
        constraints = [
            models.UniqueConstraint(fields=["model"], condition=models.Q(status="pending"),
                                    name="one_pending_extension_per_model"),
        ]

    def __str__(self) -> str:
        return f"{self.model_id} · {self.get_status_display()}"


class UnitFollowUp(models.Model):
    """A follow-up ("đôn đốc") leadership sent to a unit about building its models in a year,
    kept on the unit; its staff are told through the notification centre."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="model_followups",
                             verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm"))
    message = models.TextField(_("nội dung đôn đốc"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("người gửi"))
    sent_at = models.DateTimeField(_("thời điểm gửi"), default=timezone.now)
    recipients = models.PositiveSmallIntegerField(_("số người nhận"), default=0)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["unit", "year"])]
        verbose_name = _("đôn đốc xây dựng mô hình")
        verbose_name_plural = _("đôn đốc xây dựng mô hình")

    def __str__(self) -> str:
        return f"{self.unit_id} {self.year} {self.sent_at:%d/%m/%Y}"
