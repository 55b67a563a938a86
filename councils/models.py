"""Emulation and commendation councils (Hội đồng thi đua – khen thưởng): who sits on them, their
sessions, what is put before them, how they vote or score, and what the public says first.

Ballot secrecy is a property of the tables, not of the views: `VoteCast` says who has voted and
nothing else; `BallotCount` holds per item and choice a counter, created before anyone votes, with
no link to a person and no time; neither has history. So no stored key, order or timestamp links a
ballot to its voter (tests/councils/test_votes.py tries).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from awards.models import AwardForm, AwardLevel
from portal.models import RubricCriterionBase

RECOGNITION = "cong-nhan-mo-hinh"  # the "form" of a model's recognition in pass rules and settings
FORM_CHOICES = [(RECOGNITION, _("Công nhận mô hình “Dân vận khéo”")), *AwardForm.choices]


class Share(models.Model):
    """A fraction num/den with its comparison (≥ or >), exact in integers: 2/3, 1/2, 90/100."""

    num = models.PositiveSmallIntegerField(_("tử số"), default=1)
    den = models.PositiveSmallIntegerField(_("mẫu số"), default=2, validators=[MinValueValidator(1)])
    strict = models.BooleanField(_("phải vượt quá (>)"), default=True,
                                 help_text=_("Bỏ chọn nghĩa là “từ … trở lên” (≥)."))

    class Meta:
        abstract = True

    def met(self, count: int, base: int) -> bool:
        """Is `count` out of `base` enough? count/base > num/den (or ≥), without rounding."""
        if base <= 0:
            return False
        return count * self.den > self.num * base if self.strict else count * self.den >= self.num * base

    def clean(self):
        if self.num > self.den:
            raise ValidationError(_("Tử số không lớn hơn mẫu số."))


class Council(models.Model):
    """A council of one level (a Party committee or Ban of the tree) for a term, with its quorum:
    the share of members (not recused) who must be present before voting on an item opens."""

    unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, related_name="councils",
                             verbose_name=_("cấp (đơn vị)"))
    name = models.CharField(_("tên hội đồng"), max_length=300)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=AwardLevel.choices)
    term_start = models.DateField(_("nhiệm kỳ từ"))
    term_end = models.DateField(_("nhiệm kỳ đến"))
    quorum_num = models.PositiveSmallIntegerField(_("tỷ lệ có mặt tối thiểu – tử số"), default=2)
    quorum_den = models.PositiveSmallIntegerField(_("tỷ lệ có mặt tối thiểu – mẫu số"), default=3,
                                                  validators=[MinValueValidator(1)],
                                                  help_text=_("Ví dụ 2/3: ít nhất hai phần ba số thành viên có mặt."))
    disagreement_std = models.DecimalField(
        _("ngưỡng chênh lệch điểm"), max_digits=5, decimal_places=2, default=15,
        help_text=_("Đánh dấu mô hình khi độ lệch chuẩn tổng thể các tổng điểm (thang 100) lớn hơn ngưỡng này."))
    history = HistoricalRecords()

    class Meta:
        ordering = ["-term_start", "unit_id"]
        verbose_name = _("hội đồng thi đua – khen thưởng")
        verbose_name_plural = _("hội đồng thi đua – khen thưởng")

    def __str__(self) -> str:
        return self.name

    def quorum_met(self, present: int, members: int) -> bool:
        """At least quorum_num/quorum_den of `members` present (exact, in integers)."""
        return members > 0 and present * self.quorum_den >= self.quorum_num * members

    @property
    def quorum_text(self) -> str:
        return f"≥ {self.quorum_num}/{self.quorum_den}"


class CouncilMember(models.Model):
    class Role(models.TextChoices):
        CHAIR = "chair", _("Chủ tịch Hội đồng")
        VICE_CHAIR = "vice_chair", _("Phó Chủ tịch Hội đồng")
        SECRETARY = "secretary", _("Thư ký Hội đồng")
        MEMBER = "member", _("Ủy viên")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="council_seats",
                             verbose_name=_("thành viên"))
    role = models.CharField(_("chức danh"), max_length=12, choices=Role.choices, default=Role.MEMBER)
    position = models.CharField(_("chức vụ, đơn vị công tác"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        ordering = ["council_id", "order", "id"]
        verbose_name = _("thành viên hội đồng")
        verbose_name_plural = _("thành viên hội đồng")
        constraints = [
            models.UniqueConstraint(fields=["council", "user"], name="one_seat_per_council"),
            models.UniqueConstraint(fields=["council"], condition=Q(role="chair"), name="one_chair_per_council"),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()}"


class PassRule(Share):
    """How many agree votes an item needs, per form and level: a share of the members present or of
    all members. Data an administrator edits when the rules change; `selectors.pass_rule_for`
    falls back to more than half of all members."""

    class Base(models.TextChoices):
        PRESENT = "present", _("Thành viên có mặt")
        ALL = "all", _("Tổng số thành viên")

    form = models.CharField(_("hình thức"), max_length=20, choices=FORM_CHOICES)
    level = models.PositiveSmallIntegerField(_("cấp"), choices=AwardLevel.choices)
    base = models.CharField(_("tính trên"), max_length=8, choices=Base.choices, default=Base.ALL)
    history = HistoricalRecords()

    class Meta:
        ordering = ["form", "level"]
        verbose_name = _("tỷ lệ phiếu đạt")
        verbose_name_plural = _("tỷ lệ phiếu đạt")
        constraints = [models.UniqueConstraint(fields=["form", "level"], name="one_pass_rule_per_form_level")]

    def __str__(self) -> str:
        return f"{self.get_form_display()} – {self.get_level_display()}: {self.describe()}"

    def describe(self) -> str:
        op = _("trên") if self.strict else _("từ")
        tail = "" if self.strict else " " + str(_("trở lên"))
        return f"{op} {self.num}/{self.den} {self.get_base_display().lower()} {_('đồng ý')}{tail}"


class FormSetting(models.Model):
    """Per form: is the candidates list published for public comment first, and for how long."""

    form = models.CharField(_("hình thức"), max_length=20, choices=FORM_CHOICES, unique=True)
    public_consultation = models.BooleanField(_("lấy ý kiến nhân dân"), default=False)
    consultation_working_days = models.PositiveSmallIntegerField(_("số ngày làm việc công khai"), default=5)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cài đặt hình thức")
        verbose_name_plural = _("cài đặt hình thức")

    def __str__(self) -> str:
        return self.get_form_display()


class Holiday(models.Model):
    """A public holiday (a day off that is not a weekend): Tết, 30/4, 1/5, 2/9, Giỗ Tổ, and the
    compensatory days the government announces each year. Data, not code."""

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên ngày nghỉ"), max_length=200)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ lễ, Tết")
        verbose_name_plural = _("ngày nghỉ lễ, Tết")

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} – {self.name}"


class Session(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Đã lên lịch")
        OPEN = "open", _("Đang họp")
        CLOSED = "closed", _("Đã kết thúc")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="sessions")
    date = models.DateField(_("ngày họp"))
    place = models.CharField(_("địa điểm"), max_length=300, blank=True)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    minutes = models.OneToOneField("documents.OutgoingDocument", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="council_session", verbose_name=_("biên bản"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("phiên họp")
        verbose_name_plural = _("phiên họp")

    def __str__(self) -> str:
        return f"{self.council} – {self.date:%d/%m/%Y}"


class Attendance(models.Model):
    """Taken by the secretary: who of the council is present at the session."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("có mặt"), default=False)
    note = models.CharField(_("ghi chú"), max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "member"], name="one_attendance_per_member")]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.present}"


