"""System checks of what the portal's documents need from the machine."""

from django.core.checks import Tags, Warning, register


@register(Tags.compatibility)
def report_font_check(app_configs=None, **kwargs):
    """Warn when PDF reports would fall back from Liberation Serif 2 to another font."""
    from .pdf import font_status

    status = font_status()
    if status["ok"]:
        return []
    return [Warning(status["message"], hint="apt-get install fonts-liberation2 (or: scripts/services.sh fonts)",
                    id="documents.W001")]
