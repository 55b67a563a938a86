"""The public showcase (no login): recognised models their units chose to make public."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from portal.paging import SEARCH_COUNT_CAP, IdPaginator
from portal.params import parse_id, parse_int, parse_year
from portal.permissions import STAFF, has_role
from portal.units.models import Unit

from . import selectors
from .models import ModelField, RecognitionLevel, State
from .views import _serve


@require_GET
def showcase_list_view(request):
    """A gallery of public recognised models, searchable without diacritics."""
    q = request.GET.get("q", "").strip()[:200]
    field = request.GET.get("field", "")
    field = field if field in ModelField.values else ""
    year = parse_year(request.GET.get("year"))
    level = parse_int(request.GET.get("level"))
    level = level if level in RecognitionLevel.values else None
    area_id = parse_id(request.GET.get("area"))
    # An area that ended (a district, a province before 1/7/2025) is still chosen: its models then.
    area = Unit.objects.filter(pk=area_id).first() if area_id is not None else None
    models = selectors.showcase_models(q, field, year=year, area=area, level=level)
    page = IdPaginator(models, 12, rows=lambda ids: selectors.showcase_models().filter(pk__in=ids),
                       cap=SEARCH_COUNT_CAP if q else None).get_page(request.GET.get("page"))
    return render(request, "models_registry/showcase_list.html", {
        "page_obj": page, "models": page.object_list, "q": q, "field": field, "fields": ModelField.choices,
        "year": year, "level": level, "levels": RecognitionLevel.choices, "area": area,
        **selectors.showcase_filter_choices(),
    })


@require_GET
def showcase_detail_view(request, key):
    """One public model, by id or slug; the id redirects to the slug so links stay stable."""
    model = selectors.showcase_model(key)
    if parse_id(key) is not None and model.slug:
        return redirect("showcase:detail", key=model.slug, permanent=True)
    replications, spread = selectors.replication_spread(model)
    return render(request, "models_registry/showcase_detail.html", {
        "model": model,
        "photos": [a for a in model.attachments.all() if a.is_image and a.report_id is None],
        "totals": selectors.report_totals([model.pk]),
        "replications": replications,
        "spread": spread,
        # A signed-in staff member of another unit may start a replication (the registration form,
        # prefilled; the create view checks again).
        "can_replicate": model.state == State.RECOGNISED and has_role(request.user, STAFF)
        and request.user.unit_id not in (None, model.unit_id),
    })


@require_GET
def showcase_photo_view(request, pk, variant="file"):
    """A photo of a public model; nothing else is served without login."""
    return _serve(selectors.public_photo(pk), variant)