class AgendaItem(models.Model):
    """One matter before the session: a model proposed for recognition at the council's level, or
    a subject of a commendation proposal for a form the council decides or recommends."""

    class Kind(models.TextChoices):
        MODEL = "model", _("Công nhận mô hình")
        COMMENDATION = "commendation", _("Đề nghị khen thưởng")

    class Method(models.TextChoices):
        BALLOT = "ballot", _("Bỏ phiếu kín trên cổng")
        PAPER = "paper", _("Bỏ phiếu kín trên giấy")

    class Status(models.TextChoices):
        PENDING = "pending", _("Chưa biểu quyết")
        VOTING = "voting", _("Đang bỏ phiếu")
        CLOSED = "closed", _("Đã có kết quả")

    class Outcome(models.TextChoices):
        PASSED = "passed", _("Đạt")
        FAILED = "failed", _("Không đạt")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(_("loại"), max_length=14, choices=Kind.choices)
    model = models.ForeignKey("models_registry.DvkModel", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="council_items", verbose_name=_("mô hình"))
    subject = models.ForeignKey("awards.AwardSubject", null=True, blank=True, on_delete=models.PROTECT,
                                related_name="council_items", verbose_name=_("đối tượng đề nghị"))
    title = models.CharField(_("nội dung"), max_length=500)
    achievements = models.TextField(_("thành tích"), blank=True)
    form = models.CharField(_("hình thức"), max_length=20, choices=FORM_CHOICES)
    method = models.CharField(_("hình thức bỏ phiếu"), max_length=8, choices=Method.choices, default=Method.BALLOT)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.PENDING)
    # Set once, when the item closes (never changed after: services refuse and `save` checks).
    outcome = models.CharField(_("kết quả"), max_length=8, choices=Outcome.choices, blank=True)
    agree = models.PositiveSmallIntegerField(null=True, blank=True)
    disagree = models.PositiveSmallIntegerField(null=True, blank=True)
    abstain = models.PositiveSmallIntegerField(null=True, blank=True)
    members_total = models.PositiveSmallIntegerField(null=True, blank=True)
    members_present = models.PositiveSmallIntegerField(null=True, blank=True)
    rule_text = models.CharField(max_length=200, blank=True)
    counting_committee = models.TextField(_("ban kiểm phiếu"), blank=True)
    conclusion = models.TextField(_("kết luận"), blank=True)
    score_final = models.BooleanField(_("điểm đã chốt"), default=False)
    score_mean = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["session_id", "order", "id"]
        verbose_name = _("nội dung xét")
        verbose_name_plural = _("nội dung xét")
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="model", model__isnull=False, subject__isnull=True)
                           | Q(kind="commendation", model__isnull=True, subject__isnull=False)),
                name="council_item_model_or_subject",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # A closed item's result is the record of a vote: nothing rewrites it.
        if self.pk:
            stored = AgendaItem.objects.filter(pk=self.pk).values(
                "status", "outcome", "agree", "disagree", "abstain", "conclusion").first()
            if stored and stored["status"] == self.Status.CLOSED and any(
                stored[k] != getattr(self, k) for k in stored
            ):
                raise ValidationError(_("Kết quả đã công bố không thay đổi được."))
        super().save(*args, **kwargs)

    @property
    def is_closed(self) -> bool:
        return self.status == self.Status.CLOSED


