"""The public showcase (no login): recognised models their units chose to make public."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from portal.params import parse_id

from . import selectors
from .models import ModelField
from .views import _serve


@require_GET
def showcase_list_view(request):
    """A gallery of public recognised models, searchable without diacritics."""
    q = request.GET.get("q", "").strip()[:200]
    field = request.GET.get("field", "")
    field = field if field in ModelField.values else ""
    page = Paginator(selectors.showcase_models(q, field), 12).get_page(request.GET.get("page"))
    return render(request, "models_registry/showcase_list.html", {
        "page_obj": page, "models": page.object_list, "q": q, "field": field, "fields": ModelField.choices,
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
    })


@require_GET
def showcase_photo_view(request, pk, variant="file"):
    """A photo of a public model; nothing else is served without login."""
    return _serve(selectors.public_photo(pk), variant)
