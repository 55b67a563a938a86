"""Pledges (bản đăng ký), their quarterly reviews by the Union Executive Committee, and what
comes of them: praise at the periodic meeting and the annual proposals to the Party cell.

Every record keeps the unit it was made in (`unit`), so a pledge or a round stays with the
agency that received it even when its author later moves or the agency merges.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from portal.choices import ChoiceDisplay
from portal.models import RubricCriterionBase
from portal.text import fold


class PledgeContent(models.Model):
    """One of the contents a person chooses from in a phase (two in 2021 – 2025)."""

    phase = models.ForeignKey("units.Phase", on_delete=models.PROTECT, related_name="pledge_contents",
                              verbose_name=_("giai đoạn"))
    code = models.SlugField(_("mã"), max_length=40)
    title = models.CharField(_("nội dung"), max_length=300)
    description = models.TextField(_("hướng dẫn"), blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["phase", "order", "id"]
        verbose_name = _("nội dung đăng ký")
        verbose_name_plural = _("nội dung đăng ký")
        constraints = [models.UniqueConstraint(fields=["phase", "code"], name="pledge_content_code_per_phase")]

    def __str__(self) -> str:
        return self.title


class Pledge(ChoiceDisplay, models.Model):
    """A person's (or a collective's) registration for one year: one content, concrete commitments."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Cá nhân")
        COLLECTIVE = "collective", _("Tập thể")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Bản nháp")
        SUBMITTED = "submitted", _("Đã gửi BCH Công đoàn")
        RETURNED = "returned", _("Trả lại để bổ sung")
        ACCEPTED = "accepted", _("Đã tiếp nhận")

    phase = models.ForeignKey("units.Phase", on_delete=models.PROTECT, related_name="pledges",
                              verbose_name=_("giai đoạn"))
    year = models.PositiveSmallIntegerField(_("năm"))
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="pledges",
                             verbose_name=_("đơn vị"))
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices, default=Kind.INDIVIDUAL)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="pledges", verbose_name=_("cá nhân"))
    collective_name = models.CharField(_("tên tập thể"), max_length=200, blank=True)
    collective_folded = models.CharField(max_length=200, blank=True, default="", editable=False)
    content = models.ForeignKey(PledgeContent, on_delete=models.PROTECT, related_name="pledges",
                                verbose_name=_("nội dung đăng ký"))
    goal = models.TextField(_("mục tiêu chung"), blank=True)
    status = models.CharField(_("trạng thái"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    review_comment = models.TextField(_("ý kiến của BCH Công đoàn"), blank=True)
    search_folded = models.CharField(max_length=400, blank=True, default="", editable=False, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["search_folded", "collective_folded"])

    class Meta:
        ordering = ["-year", "unit_id", "id"]
        verbose_name = _("bản đăng ký")
        verbose_name_plural = _("bản đăng ký")
        indexes = [
            models.Index(fields=["unit", "year", "status"]),
            # The year's pledges of the whole country by status (an administrator's home page):
            # read from this index alone instead of every pledge of six years (18 -> 4 ms at nation5).
            models.Index(fields=["year", "status"], name="pledge_year_status"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["person", "year"], condition=Q(person__isnull=False),
                                    name="one_pledge_per_person_per_year"),
            models.UniqueConstraint(fields=["unit", "year", "collective_folded"],
                                    condition=Q(person__isnull=True),
                                    name="one_pledge_per_collective_per_year"),
            models.CheckConstraint(
                condition=(Q(kind="individual", person__isnull=False, collective_name="")
                           | (Q(kind="collective", person__isnull=True) & ~Q(collective_name=""))),
                name="pledge_individual_or_collective",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.holder_name} – {self.year}"

    def save(self, *args, **kwargs):
        self.collective_folded = fold(self.collective_name)
        self.search_folded = fold(f"{self.person.full_name if self.person_id else ''} "
                                  f"{self.person.username if self.person_id else ''} {self.collective_name}")
        super().save(*args, **kwargs)

    @property
    def holder_name(self) -> str:
        if self.person_id:
            return str(self.person)
        return self.collective_name


class PledgeCommitment(models.Model):
    """One concrete commitment: what, by when, and how it is measured."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="commitments")
    what = models.CharField(_("việc cam kết"), max_length=500)
    due = models.CharField(_("thời hạn"), max_length=100)
    measure = models.CharField(_("cách đo kết quả"), max_length=300)
    order = models.PositiveSmallIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("cam kết")
        verbose_name_plural = _("cam kết")

    def __str__(self) -> str:
        return self.what


# What people read for the `action` codes of pledge, round and commendation events (history in words).
EVENT_LABELS = {
    "create": _("Tạo"), "submit": _("Gửi"), "accept": _("Tiếp nhận"), "return": _("Trả lại để bổ sung"),
    "comment": _("Trao đổi"), "rubric": _("Sửa bộ tiêu chí"), "open": _("Mở đợt đánh giá"),
    "close": _("Kết thúc đợt đánh giá"), "praise": _("Chọn biểu dương"), "praise_remove": _("Bỏ chọn biểu dương"),
    "add": _("Thêm đối tượng"), "remove": _("Bỏ đối tượng"), "decide": _("Quyết định khen thưởng"),
    "revoke": _("Thu hồi khen thưởng"), "receive": _("Tiếp nhận đề xuất của BCH Công đoàn"),
    "council_return": _("Hội đồng trả lại"),
}


class EventLabelMixin:
    @property
    def action_label(self) -> str:
        if self.action == "submit" and type(self).__name__ == "ReviewRoundEvent":
            return str(_("Nộp kết quả chấm"))
        return str(EVENT_LABELS.get(self.action, self.action))


class PledgeEvent(EventLabelMixin, models.Model):
    """Who did which transition of a pledge, when, and what they said."""

    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=12, blank=True)
    to_status = models.CharField(max_length=12, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.pledge_id}: {self.action}"


class PledgeReminder(models.Model):
    """A reminder sent to someone who has not registered yet (one a day at most)."""

    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pledge_reminders")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    sent_on = models.DateField()
    channel = models.CharField(max_length=20, default="email")

    class Meta:
        ordering = ["-sent_on", "id"]
        constraints = [models.UniqueConstraint(fields=["person", "year", "sent_on"], name="one_reminder_a_day")]

    def __str__(self) -> str:
        return f"{self.person_id} – {self.year} – {self.sent_on}"


class ReviewRound(models.Model):
    """A quarterly review of a unit's accepted pledges by its Union Executive Committee."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Đang chuẩn bị")
        OPEN = "open", _("Đang đánh giá")
        CLOSED = "closed", _("Đã kết thúc")

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="review_rounds",
                             verbose_name=_("đơn vị"))
    phase = models.ForeignKey("units.Phase", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    quarter = models.PositiveSmallIntegerField(_("quý"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    chair = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="chaired_rounds",
                              verbose_name=_("chủ trì"))
    meeting_date = models.DateField(_("ngày họp định kỳ"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "-quarter", "unit_id"]
        verbose_name = _("đợt đánh giá quý")
        verbose_name_plural = _("đợt đánh giá quý")
        constraints = [
            models.UniqueConstraint(fields=["unit", "year", "quarter"], name="one_round_per_unit_quarter"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="round_quarter_1_4"),
        ]

    def __str__(self) -> str:
        return f"Quý {self.quarter}/{self.year} – {self.unit}"

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class ReviewRoundEvent(EventLabelMixin, models.Model):
    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=30)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    comment = models.TextField(blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.round_id}: {self.action}"


class RubricCriterion(RubricCriterionBase):
    """A criterion of a round's rubric for one pledge content; frozen once the round opens."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="criteria")
    content = models.ForeignKey(PledgeContent, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("nội dung đăng ký"))
    description = models.TextField(_("mô tả"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["content_id", "order", "id"]
        verbose_name = _("tiêu chí đánh giá")
        verbose_name_plural = _("tiêu chí đánh giá")
        constraints = RubricCriterionBase.criterion_constraints("")


class SelfAssessment(models.Model):
    """What the pledge holder says they achieved this quarter, with evidence."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="self_assessments")
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="self_assessments")
    achievements = models.TextField(_("kết quả đạt được trong quý"))
    evidence = models.TextField(_("minh chứng"), help_text=_("Văn bản, số liệu, đường dẫn chứng minh kết quả."))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tự đánh giá")
        verbose_name_plural = _("tự đánh giá")
        constraints = [models.UniqueConstraint(fields=["round", "pledge"], name="one_self_assessment_per_round")]

    def __str__(self) -> str:
        return f"{self.round_id} – {self.pledge_id}"


class Score(models.Model):
    """One member's score of one pledge on one criterion; upserted, so never counted twice."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="scores")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="scores")
    value = models.DecimalField(max_digits=5, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["round", "member", "pledge", "criterion"], name="one_score_per_cell"),
            models.CheckConstraint(condition=Q(value__gte=0), name="score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.pledge_id}/{self.criterion_id}: {self.value}"


class ReviewComment(models.Model):
    """A member's comment on one pledge in a round (one per row of the grid)."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="comments")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="review_comments")
    text = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "member", "pledge"], name="one_comment_per_row")]

    def __str__(self) -> str:
        return f"{self.member_id} → {self.pledge_id}"


