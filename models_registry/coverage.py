"""Coverage against the plan's target (Kế hoạch 54-KH/BDVTU: every unit and village builds at least
1–2 models a year), the units with no model, and the follow-up ("đôn đốc") leadership sends them.

A unit's own models count for it (a village's model is the village's, not its commune's); the target
is its kind's `models_target`; a unit that did not exist in the year is not a gap. Units are taken
from today's tree, so merged units stand under their successors and an old unit that lived in the
year is still measured for that year.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from portal.permissions import LEADER, require, scope_unit, subtree_unit_ids
from portal.text import nfc
from portal.units.models import Unit, UnitKind
from portal.units.selectors import existed_in_year

from .models import RUNNING_STATES, DvkModel, ModelField, RegistrationKind, State, UnitFollowUp


def _running(year: int) -> QuerySet[DvkModel]:
    return DvkModel.objects.filter(year=year, state__in=RUNNING_STATES)


def _has_model(root: Unit, year: int) -> Q:
    # `id IN (units with a running model)` rather than EXISTS: PostgreSQL hashes the subquery once;
    # with EXISTS a misestimate of the year's models chose a nested loop (2.5 s at nation size).
    # The subquery reads the models of `root`'s subtree only (by unit, from the (unit, year) index),
    # not the whole country's year (24 ms a count at nation5).
    return Q(pk__in=_running(year).filter(unit_id__in=subtree_unit_ids(root.path)).values("unit_id"))


def measured_units(root: Unit, year: int) -> QuerySet[Unit]:
    """Units of `root`'s subtree that are expected to build models in `year`: they lived in the
    year, their kind has a target, and they are not departments inside an agency."""
    return (
        Unit.objects.filter(path__startswith=root.path)
        .filter(existed_in_year(year))
        .filter(kind__models_target__gt=0)
        .exclude(kind__category=UnitKind.Category.DEPARTMENT)
    )


def gap_units(root: Unit, year: int, *, level: int | None = None) -> QuerySet[Unit]:
    """The measured units of `root`'s subtree with no running model of their own in `year`."""
    qs = measured_units(root, year).exclude(_has_model(root, year))
    if level is not None:
        qs = qs.filter(kind__level=level)
    return qs.select_related("kind").order_by("path")


def measured_counts(root: Unit, year: int) -> list[dict]:
    """The measured units of `root`'s subtree and how many have no model, grouped by the unit under
    `root` they sit in (`prefix`: its path), their depth and their kind: one query that gives both
    the table's "below" column and the counts per level."""
    return list(
        measured_units(root, year)
        .annotate(prefix=Substr("path", 1, len(root.path) + Unit.steplen))
        .values("prefix", "depth", "kind__level", "kind__name")
        .annotate(total=Count("id"), gaps=Count("id", filter=~_has_model(root, year)))
        .order_by("kind__level", "kind__name")
    )


def gaps_by_level(root: Unit, year: int, counts: list[dict] | None = None) -> list[dict]:
    """Per level (kind level, named by the kinds present): measured units and those with no model
    (from `measured_counts`, read here when not given)."""
    levels: dict[int, dict] = {}
    for r in measured_counts(root, year) if counts is None else counts:
        level = levels.setdefault(r["kind__level"], {"level": r["kind__level"], "names": [], "total": 0, "gaps": 0})
        if r["kind__name"] not in level["names"]:
            level["names"].append(r["kind__name"])
        level["total"] += r["total"]
        level["gaps"] += r["gaps"]
    return [{**lv, "label": " / ".join(lv["names"])} for lv in levels.values()]


@dataclass
class CoverageRow:
    unit: Unit
    existed: bool
    target: int
    year: int
    new: int = 0
    maintained: int = 0
    recognised: int = 0
    fields: list[str] = field(default_factory=list)
    measured_below: int = 0
    gaps_below: int = 0
    has_children: bool = False
    last_followup: UnitFollowUp | None = None

    def __post_init__(self):
        # What the table shows, worked out here once rather than looked up piece by piece in the
        # template for each of a province's hundred or more rows.
        unit = self.unit
        self.pk, self.name = unit.pk, unit.name
        note = [str(unit.kind)]
        if unit.valid_to:
            note.append(f"{_('ngày cuối cùng hoạt động')} {unit.valid_to:%d/%m/%Y}")
        if unit.valid_from and unit.valid_from.year == self.year:
            note.append(f"{_('ngày bắt đầu hoạt động')} {unit.valid_from:%d/%m/%Y}")
        self.note = " · ".join(note)
        self.fields_count, self.fields_text = len(self.fields), ", ".join(self.fields)
        self.followup_day = f"{localtime(self.last_followup.sent_at):%d/%m/%Y}" if self.last_followup else "—"

    @property
    def total(self) -> int:
        return self.new + self.maintained

    @cached_property
    def status(self) -> str:
        if not self.existed:
            return "absent"
        if self.target == 0 or self.unit.kind.category == UnitKind.Category.DEPARTMENT:
            return "none"
        if self.total == 0:
            return "gap"
        return "met" if self.total >= self.target else "short"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def status_class(self) -> str:
        return STATUS_CLASSES.get(self.status, "")


