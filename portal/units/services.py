"""Changes to the unit tree. Each keeps the placements (paths with dates) in step with the tree."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
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


def _is_future(day: dt.date | None) -> bool:
    return day is not None and day > timezone.localdate()


def _plan(*, kind: str, unit: Unit, effective_date: dt.date, detail: str, payload: dict, user,
          sources: list[Unit] = ()) -> UnitChange:
    """Record a change dated in the future; `unit_changes_apply_due` carries it out on its date."""
    change = UnitChange.objects.create(
        kind=kind, unit=unit, effective_date=effective_date, detail=detail, payload=payload,
        status=UnitChange.Status.PLANNED, created_by=user,
    )
    if sources:
        change.sources.set(sources)
    _next_planned["day"] = None  # this process reads the next date again on its next request
    return change


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
    """Re-parent `unit` (and its subtree) from `effective_date` on; a future date is planned."""
    unit.refresh_from_db()
    new_parent.refresh_from_db()
    if new_parent.path.startswith(unit.path):
        raise ValidationError(_("Không thể chuyển một đơn vị vào chính nó hoặc đơn vị cấp dưới của nó."))
    if _is_future(effective_date):
        _plan(kind=UnitChange.Kind.MOVE, unit=unit, effective_date=effective_date,
              detail=f"Sang {new_parent}", payload={"new_parent": new_parent.pk}, user=user)
        return unit
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
    """Rename a unit; the old name stays in its history and change log. A future date is planned."""
    if _is_future(effective_date):
        _plan(kind=UnitChange.Kind.RENAME, unit=unit, effective_date=effective_date,
              detail=f"{unit.name} → {nfc(name).strip()}", payload={"name": name}, user=user)
        return unit
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
    if _is_future(effective_date):
        _plan(kind=UnitChange.Kind.DEACTIVATE, unit=unit, effective_date=effective_date,
              detail=f"Ngừng hoạt động {unit.name}", payload={}, user=user)
        return unit
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
) -> Unit | UnitChange:
    """Merge `sources` into a new unit C from `effective_date` (A + B -> C).

    The sources' active children move under C; the sources close the day before and are placed
    under C themselves, so C's subtree covers their records exactly once. A merge dated in the
    future is recorded as planned (the UnitChange is returned) and carried out on its date.
    """
    if len(sources) < 2:
        raise ValidationError(_("Cần chọn ít nhất hai đơn vị để hợp nhất."))
    for source in sources:
        source.refresh_from_db()
        if parent is not None and parent.path.startswith(source.path):
            raise ValidationError(_("Đơn vị cấp trên mới không được nằm trong đơn vị bị hợp nhất."))
    if _is_future(effective_date):
        code = nfc(code).strip()
        if Unit.objects.filter(code=code).exists() or _planned_codes().count(code):
            raise ValidationError({"code": _('Mã đơn vị “%(code)s” đã tồn tại.') % {"code": code}})
        payload = {"sources": [s.pk for s in sources], "parent": parent.pk if parent else None,
                   "code": code, "name": nfc(name).strip(), "kind": kind.pk}
        return _plan(kind=UnitChange.Kind.MERGE, unit=sources[0], effective_date=effective_date,
                     detail=" + ".join(s.name for s in sources) + f" → {nfc(name).strip()}",
                     payload=payload, user=user, sources=sources)
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


def _planned_codes() -> list[str]:
    return [
        c["code"] for c in UnitChange.objects.filter(
            status=UnitChange.Status.PLANNED, kind=UnitChange.Kind.MERGE
        ).values_list("payload", flat=True) if c.get("code")
    ]


def unit_change_apply(*, change: UnitChange) -> UnitChange:
    """Carry out one planned change (its date has come), in one transaction; safe to run twice."""
    with transaction.atomic():
        change = UnitChange.objects.select_for_update().get(pk=change.pk)
        if change.status != UnitChange.Status.PLANNED:
            return change
        data, day, user = change.payload, change.effective_date, change.created_by
        if change.kind == UnitChange.Kind.MERGE:
            sources = list(Unit.objects.filter(pk__in=data["sources"]).order_by("path"))
            parent = Unit.objects.filter(pk=data["parent"]).first() if data.get("parent") else None
            unit_merge(sources=sources, parent=parent, code=data["code"], name=data["name"],
                       kind=UnitKind.objects.get(pk=data["kind"]), effective_date=day, user=user)
        elif change.kind == UnitChange.Kind.MOVE:
            unit_move(unit=change.unit, new_parent=Unit.objects.get(pk=data["new_parent"]),
                      effective_date=day, user=user)
        elif change.kind == UnitChange.Kind.RENAME:
            unit_rename(unit=change.unit, name=data["name"], effective_date=day, user=user)
        elif change.kind == UnitChange.Kind.DEACTIVATE:
            unit_deactivate(unit=change.unit, effective_date=day, user=user)
        # The applying call wrote its own row (by the person who planned it): the plan is done.
        change.status = UnitChange.Status.APPLIED
        change.delete()
    return change


def unit_changes_apply_due(*, today: dt.date | None = None) -> int:
    """Carry out every planned change whose date has come, oldest first. Run by Celery beat daily
    (and hourly to catch up): a change that fails is logged and left planned, the others go on."""
    import logging

    today = today or timezone.localdate()
    done = 0
    due = UnitChange.objects.filter(status=UnitChange.Status.PLANNED, effective_date__lte=today)
    for change in list(due.order_by("effective_date", "id")):
        try:
            unit_change_apply(change=change)
        except ValidationError:
            logging.getLogger(__name__).exception("Planned unit change %s could not be applied", change.pk)
            continue
        done += 1
    return done


# The date of the next planned change, as this process last read it and on which day. A change is
# planned only for a later day, so reading again on the first request of each day (and after this
# process plans one) is enough: no process misses a date, and no query is spent while none is due.
_next_planned: dict = {"day": None, "next": None}


def unit_changes_apply_if_due() -> int:
    """The read path's side of the beat task: before a request reads the tree, carry out the planned
    changes whose date has come, so a change dated D is in effect from the first minute of D even
    when the beat has not run yet. No query while the day's answer is known."""
    import logging

    today = timezone.localdate()
    if _next_planned["day"] == today and (_next_planned["next"] is None or _next_planned["next"] > today):
        return 0
    planned = UnitChange.objects.filter(status=UnitChange.Status.PLANNED).order_by("effective_date")
    dates = planned.values_list("effective_date", flat=True)
    nxt, done = dates.first(), 0
    if nxt is not None and nxt <= today:
        try:
            done = unit_changes_apply_due(today=today)
        except Exception:  # noqa: BLE001 - a read never fails for it: the beat task tries again and logs
            logging.getLogger(__name__).exception("Planned unit changes could not be applied on read")
        # A change that failed stays planned for the beat (which logs it); reads look at later dates.
        nxt = dates.filter(effective_date__gt=today).first()
    _next_planned.update(day=today, next=nxt)
    return done


