"""Reads of the unit tree."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet, Subquery

from .models import Unit, UnitPlacement


def subtree(unit: Unit, *, active_only: bool = False) -> QuerySet[Unit]:
    """`unit` and everything under it today, including the units merged into them: one query."""
    qs = Unit.objects.filter(path__startswith=unit.path)
    return qs.filter(is_active=True) if active_only else qs


def subtree_ids_as_of(unit: Unit, day: dt.date) -> QuerySet:
    """Ids of the units that stood under `unit` on `day`, as the tree was then: one query."""
    in_force = Q(valid_from__isnull=True) | Q(valid_from__lte=day)
    in_force &= Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    root_path = UnitPlacement.objects.filter(in_force, unit=unit).values("path")[:1]
    # A path prefix of the root's path at that day.
    return (
        UnitPlacement.objects.filter(in_force)
        .filter(path__startswith=Subquery(root_path))
        .values("unit_id")
    )


def units_for_period(unit: Unit, *, as_of: dt.date | None, through_successors: bool) -> QuerySet:
    """The unit ids a report rolls up: the tree as it stood on `as_of`, or today's tree
    (which places merged units under their successors)."""
    if through_successors or as_of is None:
        return subtree(unit).values("pk")
    return subtree_ids_as_of(unit, as_of)


def ancestors_of(unit: Unit) -> list[Unit]:
    """The chain from the root down to `unit`, in one query."""
    steplen = Unit.steplen
    paths = [unit.path[: i * steplen] for i in range(1, unit.depth + 1)]
    return list(Unit.objects.filter(path__in=paths).order_by("depth"))
