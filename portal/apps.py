from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng Dân vận khéo"

    def ready(self):
        from . import inputs
        from .reference import ensure_reference_data

        inputs.install()

        post_migrate.connect(ensure_reference_data, sender=self, dispatch_uid="portal-reference-data")
        # Each app registers its report kinds in `report_kinds.py`.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("report_kinds")
