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


class SecurityEvent(models.Model):
    """An audited event on an account's sign-in security (2FA enrolment and reset, unlocking)."""

    class Action(models.TextChoices):
        ENROL_LINK_SENT = "enrol_link_sent", _("gửi liên kết đăng ký xác thực hai lớp")
        ENROL_CODE_ISSUED = "enrol_code_issued", _("cấp mã đăng ký xác thực hai lớp")
        ENROLLED = "enrolled", _("đăng ký thiết bị xác thực hai lớp")
        TWO_FACTOR_RESET = "2fa_reset", _("đặt lại xác thực hai lớp")
        UNLOCKED = "unlocked", _("mở khóa đăng nhập")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="security_events")
    actor = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=30, choices=Action.choices)
    note = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user}: {self.get_action_display()}"


class EnrolmentGrant(models.Model):
    """The second factor that lets an account enrol an authenticator device: a one-time link emailed
    to the account's address, or a one-time code an administrator handed over. Only a digest is kept."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("liên kết qua thư điện tử")
        ADMIN = "admin", _("mã do quản trị viên cấp")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    digest = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.get_kind_display()}"


class PasswordResetRequest(models.Model):
    """One request of the password-reset form, kept an hour for its rate limits (per address, per client)."""

    email_digest = models.CharField(max_length=64, db_index=True)
    client = models.CharField(max_length=45, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.client} {self.created_at:%Y-%m-%d %H:%M}"
