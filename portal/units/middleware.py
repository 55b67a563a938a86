"""Every request sees the unit tree of its own date."""

from .services import unit_changes_apply_if_due


class PlannedUnitChangesMiddleware:
    """Carries out the merges, renames and moves whose date has come before a view reads the tree
    (see `unit_changes_apply_if_due`); the beat task does the same for workers and idle nights."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        unit_changes_apply_if_due()
        return self.get_response(request)