class ReviewConflict(models.Model):
    """A member declares a conflict of interest with one pledge of a round (a relative, a direct
    superior, ...): they do not score it, and any score they gave it is removed."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="conflicts")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="review_conflicts")
    reason = models.CharField(_("lý do"), max_length=500)
    declared_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("xung đột lợi ích")
        verbose_name_plural = _("xung đột lợi ích")
        constraints = [models.UniqueConstraint(fields=["round", "member", "pledge"], name="one_conflict_per_row")]

    def __str__(self) -> str:
        return f"{self.member_id} ≠ {self.pledge_id}"


class ScoreSubmission(models.Model):
    """A member has submitted their scores of a round: they are final and others' become visible."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="submissions")
    member = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["round", "member"], name="one_submission_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.round_id}"


class Praise(models.Model):
    """A pledge the committee praises (biểu dương) at the periodic meeting, with the reason."""

    round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="praises")
    pledge = models.ForeignKey(Pledge, on_delete=models.CASCADE, related_name="praises")
    reason = models.TextField(_("lý do biểu dương"))
    selected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    selected_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["selected_at", "id"]
        verbose_name = _("biểu dương")
        verbose_name_plural = _("biểu dương")
        constraints = [models.UniqueConstraint(fields=["round", "pledge"], name="one_praise_per_pledge_round")]

    def __str__(self) -> str:
        return f"{self.pledge} ({self.round})"


