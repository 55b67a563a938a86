from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "documents"
    verbose_name = "Văn bản"

    def ready(self):
        # System checks: a configured signing key or trust anchor that cannot be used.
        from .signing import checks  # noqa: F401
