from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs) -> str:
    """The current query string with `kwargs` replaced (for pagination and sorting links)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        query[key] = value
    return query.urlencode()


_ICON_DIR = None
_ICON_CACHE: dict[str, str] = {}


@register.simple_tag
def icon(name: str, extra_class: str = "") -> str:
    """An inline SVG icon from bootstrap-icons (no icon font to download: pages stay light)."""
    import re
    from pathlib import Path

    from django.conf import settings
    from django.utils.safestring import mark_safe

    global _ICON_DIR
    if _ICON_DIR is None:
        _ICON_DIR = Path(settings.BASE_DIR) / "node_modules" / "bootstrap-icons" / "icons"
    if not re.fullmatch(r"[a-z0-9-]+", name):
        raise ValueError(f"bad icon name {name!r}")
    svg = _ICON_CACHE.get(name)
    if svg is None:
        path = _ICON_DIR / f"{name}.svg"
        svg = path.read_text(encoding="utf-8").strip() if path.exists() else ""
        svg = re.sub(r'\swidth="16" height="16"', ' width="1em" height="1em"', svg, count=1)
        svg = re.sub(r'\sclass="[^"]*"', "", svg, count=1)
        _ICON_CACHE[name] = svg
    if not svg:
        return ""
    classes = f"bi bi-{name} {extra_class}".strip()
    return mark_safe(svg.replace("<svg ", f'<svg class="{classes}" aria-hidden="true" focusable="false" ', 1))


@register.filter
def plain_number(value) -> str:
    """A number as people write it: 10 → "10", 9.50 → "9,5" (see portal/numbers.py)."""
    from portal.numbers import plain_number as _plain

    return _plain(value)


@register.filter
def due(moment) -> str:
    """A due instant as people read it ("hết ngày 08/04/2026"), the way reminders state it."""
    if moment is None:
        return ""
    from plans.dates import format_due

    return format_due(moment)
