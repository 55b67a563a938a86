"""Reads of the unit tree."""

from __future__ import annotations

import datetime as dt
import re

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db.models import Q, QuerySet

from .models import Unit, UnitKind, UnitPlacement


def subtree(unit: Unit, *, active_only: bool = False) -> QuerySet[Unit]:
    """`unit` and everything under it today, including the units merged into them: one query."""
    qs = Unit.objects.filter(path__startswith=unit.path)
    return qs.filter(is_active=True) if active_only else qs


def subtree_ids_as_of(unit: Unit, day: dt.date, *, through_predecessors: bool = False) -> QuerySet:
    """Ids of the units that stood under `unit` on `day`, as the tree was then. The root's path of
    that day is read first (one small query): as a literal prefix the path index answers the
    subtree (a prefix from a subquery made PostgreSQL scan every placement, 40-100 ms at nation)."""
    in_force = Q(valid_from__isnull=True) | Q(valid_from__lte=day)
    in_force &= Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    root_path = UnitPlacement.objects.filter(in_force, unit=unit).values_list("path", flat=True).first()
    if root_path is not None:
        return UnitPlacement.objects.filter(in_force, path__startswith=root_path).values("unit_id")
    # The unit did not stand in the tree that day (a province or commune formed by the 2025 merger).
    # The 15/10 roll-up counts nothing for it then (it did not exist; "now" counts what it took over);
    # an area view asks `through_predecessors`: its area then was that of the units it carries on.
    paths = _predecessor_paths(unit, in_force) if through_predecessors else []
    if not paths:
        return UnitPlacement.objects.none().values("unit_id")
    area = Q()
    for path in paths:
        area |= Q(path__startswith=path)
    return UnitPlacement.objects.filter(in_force, area).values("unit_id")


def _predecessor_paths(unit: Unit, in_force: Q) -> list[str]:
    """Paths, on the day of `in_force`, of the units whose work `unit` carries on (through chains of
    successors: a merge of merges), one query per generation; the nearest generation standing that day."""
    seen, frontier = {unit.pk}, [unit.pk]
    while frontier:
        earlier = [pk for pk in Unit.objects.filter(successor_id__in=frontier).values_list("pk", flat=True)
                   if pk not in seen]
        if not earlier:
            return []
        seen.update(earlier)
        standing = dict(UnitPlacement.objects.filter(in_force, unit_id__in=earlier).values_list("unit_id", "path"))
        if standing:
            return sorted(standing.values())
        frontier = earlier
    return []


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


def in_force_on(day: dt.date) -> Q:
    """Units alive on `day` (began by then, not yet past their last day)."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def existed_in_year(year: int) -> Q:
    """Units alive on at least one day of `year` (one that began or ended during it counts)."""
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=dt.date(year, 12, 31))) & (
        Q(valid_to__isnull=True) | Q(valid_to__gte=dt.date(year, 1, 1))
    )


def live_today() -> Q:
    """Members of today's tree: active and not past their last day."""
    from django.utils import timezone

    return Q(is_active=True) & in_force_on(timezone.localdate())


def children_as_of(unit: Unit, day: dt.date) -> list[Unit]:
    """The sub-units `unit` had on `day`, as the tree stood then (placements), alive that day."""
    placed = Q(valid_from__isnull=True) | Q(valid_from__lte=day)
    placed &= Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    own = UnitPlacement.objects.filter(placed, unit=unit).values_list("path", flat=True).first()
    if own is None:
        return []
    ids = (
        UnitPlacement.objects.filter(placed, path__startswith=own, path__regex=rf"^.{{{len(own) + Unit.steplen}}}$")
        .values("unit_id")
    )
    return list(Unit.objects.filter(in_force_on(day), pk__in=ids).select_related("kind").order_by("name"))


def lineage(unit: Unit) -> tuple[list[Unit], list[Unit]]:
    """(predecessors, successors): the units merged into this one, and the chain it was merged into."""
    predecessors = list(unit.predecessors.select_related("kind").order_by("name"))
    successors, seen, nxt = [], {unit.pk}, unit.successor
    while nxt is not None and nxt.pk not in seen:
        successors.append(nxt)
        seen.add(nxt.pk)
        nxt = nxt.successor
    return predecessors, successors


def planned_changes(units) -> QuerySet:
    """Changes recorded for the future that touch `units` (as the changed unit or a merge source)."""
    from .models import UnitChange

    ids = [u.pk for u in units]
    return (
        UnitChange.objects.filter(status=UnitChange.Status.PLANNED)
        .filter(Q(unit_id__in=ids) | Q(sources__in=ids))
        .distinct()
        .order_by("effective_date", "id")
    )


def _labels(units, names: dict[str, str]) -> dict[int, str]:
    """{pk: "Lâm Đồng › Xã Đông Long mới › Thôn 3"} for (pk, path, depth, name) rows, their
    ancestors named by path in `names`."""
    step = Unit.steplen
    return {
        pk: " › ".join([n for n in (names.get(path[: i * step]) for i in range(1, depth)) if n] + [name])
        for pk, path, depth, name in units
    }