class AnnualResult(models.Model):
    """The four quarters of a year rolled up for one pledge (recomputed idempotently)."""

    pledge = models.OneToOneField(Pledge, on_delete=models.CASCADE, related_name="annual_result")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    quarters_reviewed = models.PositiveSmallIntegerField(default=0)
    mean_total = models.DecimalField(max_digits=6, decimal_places=2, null=True)
    mean_z = models.DecimalField(max_digits=7, decimal_places=4, null=True)
    praise_count = models.PositiveSmallIntegerField(default=0)
    rank = models.PositiveIntegerField(null=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "unit_id", "rank"]
        verbose_name = _("kết quả năm")
        verbose_name_plural = _("kết quả năm")
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"{self.pledge_id} – {self.year}"


class CommendationProposal(models.Model):
    """The committee proposes a pledge holder to the Party cell for commendation on 15/10.

    The commendations issue consumes these rows (status `proposed`).
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Đã đề xuất Chi bộ")
        WITHDRAWN = "withdrawn", _("Đã rút đề xuất")

    result = models.OneToOneField(AnnualResult, on_delete=models.CASCADE, related_name="proposal")
    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    reason = models.TextField(_("lý do đề xuất"))
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    proposed_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = _("đề xuất khen thưởng")
        verbose_name_plural = _("đề xuất khen thưởng")

    def __str__(self) -> str:
        return f"{self.result_id} – {self.year}"
