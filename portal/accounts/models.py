"""People: every user belongs to one unit and holds one or more roles there."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class RoleCode(models.TextChoices):
    ADMIN = "admin", _("Quản trị hệ thống")
    STAFF = "canbo", _("Cán bộ")
    UNION = "congdoan", _("BCH Công đoàn")
    CELL = "chiuy", _("Chi ủy")
    LEADER = "lanhdao", _("Lãnh đạo")


class Role(models.Model):
    code = models.CharField(max_length=20, unique=True, choices=RoleCode.choices)

    class Meta:
        ordering = ["id"]
        verbose_name = _("vai trò")
        verbose_name_plural = _("vai trò")

    def __str__(self) -> str:
        return self.get_code_display()


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    unit = models.ForeignKey(
        "units.Unit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
        verbose_name=_("đơn vị"),
    )
    position = models.CharField(_("chức vụ"), max_length=150, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    roles = models.ManyToManyField(Role, blank=True, related_name="users", verbose_name=_("vai trò"))
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        ordering = ["full_name", "username"]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        """The user's role codes, read once per request object."""
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            if self.pk is None:
                cached = frozenset()
            elif hasattr(self, "_prefetched_objects_cache") and "roles" in self._prefetched_objects_cache:
                cached = frozenset(r.code for r in self.roles.all())
            else:
                cached = frozenset(self.roles.values_list("code", flat=True))
            if self.is_superuser:
                cached = cached | {RoleCode.ADMIN}
            self._role_codes = cached
        return cached

    def has_role(self, *codes: str) -> bool:
        return bool(self.role_codes.intersection(codes))

    def role_labels(self) -> list[str]:
        return [RoleCode(code).label for code in RoleCode.values if code in self.role_codes]