def path_labels(units) -> dict[int, str]:
    """`Lâm Đồng › Xã Đông Long mới › Thôn 3` for each unit, in one query for all their ancestors."""
    step = Unit.steplen
    prefixes = {u.path[: i * step] for u in units for i in range(1, u.depth)}
    names = dict(Unit.objects.filter(path__in=prefixes).values_list("path", "name")) if prefixes else {}
    return _labels([(u.pk, u.path, u.depth, u.name) for u in units], names)


def _name_matches(words: list[str]) -> Q:
    """Every word starts a word of the folded name. On PostgreSQL a prefix full-text query that the
    GIN index `unit_name_words` answers in a few ms at nation size (LIKE '%...%' scanned 70,000
    names in ~100 ms); elsewhere (SQLite for `make run`) a plain substring match."""
    from django.db import connection

    if connection.vendor == "postgresql":
        terms = [t for t in (re.sub(r"[^0-9a-z]", "", w) for w in words) if t]
        if not terms:
            return Q(pk__in=[])
        query = SearchQuery(" & ".join(f"{t}:*" for t in terms), config="simple", search_type="raw")
        return Q(name_words=query)
    match = Q()
    for word in words:
        match &= Q(name_folded__contains=word)
    return match


def _named(qs: QuerySet, words: list[str]) -> QuerySet:
    if not words:
        return qs
    return qs.annotate(name_words=SearchVector("name_folded", config="simple")).filter(_name_matches(words))


def labels_of(ids) -> dict[int, str]:
    """`path_labels` of the units given by id, in one statement for the units and their ancestors
    (the picker's chosen unit: the unit is not read first to learn its path, so naming a province
    under the national root costs the one query naming a root unit does)."""
    from django.db import connection

    ids = sorted(set(ids))
    if not ids:
        return {}
    table = Unit._meta.db_table
    marks = ", ".join(["%s"] * len(ids))
    sql = f"""WITH RECURSIVE {_levels_cte()}
SELECT a.id, a.path, a.depth, a.name FROM {table} a WHERE a.path IN (
    SELECT SUBSTR(u.path, 1, l.i * {Unit.steplen}) FROM {table} u JOIN levels l ON l.i <= u.depth WHERE u.id IN ({marks}))"""
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        rows = cursor.fetchall()
    chosen = set(ids)
    return _labels([row for row in rows if row[0] in chosen], {path: name for _pk, path, _depth, name in rows})


def _levels_cte() -> str:
    """`levels(i)`: 1 to the deepest a unit's path can go, to take each prefix of a path in SQL."""
    depth = Unit._meta.get_field("path").max_length // Unit.steplen
    return f"levels(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM levels WHERE i < {depth})"


def _under_any(paths: list[str]) -> Q:
    under = Q(pk__in=[])
    for path in paths:
        under |= Q(path__startswith=path)
    return under


def units_search(user, q: str, *, include_ended: bool = False, within: Unit | None = None,
                 limit: int = 20) -> list[dict]:
    """The picker's answers: units the user may see whose name (without diacritics) has words
    starting with every word of `q`, the unit whose code is `q` first; shallow levels first. `q` may be a
    path (`dong long › thon 3`). Three queries, and one per part of a path."""
    from portal.permissions import units_visible_to
    from portal.text import fold

    qs = units_visible_to(user)
    if within is not None:
        qs = qs.filter(path__startswith=within.path)
    if not include_ended:
        qs = qs.filter(live_today())
    qs = qs.only("pk", "path", "depth", "name", "code", "is_active", "valid_to")
    # A path as the picker shows it ("dong long › thon 3", also with > or /): the last part names the
    # unit, the parts before name units above it, each under the one before.
    *above, last = [part for part in re.split(r"\s*[›>/]\s*", q) if part.strip()] or [""]
    anchors: list[str] | None = None
    for part in above[:3]:
        found = _named(qs, fold(part).split()[:6])
        if anchors is not None:
            found = found.filter(_under_any(anchors))
        anchors = list(found.order_by("depth", "path").values_list("path", flat=True)[:50])
        if not anchors:
            return []
    if anchors is not None:
        qs = qs.filter(_under_any(anchors)).exclude(path__in=anchors)
    words = fold(last).split()[:6]
    units: list[Unit] = []
    if q.strip() and anchors is None:
        units = list(qs.filter(code=q.strip())[:1])
    named = _named(qs, words)
    units += [u for u in named.order_by("depth", "name_folded")[:limit] if u not in units][: limit - len(units)]
    labels = path_labels(units)
    return [
        {"id": u.pk, "text": labels[u.pk], "code": u.code, "ended": not u.is_active} for u in units
    ]


def members_of_ended_units(user) -> list[dict]:
    """People whose unit has ended, with the unit proposed for them (the merge's successor)."""
    from django.utils import timezone

    from portal.accounts.models import User
    from portal.permissions import scope_queryset

    today = timezone.localdate()
    ended = Q(unit__valid_to__lt=today) | Q(unit__is_active=False)
    people = scope_queryset(User.objects.filter(ended, is_active=True), user).select_related("unit", "unit__successor")
    rows = []
    for person in people.order_by("unit__path", "full_name", "username")[:1000]:
        successor = person.unit.current_successor()
        if successor is not None and successor.ended_on(today):
            successor = None
        rows.append({"person": person, "unit": person.unit, "proposed": successor})
    return rows


