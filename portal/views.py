from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import search as site_search
from .extensions import home_cards, pending_actions
from .health import health
from .params import parse_int

HOME_ACTIONS = 8
ACTIONS_PER_PAGE = 25


@login_required
def home(request):
    """What needs this person first (soonest deadline first), then their unit's figures.

    The list asks every app (some twenty queries), so it is fetched right after the page shows
    (htmx, `needs_me` as a fragment) and the home page itself stays within the 20-query target;
    without JavaScript the section links to the list's own page."""
    return render(request, "portal/home.html", {"cards": home_cards(request)})


@login_required
@require_GET
def needs_me(request):
    """Everything waiting for this person across the portal, on a page of its own; fetched by the
    home page (htmx), the first few of them as a fragment."""
    actions = pending_actions(request.user)
    if request.htmx and request.GET.get("part") == "home":
        return render(request, "portal/_needs_me_home.html", {
            "actions": actions[:HOME_ACTIONS], "action_count": len(actions), "now": timezone.now()})
    page = Paginator(actions, ACTIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/needs_me.html", {"page_obj": page, "actions": page.object_list,
                                                    "now": timezone.now()})


@login_required
@require_GET
def search(request):
    """Models, people, units and documents by name, grouped by kind; one kind paginated."""
    q = request.GET.get("q", "").strip()[:100]
    kind = request.GET.get("kind", "")
    kind = kind if kind in site_search.KINDS else ""
    groups = site_search.search(request.user, q, kind=kind, page=parse_int(request.GET.get("page"), 1, lo=1, hi=10**6))
    return render(request, "portal/search.html", {
        "q": q, "search_query": q, "kind": site_search.KINDS.get(kind), "groups": groups,
        "total": sum(group.count for group in groups), "too_short": bool(q) and not groups,
    })


@never_cache
@require_GET
def healthz(request):
    body, status = health()
    return JsonResponse(body, status=status)
