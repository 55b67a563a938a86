from django import template

from plans import dates

register = template.Library()


@register.filter
def due(moment) -> str:
    """A due instant in people's words: "hết ngày 08/04/2022"."""
    return dates.format_due(moment) if moment else ""
