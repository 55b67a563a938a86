from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"
