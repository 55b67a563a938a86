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


@register(Tags.security, deploy=True)
def portal_base_url_check(app_configs=None, **kwargs):
    """Production needs the public address: the certificates' QR codes encode it."""
    from django.conf import settings
    from django.core.checks import Error

    url = settings.PORTAL_BASE_URL
    if not url.startswith("https://") or len(url) <= len("https://"):
        return [Error("PORTAL_BASE_URL is not set to the portal's public https:// address; certificates' "
                      "verification QR codes would point nowhere.",
                      hint="Set PORTAL_BASE_URL, e.g. https://dvk.example.gov.vn", id="documents.E001")]
    return []
