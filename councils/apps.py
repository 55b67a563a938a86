from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CouncilsConfig(AppConfig):
    """Emulation and commendation councils: sessions, secret ballots, model evaluation, minutes,
    public consultation."""

    name = "councils"
    verbose_name = _("Hội đồng thi đua – khen thưởng")
