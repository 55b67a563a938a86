from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .extensions import home_cards
from .health import health


@login_required
def home(request):
    """Greets each role with what it has to do."""
    return render(request, "portal/home.html", {"cards": home_cards(request)})


@never_cache
@require_GET
def healthz(request):
    body, status = health()
    return JsonResponse(body, status=status)
