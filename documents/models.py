"""Documents as a Party office files them: who issues (as of a date), who may sign, the register.

An `IssuingProfile` is dated like the unit tree: the header of a document dated D is the profile of
the nearest unit in the document unit's chain that was in force on D. Register numbers run per
issuing body (its short code) and calendar year across document kinds; `RegisterCounter` holds the
last number taken, so a number is never given twice nor reused, also after a revocation.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class IssuingProfile(models.Model):
    """How the documents of a unit are headed over a period (unit fields with effective dates)."""

    class Body(models.TextChoices):
        LEADERSHIP = "leadership", _("Cơ quan, cấp ủy của đơn vị")
        CELL = "cell", _("Chi bộ của đơn vị")
        UNION = "union", _("Ban Chấp hành Công đoàn của đơn vị")

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="issuing_profiles",
                             verbose_name=_("đơn vị"),
                             help_text=_("Văn bản của đơn vị này và các đơn vị cấp dưới (khi cấp dưới không có "
                                         "thông tin riêng) mang tiêu đề này."))
    party_committee = models.CharField(_("cấp ủy cấp trên"), max_length=200,
                                       help_text=_("Dòng trên của tiêu đề, ví dụ: Tỉnh ủy Bình Thuận."))
    body_name = models.CharField(_("tên cơ quan ban hành"), max_length=200,
                                 help_text=_("Ví dụ: Ban Dân vận; Ban Tuyên giáo và Dân vận."))
    short_code = models.CharField(_("ký hiệu viết tắt"), max_length=30,
                                  help_text=_("Dùng trong số văn bản, ví dụ BDVTU trong “12-BC/BDVTU”."))
    place = models.CharField(_("địa danh"), max_length=100, help_text=_("Địa danh ở dòng ngày tháng."))
    body = models.CharField(_("cơ quan ban hành của đơn vị"), max_length=12, choices=Body.choices,
                            default=Body.LEADERSHIP,
                            help_text=_("Văn bản của chính đơn vị, của Chi bộ hay của BCH Công đoàn đơn vị."))
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True,
                                help_text=_("Ngày cuối cùng còn hiệu lực."))

    class Meta:
        ordering = ["unit", "-valid_from"]
        verbose_name = _("thông tin cơ quan ban hành")
        verbose_name_plural = _("thông tin cơ quan ban hành")

    def __str__(self) -> str:
        return f"{self.body_name} – {self.party_committee} ({self.short_code})"

    def in_force(self, on) -> bool:
        return (self.valid_from is None or self.valid_from <= on) and (self.valid_to is None or on <= self.valid_to)


class Signer(models.Model):
    """A person allowed to sign for an issuing body, with the authority line above the name."""

    profile = models.ForeignKey(IssuingProfile, on_delete=models.CASCADE, related_name="signers",
                                verbose_name=_("cơ quan ban hành"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("tài khoản"))
    full_name = models.CharField(_("họ và tên"), max_length=100)
    authority = models.CharField(_("thẩm quyền ký"), max_length=200,
                                 help_text=_("Mỗi dòng một dòng của khối chữ ký, ví dụ: “K/T TRƯỞNG BAN” rồi "
                                             "“PHÓ TRƯỞNG BAN”; “T/M BAN THƯỜNG VỤ” rồi “BÍ THƯ”."))
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang được ký"), default=True)

    class Meta:
        ordering = ["profile", "order", "id"]
        verbose_name = _("người ký")
        verbose_name_plural = _("người ký")

    def __str__(self) -> str:
        return f"{self.full_name} ({' – '.join(self.authority_lines)})"

    @property
    def authority_lines(self) -> list[str]:
        return [line.strip().upper() for line in self.authority.splitlines() if line.strip()]


class RegisterCounter(models.Model):
    """The last number taken in a body's register for a year (locked while a number is taken)."""

    body_code = models.CharField(max_length=30)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["body_code", "year"], name="one_counter_per_body_year")]

    def __str__(self) -> str:
        return f"{self.body_code} {self.year}: {self.last_number}"


