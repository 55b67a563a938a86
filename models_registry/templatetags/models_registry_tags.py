from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def vn_number(value) -> str:
    """12345678 -> "12.345.678", the Vietnamese way, whatever the active locale's settings."""
    try:
        return f"{int(value):,}".replace(",", ".")
    except (TypeError, ValueError):
        return ""


@register.simple_tag(takes_context=True)
def model_next_step(context, model) -> tuple[str, str]:
    """(url, label) of the one next step the signed-in person has with `model` (workflow.next_step)."""
    from models_registry.workflow import next_step

    return next_step(context["request"].user, model)


@register.simple_tag
def models_count(paginator) -> str:
    """The count in a models list's or the showcase's heading: "25 mô hình", or, past a search's
    cap (`IdPaginator.capped`), "Hơn 1.000 mô hình: thêm từ hoặc bộ lọc để thu hẹp"."""
    if getattr(paginator, "capped", False):
        return _("Hơn %(n)s mô hình: thêm từ hoặc bộ lọc để thu hẹp") % {"n": intcomma(paginator.count)}
    return ngettext("%(n)s mô hình", "%(n)s mô hình", paginator.count) % {"n": paginator.count}