# Worked out once a row, not by a chain of {% if %} in each of a province's hundred rows.
STATUS_LABELS = {
    "gap": gettext_lazy("Chưa có mô hình"), "short": gettext_lazy("Chưa đạt"),
    "met": pgettext_lazy("chỉ tiêu", "Đạt"), "absent": gettext_lazy("Chưa thành lập trong năm"),
    "none": gettext_lazy("Không tính chỉ tiêu"),
}
STATUS_CLASSES = {"gap": "table-danger", "short": "table-warning", "met": "table-success"}


def coverage_rows(root: Unit, year: int, counts: list[dict] | None = None) -> list[CoverageRow]:
    """The units directly under `root` (today's tree) with their own models of `year` against their
    target, and how many units of their subtrees have none (`measured_counts`, read here when not
    given): five queries for the whole table."""
    children = list(
        Unit.objects.filter(path__startswith=root.path, depth=root.depth + 1)
        .exclude(kind__category=UnitKind.Category.DEPARTMENT)
        .select_related("kind")
        .order_by("path")
    )
    ids = [u.pk for u in children]
    existed = set(Unit.objects.filter(pk__in=ids).filter(existed_in_year(year)).values_list("pk", flat=True))
    own = {
        r["unit_id"]: r
        for r in _running(year).filter(unit_id__in=ids).values("unit_id").annotate(
            new=Count("id", filter=Q(registration_kind=RegistrationKind.NEW)),
            maintained=Count("id", filter=Q(registration_kind=RegistrationKind.MAINTAINED)),
            recognised=Count("id", filter=Q(state=State.RECOGNISED)),
        ).order_by()
    }
    fields: dict[int, list[str]] = {}
    # order_by(): the model's ordering would add its columns to DISTINCT (and read every row's page).
    field_labels = {choice.value: str(choice.label) for choice in ModelField}
    for unit_id, value in _running(year).filter(unit_id__in=ids).values_list("unit_id", "field").order_by().distinct():
        fields.setdefault(unit_id, []).append(field_labels.get(value, value))
    below: dict[str, dict] = {}
    for r in measured_counts(root, year) if counts is None else counts:
        if r["depth"] > root.depth + 1:
            sub = below.setdefault(r["prefix"], {"total": 0, "gaps": 0})
            sub["total"] += r["total"]
            sub["gaps"] += r["gaps"]
    followups: dict[int, UnitFollowUp] = {}
    for f in UnitFollowUp.objects.filter(unit_id__in=ids, year=year).order_by("unit_id", "-sent_at", "-id"):
        followups.setdefault(f.unit_id, f)
    rows = []
    for unit in children:
        counts = own.get(unit.pk, {})
        sub = below.get(unit.path, {})
        rows.append(CoverageRow(
            unit=unit, existed=unit.pk in existed, target=unit.kind.models_target, year=year,
            new=counts.get("new", 0), maintained=counts.get("maintained", 0), recognised=counts.get("recognised", 0),
            fields=sorted(fields.get(unit.pk, [])), measured_below=sub.get("total", 0), gaps_below=sub.get("gaps", 0),
            has_children=unit.numchild > 0, last_followup=followups.get(unit.pk),
        ))
    # A unit that did not live in the year is shown only when units under it did (a commune formed
    # in 2025 still holds the villages that lived in 2024).
    return [r for r in rows if r.existed or r.measured_below]


def followups_of(unit: Unit) -> QuerySet[UnitFollowUp]:
    return UnitFollowUp.objects.filter(unit=unit).select_related("sent_by")


FOLLOWUP_ROLES = ("canbo", "lanhdao")


@transaction.atomic
def unit_followup_send(*, units: list[Unit], sender, message: str, year: int) -> list[UnitFollowUp]:
    """Leadership urge the chosen units to build their models of `year`: one follow-up recorded on
    each unit, told through the workflow events ("unit.urged": the unit's staff and leadership)."""
    from plans.models import Notification
    from portal.workflow_events import workflow_event_emit

    message = nfc(message).strip()
    if not message:
        raise ValidationError(_("Hãy ghi nội dung đôn đốc."))
    if not units:
        raise ValidationError(_("Chưa chọn đơn vị nào để đôn đốc."))
    for unit in units:
        require(sender, unit, LEADER)
    sent_from = scope_unit(sender) or sender.unit
    url = reverse("models_registry:list")
    followups = []
    for unit in units:
        followup = UnitFollowUp.objects.create(unit=unit, year=year, message=message, sent_by=sender)
        event = workflow_event_emit(
            kind="unit.urged", record=unit, actor=sender, units=[unit], key=f"models.followup:{followup.pk}",
            url=url, comment=_("%(sender)s (%(from)s) đôn đốc %(unit)s: %(message)s") % {
                "sender": sender, "from": sent_from, "unit": unit.name, "message": message},
            title=_("Đôn đốc xây dựng mô hình “Dân vận khéo” năm %(year)s") % {"year": year},
        )
        followup.recipients = Notification.objects.filter(event=event).count() if event is not None else 0
        followup.save(update_fields=["recipients"])
        followups.append(followup)
    return followups


def followup_counts(unit_ids: list[int], year: int) -> dict[int, int]:
    """How many follow-ups each unit received for `year`."""
    return dict(
        UnitFollowUp.objects.filter(unit_id__in=unit_ids, year=year).values("unit_id")
        .annotate(n=Count("id")).values_list("unit_id", "n").order_by()
    )
