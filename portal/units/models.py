"""Organisational units: one tree of units whose levels (kinds) are data.

The tree (`Unit`, a materialised path from django-treebeard) is the structure as it stands today.
`UnitPlacement` keeps every path a unit has had with its validity dates, so a report for a past
period can roll up through the tree as it stood then. When units merge (A + B -> C), A and B are
closed and placed under C: "C and everything under it" then also covers what A and B recorded,
each record once, because every record keeps the unit it was made in.
"""

from django.db import models
from django.db.models.functions import Length
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node


class UnitKind(models.Model):
    """A kind of unit (province, commune, agency...). Levels are rows, not code."""

    class Category(models.TextChoices):
        ADMINISTRATIVE = "administrative", _("Đơn vị hành chính")
        AGENCY = "agency", _("Cơ quan, tổ chức")
        DEPARTMENT = "department", _("Phòng, ban trực thuộc")

    code = models.SlugField(_("mã loại"), max_length=40, unique=True)
    name = models.CharField(_("tên loại"), max_length=120)
    category = models.CharField(
        _("nhóm"), max_length=20, choices=Category.choices, default=Category.ADMINISTRATIVE
    )
    level = models.PositiveSmallIntegerField(
        _("cấp"), default=0, help_text=_("0 = toàn quốc, 1 = tỉnh; số lớn hơn là cấp thấp hơn.")
    )
    models_target = models.PositiveSmallIntegerField(
        _("chỉ tiêu mô hình mỗi năm"),
        default=1,
        help_text=_(
            "Số mô hình “Dân vận khéo” tối thiểu mỗi đơn vị cấp này xây dựng trong một năm "
            "(Kế hoạch số 54-KH/BDVTU: mỗi đơn vị, thôn ít nhất 1–2 mô hình); 0 = không tính chỉ tiêu."
        ),
    )

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("loại đơn vị")
        verbose_name_plural = _("loại đơn vị")

    def __str__(self) -> str:
        return self.name


class Unit(MP_Node):
    code = models.CharField(_("mã đơn vị"), max_length=40, unique=True)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True, default="")
    kind = models.ForeignKey(UnitKind, on_delete=models.PROTECT, verbose_name=_("loại"))
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    valid_from = models.DateField(_("ngày bắt đầu hoạt động"), null=True, blank=True)
    valid_to = models.DateField(_("ngày cuối cùng hoạt động"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )
    oversees = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="overseen_by",
        verbose_name=_("phạm vi theo dõi"),
        help_text=_(
            "Cơ quan theo dõi phong trào của một địa bàn (ví dụ Ban Dân vận Tỉnh ủy theo dõi "
            "cả tỉnh): vai trò của cán bộ cơ quan này áp dụng trên toàn địa bàn đó."
        ),
    )
    history = HistoricalRecords(excluded_fields=["path", "depth", "numchild", "name_folded"])

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        indexes = [models.Index(fields=["is_active", "depth"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from portal.text import fold, nfc

        self.name = nfc(self.name).strip()
        self.code = nfc(self.code).strip()
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def ended_on(self, day) -> bool:
        """Had the unit ended by `day`? (`valid_to` is its last day of activity.)"""
        if self.valid_to is not None:
            return day > self.valid_to
        return not self.is_active

    def current_successor(self) -> "Unit | None":
        """The unit that carries on this one's work today: the end of its chain of successors."""
        seen, unit = {self.pk}, self.successor
        while unit is not None and unit.successor_id and unit.successor_id not in seen:
            seen.add(unit.pk)
            unit = unit.successor
        return unit

    @property
    def subtree_filter(self) -> dict:
        """Lookup kwargs that select this unit and everything under it, for `Unit` rows."""
        return {"path__startswith": self.path}


class UnitPlacement(models.Model):
    """Where a unit stood in the tree during a period (its path then)."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="placements")
    path = models.CharField(max_length=255, db_index=True)
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True, help_text="Ngày cuối cùng còn hiệu lực.")

    class Meta:
        ordering = ["unit", "valid_from"]
        indexes = [
            models.Index(fields=["path", "valid_from", "valid_to"]),
            # The places near the top of the tree (the showcase's former areas): 64 ms -> 7 ms at nation5.
            models.Index(Length("path"), "unit", name="unitplacement_path_length"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} @ {self.path} [{self.valid_from} – {self.valid_to}]"


class UnitChange(models.Model):
    """An administrative change to the tree, with the date it takes effect."""

    class Kind(models.TextChoices):
        CREATE = "create", _("Thành lập")
        RENAME = "rename", _("Đổi tên")
        MOVE = "move", _("Chuyển đơn vị cấp trên")
        MERGE = "merge", _("Hợp nhất")
        DEACTIVATE = "deactivate", _("Ngừng hoạt động")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Đã lên kế hoạch")
        APPLIED = "applied", _("Đã có hiệu lực")

    kind = models.CharField(_("loại thay đổi"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="changes")
    effective_date = models.DateField(_("ngày hiệu lực"))
    # A change dated in the future is kept as planned (with what it will do in `payload`) and
    # applied on its date by `unit_changes_apply_due`, so the tree never runs ahead of the law.
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.APPLIED, db_index=True
    )
    payload = models.JSONField(default=dict, blank=True)
    detail = models.CharField(_("nội dung"), max_length=500, blank=True)
    sources = models.ManyToManyField(Unit, blank=True, related_name="+")
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_date", "-id"]
        verbose_name = _("thay đổi đơn vị")
        verbose_name_plural = _("thay đổi đơn vị")

    def __str__(self) -> str:
        return f"{self.effective_date:%d/%m/%Y} {self.get_kind_display()}: {self.detail}"


class Phase(models.Model):
    """A phase of the movement (2021–2025, 2026–2030), with its years; one is current."""

    name = models.CharField(_("tên giai đoạn"), max_length=60, unique=True)
    start_year = models.PositiveSmallIntegerField(_("năm bắt đầu"))
    end_year = models.PositiveSmallIntegerField(_("năm kết thúc"))
    is_current = models.BooleanField(_("giai đoạn hiện tại"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year"]
        verbose_name = _("giai đoạn")
        verbose_name_plural = _("giai đoạn")
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="one_current_phase",
            ),
            models.CheckConstraint(
                condition=models.Q(end_year__gte=models.F("start_year")),
                name="phase_years_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))

    @classmethod
    def all_cached(cls) -> list["Phase"]:
        """Every phase (a handful of rows), read once per request."""
        from portal.memo import memo

        return memo("phases", lambda: list(cls.objects.all()))

    @classmethod
    def current(cls) -> "Phase | None":
        return next((p for p in cls.all_cached() if p.is_current), None)

    @classmethod
    def for_year(cls, year: int) -> "Phase | None":
        return next((p for p in cls.all_cached() if p.start_year <= year <= p.end_year), None)
