from django import template

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
