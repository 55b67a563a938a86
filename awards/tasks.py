"""Background jobs of the awards app: thin, idempotent, taking ids."""

from celery import shared_task


@shared_task(acks_late=True)
def remind_unregistered(user_id: int, year: int) -> int:
    """Remind the people of a committee member's unit who have not registered (once a day each)."""
    from portal.accounts.models import User

    from .pledges.services import pledge_remind

    user = User.objects.select_related("unit").get(pk=user_id)
    return pledge_remind(user=user, unit=user.unit, year=year)


@shared_task(acks_late=True)
def compute_annual_results(user_id: int, unit_id: int, year: int) -> int:
    """Recompute a unit's annual results (safe to run twice: results are upserted)."""
    from portal.accounts.models import User
    from portal.units.models import Unit

    from .pledges.services import annual_results_compute

    user = User.objects.get(pk=user_id)
    return len(annual_results_compute(user=user, unit=Unit.objects.get(pk=unit_id), year=year))
