"""Commendations (khen thưởng): a proposing body's proposal for an occasion, its subjects (models,
exemplars, collectives) and the decision that commends them with numbered certificates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .pledges import EventLabelMixin, Pledge


class Occasion(models.TextChoices):
    DAY_1510 = "1510", _("Ngày truyền thống công tác dân vận 15/10")
    PHASE_FINAL = "phase", _("Tổng kết giai đoạn")


class AwardForm(models.TextChoices):
    PRAISE = "bieu-duong", _("Biểu dương")
    CERTIFICATE = "giay-khen", _("Giấy khen")
    MERIT = "bang-khen", _("Bằng khen")
    PROVINCIAL_EXEMPLAR = "dien-hinh-tinh", _("Công nhận điển hình cấp tỉnh")


class AwardLevel(models.IntegerChoices):
    """Which body awards: higher number = higher body."""

    UNIT = 1, _("Cấp cơ sở")
    DISTRICT = 2, _("Cấp huyện")
    PROVINCE = 3, _("Cấp tỉnh (Ban Thường vụ Tỉnh ủy)")


class ProposingBody(models.TextChoices):
    UNION = "congdoan", _("Ban Chấp hành Công đoàn")
    CELL = "chibo", _("Chi ủy Chi bộ")
    LEADERSHIP = "bandanvan", _("Ban Dân vận")


class AwardProposal(models.Model):
    """A commendation proposal (tờ trình đề nghị khen thưởng) of a proposing body for one occasion,
    decided by the body above it (see `awards/commendations/workflow.py`)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang lập")
        SUBMITTED = "submitted", _("Chờ quyết định")
        DECIDED = "decided", _("Đã quyết định")

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="award_proposals",
                             verbose_name=_("đơn vị đề nghị"))
    body = models.CharField(_("cơ quan đề nghị"), max_length=12, choices=ProposingBody.choices)
    decider_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("đơn vị quyết định"))
    occasion = models.CharField(_("dịp khen thưởng"), max_length=8, choices=Occasion.choices)
    year = models.PositiveSmallIntegerField(_("năm"))
    phase = models.ForeignKey("units.Phase", on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("giai đoạn"))
    number = models.CharField(_("số tờ trình"), max_length=40, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-id"]
        verbose_name = _("đề nghị khen thưởng")
        verbose_name_plural = _("đề nghị khen thưởng")
        indexes = [models.Index(fields=["year", "occasion", "status"])]

    def __str__(self) -> str:
        return f"{self.get_body_display()} {self.unit} – {self.occasion_label}"

    @property
    def occasion_label(self) -> str:
        if self.occasion == Occasion.DAY_1510:
            return f"Ngày truyền thống 15/10/{self.year}"
        return f"Tổng kết giai đoạn {self.phase.name}"


class AwardDecision(models.Model):
    """The decision on a proposal: its approved subjects are commended under this number."""

    proposal = models.OneToOneField(AwardProposal, on_delete=models.PROTECT, related_name="decision")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị quyết định"))
    number = models.CharField(_("số quyết định"), max_length=40)
    date = models.DateField(_("ngày quyết định"))
    signer_title = models.CharField(_("chức vụ người ký"), max_length=100)
    signer_name = models.CharField(_("người ký"), max_length=100)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("quyết định khen thưởng")
        verbose_name_plural = _("quyết định khen thưởng")
        constraints = [models.UniqueConstraint(fields=["unit", "number"], name="one_decision_number_per_unit")]

    def __str__(self) -> str:
        return f"Quyết định số {self.number}"


class AwardSubject(models.Model):
    """One subject of a proposal — a model, an individual exemplar or a collective — with the
    form, level and reason; approved ones carry a certificate number and a verification code."""

    class Kind(models.TextChoices):
        MODEL = "model", _("Mô hình")
        INDIVIDUAL = "individual", _("Cá nhân điển hình")
        COLLECTIVE = "collective", _("Tập thể")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đề nghị")
        APPROVED = "approved", _("Được khen thưởng")
        REJECTED = "rejected", _("Không được khen thưởng")
        REVOKED = "revoked", _("Đã thu hồi")

    proposal = models.ForeignKey(AwardProposal, on_delete=models.CASCADE, related_name="subjects")
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    model = models.ForeignKey("models_registry.DvkModel", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="award_subjects", verbose_name=_("mô hình"))
    pledge = models.ForeignKey(Pledge, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="award_subjects", verbose_name=_("bản đăng ký"))
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="award_subjects", verbose_name=_("cá nhân"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("đơn vị"))
    name = models.CharField(_("tên"), max_length=300)
    # "model:12", "person:5", "unit:3", "collective:<pledge id>": who is commended, whatever the row.
    subject_key = models.CharField(max_length=60, editable=False)
    occasion = models.CharField(max_length=8, choices=Occasion.choices, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    form = models.CharField(_("hình thức"), max_length=16, choices=AwardForm.choices)
    level = models.PositiveSmallIntegerField(_("cấp khen thưởng"), choices=AwardLevel.choices)
    reason = models.TextField(_("thành tích, lý do"))
    status = models.CharField(_("kết quả"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    rejection_reason = models.TextField(_("lý do không khen thưởng"), blank=True)
    decision = models.ForeignKey(AwardDecision, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="subjects")
    certificate_no = models.PositiveIntegerField(_("số giấy khen"), null=True, blank=True)
    code = models.CharField(_("mã xác minh"), max_length=24, null=True, blank=True, unique=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.TextField(_("lý do thu hồi"), blank=True)
    order = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal_id", "order", "id"]
        verbose_name = _("đối tượng khen thưởng")
        verbose_name_plural = _("đối tượng khen thưởng")
        indexes = [models.Index(fields=["year", "occasion", "status"])]
        constraints = [
            # Never commended (nor proposed) twice for the same occasion and form.
            models.UniqueConstraint(
                fields=["subject_key", "occasion", "year", "form"],
                condition=Q(status__in=["proposed", "approved"]),
                name="one_commendation_per_subject_occasion_form",
            ),
            models.CheckConstraint(
                condition=~Q(form="dien-hinh-tinh") | Q(level=3), name="provincial_exemplar_is_provincial"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} – {self.get_form_display()}"


class AwardEvent(EventLabelMixin, models.Model):
    """Who did which step of a commendation proposal, when, with which comment."""

    proposal = models.ForeignKey(AwardProposal, on_delete=models.CASCADE, related_name="events")
    subject = models.ForeignKey(AwardSubject, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.action}"
