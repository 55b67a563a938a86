"""Changes to the unit tree. Each keeps the placements (paths with dates) in step with the tree."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.text import nfc

from .models import Unit, UnitChange, UnitKind, UnitPlacement

ALPHABET = Unit.alphabet
STEPLEN = Unit.steplen


def encode_step(number: int) -> str:
    """The path step of the `number`-th child (1-based), as treebeard writes it."""
    digits = []
    base = len(ALPHABET)
    while number:
        number, rem = divmod(number, base)
        digits.append(ALPHABET[rem])
    return "".join(reversed(digits)).rjust(STEPLEN, ALPHABET[0])


def _day_before(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=1)


def _reopen_placements(units: list[Unit], effective: dt.date | None) -> None:
    """Close the open placements of `units` the day before `effective` and open new ones."""
    ids = [u.pk for u in units]
    if effective is None:
        UnitPlacement.objects.filter(unit_id__in=ids, valid_to__isnull=True).delete()
    else:
        UnitPlacement.objects.filter(
            unit_id__in=ids, valid_to__isnull=True, valid_from__gte=effective
        ).delete()
        UnitPlacement.objects.filter(unit_id__in=ids, valid_to__isnull=True).update(
            valid_to=_day_before(effective)
        )
    UnitPlacement.objects.bulk_create(
        UnitPlacement(unit=u, path=u.path, valid_from=effective) for u in units
    )


@transaction.atomic
def unit_create(
    *,
    parent: Unit | None,
    code: str,
    name: str,
    kind: UnitKind,
    valid_from: dt.date | None = None,
    user=None,
) -> Unit:
    """Create a unit under `parent` (a new root when None) and record its first placement."""
    code = nfc(code).strip()
    if Unit.objects.filter(code=code).exists():
        raise ValidationError({"code": _('Mã đơn vị “%(code)s” đã tồn tại.') % {"code": code}})
    fields = {"code": code, "name": name, "kind": kind, "valid_from": valid_from}
    unit = Unit.objects.add_child(parent, fields) if parent else Unit.objects.add_root(fields)
    UnitPlacement.objects.create(unit=unit, path=unit.path, valid_from=valid_from)
    UnitChange.objects.create(
        kind=UnitChange.Kind.CREATE,
        unit=unit,
        effective_date=valid_from or dt.date.today(),
        detail=f"Thành lập {unit.name}",
        created_by=user,
    )
    return unit


@transaction.atomic
def unit_move(*, unit: Unit, new_parent: Unit, effective_date: dt.date, user=None) -> Unit:
    """Re-parent `unit` (and its subtree) from `effective_date` on."""
    unit.refresh_from_db()
    new_parent.refresh_from_db()
    if new_parent.path.startswith(unit.path):
        raise ValidationError(_("Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó."))
    old_parent = Unit.objects.get_parent(unit)
    Unit.objects.move(unit, new_parent, pos="last-child")
    unit.refresh_from_db()
    moved = list(Unit.objects.filter(path__startswith=unit.path))
    _reopen_placements(moved, effective_date)
    UnitChange.objects.create(
        kind=UnitChange.Kind.MOVE,
        unit=unit,
        effective_date=effective_date,
        detail=f"Từ {old_parent or '—'} sang {new_parent}",
        created_by=user,
    )
    return unit


@transaction.atomic
def unit_rename(*, unit: Unit, name: str, effective_date: dt.date, user=None) -> Unit:
    """Rename a unit; the old name stays in its history and change log."""
    old = unit.name
    unit.name = name
    unit.save()
    UnitChange.objects.create(
        kind=UnitChange.Kind.RENAME,
        unit=unit,
        effective_date=effective_date,
        detail=f"{old} → {unit.name}",
        created_by=user,
    )
    return unit


@transaction.atomic
def unit_deactivate(*, unit: Unit, effective_date: dt.date, user=None) -> Unit:
    """Close a unit (it keeps its records); its open placement ends the day before."""
    if Unit.objects.filter(path__startswith=unit.path, is_active=True).exclude(pk=unit.pk).exists():
        raise ValidationError(_("Đơn vị còn đơn vị cấp dưới đang hoạt động: hãy chuyển hoặc hợp nhất chúng trước."))
    unit.is_active = False
    unit.valid_to = _day_before(effective_date)
    unit.save()
    UnitChange.objects.create(
        kind=UnitChange.Kind.DEACTIVATE,
        unit=unit,
        effective_date=effective_date,
        detail=f"Ngừng hoạt động {unit.name}",
        created_by=user,
    )
    return unit


@transaction.atomic
def unit_merge(
    *,
    sources: list[Unit],
    parent: Unit | None,
    code: str,
    name: str,
    kind: UnitKind,
    effective_date: dt.date,
    user=None,
) -> Unit:
    """Merge `sources` into a new unit C from `effective_date` (A + B -> C).

    The sources' active children move under C; the sources close the day before and are placed
    under C themselves, so C's subtree covers their records exactly once.
    """
    if len(sources) < 2:
        raise ValidationError(_("Cần chọn ít nhất hai đơn vị để hợp nhất."))
    for source in sources:
        source.refresh_from_db()
        if parent is not None and parent.path.startswith(source.path):
            raise ValidationError(_("Đơn vị cấp trên mới không được nằm trong đơn vị bị hợp nhất."))
    target = unit_create(
        parent=parent, code=code, name=name, kind=kind, valid_from=effective_date, user=user
    )
    for source in sources:
        for child in list(Unit.objects.get_children(source).filter(is_active=True)):
            unit_move(unit=child, new_parent=target, effective_date=effective_date, user=user)
        source.refresh_from_db()
        target.refresh_from_db()
        unit_move(unit=source, new_parent=target, effective_date=effective_date, user=user)
        Unit.objects.filter(pk=source.pk).update(
            is_active=False, valid_to=_day_before(effective_date), successor=target
        )
    change = UnitChange.objects.create(
        kind=UnitChange.Kind.MERGE,
        unit=target,
        effective_date=effective_date,
        detail=" + ".join(s.name for s in sources) + f" → {target.name}",
        created_by=user,
    )
    change.sources.set(sources)
    target.refresh_from_db()
    return target