ROLLUP_NOW = "now"  # today's tree: merged units stand under their successors
ROLLUP_THEN = "then"  # the tree as it stood on 15/10 of the record's year


def rollup_day(year: int, rollup: str) -> dt.date:
    """The day whose tree a roll-up of `year` reads: 15/10 of the year (then) or today (now)."""
    from django.utils import timezone

    return dt.date(year, 10, 15) if rollup == ROLLUP_THEN else timezone.localdate()


def areas_sql(units_sql: str, units_params, day: dt.date) -> tuple[str, list]:
    """`WITH RECURSIVE units_of AS (units_sql), …, areas(unit_id, area_id)`: the area each unit of
    `units_sql` (a query with a `unit_id` column) belonged to on `day`, as the tree stood then: its
    district (while districts existed, before 1/7/2025), else its commune; an agency or a province
    node is its own area. The caller appends its SELECT over `units_of` and `areas`.

    One statement, in the database: the unit's path that day (its placement, else its path today
    for a unit not yet formed), then each prefix of that path (`levels`: 1 to the deepest a path can
    go) placed that day whose unit had begun and not ended (`Unit.ended_on`) and is administrative,
    the nearest district first. Done in Python it took 60 ms for the 748 units of a province's
    spread at nation5 (id lists bound one by one, 1,500 model instances)."""
    from django.db import connection

    step = Unit.steplen
    on = connection.ops.adapt_datefield_value(day)
    # Worked out once per unit: PostgreSQL would otherwise inline `areas` into the caller's joins
    # and evaluate each unit's area twice, then hash all 78,000 units to name them (140 ms).
    once = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    unit, placement, kind = Unit._meta.db_table, UnitPlacement._meta.db_table, UnitKind._meta.db_table
    sql = f"""WITH RECURSIVE units_of AS ({units_sql}),
{_levels_cte()},
placed(unit_id, path) AS {once}(
    SELECT u.unit_id, COALESCE(
        (SELECT pl.path FROM {placement} pl WHERE pl.unit_id = u.unit_id
            AND (pl.valid_from IS NULL OR pl.valid_from <= %s) AND (pl.valid_to IS NULL OR pl.valid_to >= %s)
         ORDER BY pl.valid_from DESC LIMIT 1),
        (SELECT t.path FROM {unit} t WHERE t.id = u.unit_id))
    FROM (SELECT DISTINCT unit_id FROM units_of) u
),
areas(unit_id, area_id) AS {once}(
    SELECT p.unit_id, COALESCE((
        SELECT a.id FROM {placement} ap
        JOIN {unit} a ON a.id = ap.unit_id
        JOIN {kind} k ON k.id = a.kind_id
        WHERE ap.path IN (SELECT SUBSTR(p.path, 1, i * {step}) FROM levels WHERE i * {step} <= LENGTH(p.path))
            AND (ap.valid_from IS NULL OR ap.valid_from <= %s) AND (ap.valid_to IS NULL OR ap.valid_to >= %s)
            AND k.category = %s AND k.level IN (2, 3)
            AND (a.valid_from IS NULL OR a.valid_from <= %s)
            AND (a.valid_to >= %s OR (a.valid_to IS NULL AND a.is_active))
        ORDER BY k.level, LENGTH(ap.path) DESC LIMIT 1), p.unit_id)
    FROM placed p
)
"""
    return sql, [*units_params, on, on, on, on, UnitKind.Category.ADMINISTRATIVE.value, on, on]


def areas_fetch(sql: str, params) -> list[tuple]:
    """The rows of a statement built on `areas_sql`. Each unit's area is a handful of lookups by
    index, but PostgreSQL plans that correlated lookup as if it ran once: on a province's small tree
    (777 placements) it chose to read every placement for each of 243 units (90 ms, 20 ms by index).
    Sequential scans are off for this statement only (SET LOCAL, undone with its savepoint)."""
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        postgres = connection.vendor == "postgresql"
        if postgres:
            cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if postgres:  # the rest of an enclosing transaction plans as usual
            cursor.execute("SET LOCAL enable_seqscan = on")
    return rows


def areas_on(unit_ids, day: dt.date) -> dict[int, Unit]:
    """The area each unit belonged to on `day` (see `areas_sql`). Two queries for any number of units."""
    from django.db.models import F

    units_sql, params = Unit.objects.filter(pk__in=unit_ids).values(unit_id=F("pk")).query.sql_with_params()
    sql, params = areas_sql(units_sql, params, day)
    area_of = dict(areas_fetch(sql + "SELECT unit_id, area_id FROM areas", params))
    units = Unit.objects.in_bulk(set(area_of.values()))
    return {unit_id: units[area_id] for unit_id, area_id in area_of.items()}
