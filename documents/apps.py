from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    """Documents: issuing bodies, the register of outgoing documents, rendering to PDF and DOCX,
    digital signatures and their verification."""

    name = "documents"
    verbose_name = _("Văn bản")

    def ready(self):
        from . import checks  # noqa: F401 - registers the system checks (font)
        from .signing import checks as signing_checks  # noqa: F401 - signing key, trust anchors