class OutgoingDocument(models.Model):
    """One line of the register of outgoing documents (sổ văn bản đi)."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("Đã ban hành")
        REVOKED = "revoked", _("Đã thu hồi")

    profile = models.ForeignKey(IssuingProfile, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    body_code = models.CharField(_("cơ quan ban hành"), max_length=30, db_index=True)
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị"))
    year = models.PositiveSmallIntegerField(_("năm"))
    number = models.PositiveIntegerField(_("số"))
    doc_type = models.CharField(_("loại văn bản"), max_length=10, help_text=_("Ví dụ: BC, QĐ, KH, TB."))
    date = models.DateField(_("ngày ban hành"))
    summary = models.CharField(_("trích yếu"), max_length=500)
    kind = models.CharField(_("mẫu văn bản"), max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)
    decision = models.OneToOneField("awards.AwardDecision", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="register_entry")
    signer = models.ForeignKey(Signer, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    signer_name = models.CharField(_("người ký"), max_length=100, blank=True)
    signer_authority = models.CharField(_("thẩm quyền ký"), max_length=200, blank=True)
    recipients = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi dòng một nơi nhận."))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.ISSUED)
    is_manual = models.BooleanField(_("vào sổ thủ công"), default=False)
    note = models.TextField(_("ghi chú"), blank=True)
    # The issued files (private media) and the PDF's SHA-256, as they were issued.
    pdf_path = models.CharField(max_length=255, blank=True)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    docx_path = models.CharField(max_length=255, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "body_code", "-number"]
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("sổ văn bản đi")
        constraints = [
            models.UniqueConstraint(fields=["body_code", "year", "number"], name="one_register_number_per_body_year"),
        ]
        indexes = [models.Index(fields=["kind", "unit", "year"], name="doc_kind_unit_year")]

    def __str__(self) -> str:
        return self.symbol

    @property
    def symbol(self) -> str:
        """The number as printed: “12-BC/BTGDVTU”."""
        return f"{self.number}-{self.doc_type}/{self.body_code}"

    @property
    def recipient_list(self) -> list[str]:
        return [line.strip() for line in self.recipients.splitlines() if line.strip()]

    @property
    def authority_lines(self) -> list[str]:
        return [line.strip().upper() for line in self.signer_authority.splitlines() if line.strip()]


def _private_storage():
    from models_registry.models import private_storage

    return private_storage


class DocumentSignature(models.Model):
    """The signed PDF of a register line (one per line): made in the portal or uploaded, checked before kept.

    Its fields are what `documents.signing.verify_pdf` established when the file was kept, so pages
    (the register, /verify/<code>/) show them without re-verifying; `checked_at` is that moment.
    """

    class Method(models.TextChoices):
        PORTAL = "portal", _("Ký số trên cổng")
        UPLOAD = "upload", _("Tải lên tệp đã ký")

    entry = models.OneToOneField(OutgoingDocument, on_delete=models.CASCADE, related_name="signature",
                                 verbose_name=_("văn bản đi"))
    file = models.FileField(_("tệp PDF đã ký"), upload_to="documents/signed/%Y/", max_length=255,
                            storage=_private_storage)
    sha256 = models.CharField(_("SHA-256 của tệp đã ký"), max_length=64)
    signed_at = models.DateTimeField(_("thời điểm ký"))
    signer_name = models.CharField(_("người ký"), max_length=200)
    certificate_subject = models.CharField(_("chủ thể chứng thư"), max_length=500, blank=True)
    certificate_issuer = models.CharField(_("tổ chức cấp chứng thư"), max_length=500, blank=True)
    method = models.CharField(_("cách ký"), max_length=10, choices=Method.choices)
    checked_at = models.DateTimeField(_("thời điểm kiểm tra chữ ký"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("người thực hiện"))
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chữ ký số của văn bản")
        verbose_name_plural = _("chữ ký số của văn bản")

    def __str__(self) -> str:
        return f"{self.entry.symbol} – {self.signer_name}"
