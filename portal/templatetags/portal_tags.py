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
@register.simple_tag
def state_badge(obj, field: str = "", testid: str = "state", html_id: str = "", extra_class: str = "") -> str:
    """A row's workflow state as a badge in the portal's one colour scale (see portal/states.py)."""
    from django.utils.html import format_html

    from portal.states import state_of, tone_class

    value, label, tone = state_of(obj, field or None)
    classes = f"badge state-badge tone-{tone} {tone_class(tone)} {extra_class}".strip()
    id_attr = format_html(' id="{}"', html_id) if html_id else ""
    return format_html(
        '<span class="{}" data-state="{}" data-testid="{}"{}>{}</span>', classes, value, testid, id_attr, label
    )


@register.simple_tag
def tone_badge(tone: str, text: str, extra_class: str = "") -> str:
    """A badge in a tone of the state scale for what is not a row's state (overdue, new, own...)."""
    from django.utils.html import format_html

    from portal.states import tone_class

    return format_html('<span class="badge tone-{} {} {}">{}</span>', tone, tone_class(tone), extra_class, text)


# --- shared page pieces (templates/components/) ------------------------------------------------------

_NOT_FILTERS = {"page", "sort", "format"}


@register.simple_tag(takes_context=True)
def active_filters(context, form=None, **labels) -> list[dict]:
    """The filters in force, as removable chips: [{label, value, url}] (url = the list without it).

    From a filter `form` (labels and choice names from its fields), or for a page whose filter is
    plain inputs, from `labels` (parameter=label), a coded parameter naming its values with
    `<parameter>_choices` (a list of (value, name))."""
    request = context["request"]
    names = {
        key[: -len("_choices")]: {str(k): str(v) for k, v in value or ()}
        for key, value in labels.items()
        if key.endswith("_choices")
    }
    chips = []
    for key in request.GET:
        value = request.GET.get(key, "").strip()
        if key in _NOT_FILTERS or not value:
            continue
        if form is not None:
            if key not in form.fields:
                continue
            field = form.fields[key]
            label = field.label or key
            shown = value
            field_choices = getattr(field, "choices", None)
            if hasattr(form, "chip_display"):
                shown = form.chip_display(key, value) or value
            elif field_choices is not None and not hasattr(field, "queryset"):
                shown = dict((str(k), v) for k, v in field_choices).get(value, value)
            elif hasattr(field, "queryset"):
                from portal.params import parse_id

                pk = parse_id(value)
                obj = field.queryset.filter(pk=pk).first() if pk is not None else None
                shown = str(obj) if obj is not None else value
        elif key in labels and not key.endswith("_choices"):
            label, shown = labels[key], names.get(key, {}).get(value, value)
        else:
            continue
        rest = request.GET.copy()
        rest.pop(key, None)
        rest.pop("page", None)
        chips.append({"label": label, "value": shown, "url": "?" + rest.urlencode()})
    return chips


class _BlockComponentNode(template.Node):
    def __init__(self, template_name, nodelist, args, kwargs):
        self.template_name, self.nodelist, self.args, self.kwargs = template_name, nodelist, args, kwargs

    def render(self, context):
        values = {key: value.resolve(context) for key, value in self.kwargs.items()}
        values["body"] = self.nodelist.render(context)
        values["has_body"] = bool(values["body"].strip())
        for name, value in zip(("title", "lead"), self.args, strict=False):
            values[name] = value.resolve(context)
        tpl = context.template.engine.get_template(self.template_name)
        with context.push(**values):
            return tpl.render(context)


def _block_component(template_name: str, end: str):
    def compile_tag(parser, token):
        bits = token.split_contents()[1:]
        args, kwargs = [], {}
        for bit in bits:
            if "=" in bit and not bit.startswith(("'", '"', "_(")):
                key, value = bit.split("=", 1)
                kwargs[key] = parser.compile_filter(value)
            else:
                args.append(parser.compile_filter(bit))
        nodelist = parser.parse((end,))
        parser.delete_first_token()
        return _BlockComponentNode(template_name, nodelist, args, kwargs)

    return compile_tag


# {% page_header title [lead] %}…buttons…{% endpage_header %}: the one page heading with its actions.
register.tag("page_header", _block_component("components/page_header.html", "endpage_header"))
# {% filter_panel form=… chips=… count=… %}…fields…{% endfilter_panel %}: filters folded on phones.
register.tag("filter_panel", _block_component("components/filter_panel.html", "endfilter_panel"))
# {% card title %}…{% endcard %}: a titled box.
register.tag("card", _block_component("components/card.html", "endcard"))
