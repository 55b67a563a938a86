from django.urls import NoReverseMatch, reverse

from .extensions import nav_groups


def portal(request):
    """The menu (grouped), the person's own menu and the unread notification count, for every page."""
    context = {"nav_groups": [], "me_items": [], "notifications_url": "", "unread_notifications": 0,
               "current_phase": None}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "htmx", False):
        return context  # a fragment fetched by htmx has no menu to fill
    groups = nav_groups(request)
    context["nav_groups"] = [group for group in groups if group.key != "me"]
    context["me_items"] = next((group.items for group in groups if group.key == "me"), [])
    from portal.units.models import Phase

    context["current_phase"] = Phase.current()
    try:
        context["notifications_url"] = reverse("plans:notifications")
        from plans.selectors import unread_count

        context["unread_notifications"] = unread_count(user)
    except (NoReverseMatch, ImportError):
        pass
    return context