class Conflict(models.Model):
    """A member's (or an expert evaluator's) declared conflict with one item: recused from its
    scores, votes and quorum, and named in the minutes."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="conflicts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("lý do"), max_length=500)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "user"], name="one_conflict_per_item_user")]

    def __str__(self) -> str:
        return f"{self.user_id} ≠ {self.item_id}"


class VoteCast(models.Model):
    """Who has voted on an item: no choice, no time, a random key (so not even the order of voting)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="voters")
    member = models.ForeignKey(CouncilMember, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "member"], name="one_vote_per_item_member")]

    def __str__(self) -> str:
        return f"{self.member_id} @ {self.item_id}"


class BallotCount(models.Model):
    """The ballot box of an item: one counter per choice, created when voting opens, before anyone
    votes; a ballot adds one to a counter. No voter, no time, no row per ballot."""

    class Choice(models.TextChoices):
        AGREE = "agree", _("Đồng ý")
        DISAGREE = "disagree", _("Không đồng ý")
        ABSTAIN = "abstain", _("Không biểu quyết")

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="ballot_counts")
    choice = models.CharField(max_length=8, choices=Choice.choices)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "choice"], name="one_counter_per_item_choice")]

    def __str__(self) -> str:
        return f"{self.item_id}/{self.choice}"


# --- Rubric-scored evaluation of models -------------------------------------------------------------

class Rubric(models.Model):
    """The criteria models are scored on in a phase (criteria, weights, maxima, guidance)."""

    phase = models.ForeignKey("units.Phase", on_delete=models.PROTECT, related_name="council_rubrics",
                              verbose_name=_("giai đoạn"))
    name = models.CharField(_("tên bộ tiêu chí"), max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bộ tiêu chí đánh giá mô hình")
        verbose_name_plural = _("bộ tiêu chí đánh giá mô hình")

    def __str__(self) -> str:
        return f"{self.name} ({self.phase})"


class RubricCriterion(RubricCriterionBase):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    guidance = models.TextField(_("hướng dẫn chấm"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["rubric_id", "order", "id"]
        verbose_name = _("tiêu chí")
        verbose_name_plural = _("tiêu chí")
        constraints = RubricCriterionBase.criterion_constraints("council_")


class Evaluator(models.Model):
    """Who scores the models of a session: council members or appointed experts."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="evaluators")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("người chấm"))
    is_expert = models.BooleanField(_("chuyên gia được mời"), default=False)
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+")
    submitted = models.BooleanField(default=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="one_evaluator_per_session")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.session_id}"


class EvaluationScore(models.Model):
    evaluator = models.ForeignKey(Evaluator, on_delete=models.CASCADE, related_name="scores")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=5, decimal_places=2)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["evaluator", "item", "criterion"], name="one_council_score_per_cell"),
            models.CheckConstraint(condition=Q(value__gte=0), name="council_score_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.evaluator_id} → {self.item_id}/{self.criterion_id}: {self.value}"


class DiscussionPost(models.Model):
    """The thread of a flagged item: evaluators explain their scores before the score is final."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="posts")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ý kiến"))
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.item_id}: {self.author_id}"


# --- Public consultation -----------------------------------------------------------------------------

class Consultation(models.Model):
    """An item published on the public site for comment, from a date for N working days."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="consultation")
    opens_on = models.DateField(_("công khai từ ngày"))
    closes_on = models.DateField(_("hết hạn góp ý ngày"))
    working_days = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["-opens_on", "id"]

    def __str__(self) -> str:
        return f"{self.item} ({self.opens_on:%d/%m/%Y} – {self.closes_on:%d/%m/%Y})"


class Feedback(models.Model):
    """A citizen's comment on a published candidate; shown and counted only once approved."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Đã duyệt")
        REJECTED = "rejected", _("Không duyệt")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="feedback")
    name = models.CharField(_("họ và tên"), max_length=200, blank=True)
    contact = models.CharField(_("điện thoại hoặc thư điện tử"), max_length=200, blank=True)
    text = models.TextField(_("ý kiến"))
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # A keyed hash of the sender's address: enough to rate-limit, not to know who wrote.
    client_hash = models.CharField(max_length=64, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("ý kiến nhân dân")
        verbose_name_plural = _("ý kiến nhân dân")

    def __str__(self) -> str:
        return f"{self.consultation_id}: {self.text[:40]}"