@transaction.atomic
def unit_change_cancel(*, change: UnitChange, user=None) -> None:
    """Drop a planned change before its date."""
    if change.status != UnitChange.Status.PLANNED:
        raise ValidationError(_("Chỉ huỷ được thay đổi chưa có hiệu lực."))
    change.delete()


@transaction.atomic
def members_move(*, moves: list[tuple[int, int]], user) -> int:
    """Move people of ended units to other units, all or nothing: every (person id, unit id) pair
    is checked first (the person's unit has ended, the target is active and in the actor's
    subtree), then all are saved, each with a history row naming the actor and the reason."""
    from portal.accounts.models import User
    from portal.permissions import ADMIN, require_role, unit_in_scope

    require_role(user, ADMIN)
    today = timezone.localdate()
    people = {p.pk: p for p in User.objects.select_for_update(of=("self",)).filter(pk__in=[m[0] for m in moves])
              .select_related("unit")}
    targets = Unit.objects.in_bulk({m[1] for m in moves})
    errors = []
    for person_id, unit_id in moves:
        person, target = people.get(person_id), targets.get(unit_id)
        if person is None or target is None or not unit_in_scope(user, target):
            errors.append(_("Dữ liệu chuyển không hợp lệ (người dùng hoặc đơn vị không tồn tại)."))
        elif person.unit is None or not person.unit.ended_on(today):
            errors.append(_("%(person)s không thuộc đơn vị đã kết thúc hoạt động.") % {"person": person})
        elif target.ended_on(today):
            errors.append(_("%(unit)s đã kết thúc hoạt động, không thể chuyển người đến.") % {"unit": target})
    if not moves:
        errors.append(_("Chưa chọn người nào để chuyển."))
    if errors:
        raise ValidationError(errors)
    for person_id, unit_id in moves:
        person, target = people[person_id], targets[unit_id]
        old = person.unit
        person.unit = target
        person._history_user = user
        person._change_reason = f"Chuyển từ {old} (đã kết thúc) sang {target}"
        person.save(update_fields=["unit"])
    return len(moves)
