from django import template

register = template.Library()


@register.filter
def vn_number(value) -> str:
    """12345678 -> "12.345.678", the Vietnamese way, whatever the active locale's settings."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""
