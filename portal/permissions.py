"""The one permission layer of the portal.

Every view and selector asks here which rows a user may see and what a user may do. A role acts
within the user's unit subtree (the user's unit and everything under it); a system administrator
acts everywhere. Records of another subtree that are not public answer 404, never 403, so their
existence is not revealed; a missing role inside one's own subtree answers 403.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import BooleanField, F, Func, Model, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portal.accounts.models import RoleCode
from portal.units.models import Unit

ADMIN = RoleCode.ADMIN
STAFF = RoleCode.STAFF
UNION = RoleCode.UNION
CELL = RoleCode.CELL
LEADER = RoleCode.LEADER
ALL_ROLES = tuple(RoleCode.values)


def is_admin(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(ADMIN)))


def has_role(user, *roles: str) -> bool:
    """True when the user holds any of `roles` (administrators hold every role)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return is_admin(user) or user.has_role(*roles)


def scope_path(user) -> str | None:
    """The path prefix of the user's subtree; "" for administrators, None for nobody."""
    if not user.is_authenticated or not user.is_active:
        return None
    if is_admin(user):
        return ""
    if user.unit_id is None:
        return None
    return scope_unit(user).path


def scope_unit(user) -> Unit | None:
    """The root of the subtree a user's roles act on: the user's unit, or the area it oversees
    (the Ban Dân vận of a province oversees the whole province)."""
    unit = user.unit
    if unit is None:
        return None
    # Django keeps the loaded `oversees` on the instance: it is read once a request.
    return unit.oversees if unit.oversees_id is not None else unit


def unit_in_scope(user, unit: Unit | None) -> bool:
    """May `user` act on records of `unit` (it lies in the user's subtree)?"""
    prefix = scope_path(user)
    if prefix is None or unit is None:
        return False
    return unit.path.startswith(prefix)


def units_visible_to(user) -> QuerySet[Unit]:
    """The units of the user's subtree (all units for administrators)."""
    prefix = scope_path(user)
    if prefix is None:
        return Unit.objects.none()
    # An administrator's are all of them: no `path LIKE '%'` to test on every row (a count of the
    # country's active units then reads the (is_active, depth) index alone).
    return Unit.objects.filter(path__startswith=prefix) if prefix else Unit.objects.all()


def subtree_unit_ids(prefix: str) -> QuerySet[Unit]:
    """The ids of the units under `prefix`, unordered: the subquery every subtree filter uses."""
    return Unit.objects.filter(path__startswith=prefix).order_by().values("pk")


def scope_queryset(qs: QuerySet, user, unit_field: str = "unit", public_q: Q | None = None) -> QuerySet:
    """Restrict `qs` to rows whose `unit_field` lies in the user's subtree.

    `public_q`, when given, also lets through rows that are public to everyone.
    """
    prefix = scope_path(user)
    if prefix is None:
        return qs.filter(public_q) if public_q is not None else qs.none()
    if prefix == "":
        return qs
    # `unit IN (units of the subtree)` rather than a join on the path: PostgreSQL then reads the
    # subtree's rows by their unit index instead of hashing every unit and every record
    # (a models list at nation size: 170 ms -> 17 ms).
    own = Q(**{f"{unit_field}__in": Subquery(subtree_unit_ids(prefix))})
    return qs.filter(own | public_q) if public_q is not None else qs.filter(own)


class InSubtree(Func):
    """`unit_field IN (the units under prefix)`, written for PostgreSQL as `= ANY(ARRAY(...))`:
    the units are then read first and their records probed in the unit index, where the plain
    `IN (subquery)` lets PostgreSQL misjudge a subtree's size and read a whole table's index
    (a province's drafts and returned models at nation5: 183 ms -> 49 ms). Only where no OR
    surrounds it: inside an OR the array is searched row by row."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, unit_field: str, prefix: str):
        super().__init__(F(unit_field), Subquery(subtree_unit_ids(prefix)))

    def as_sql(self, compiler, connection, **extra):
        field, units = self.get_source_expressions()
        field_sql, field_params = compiler.compile(field)
        units_sql, units_params = compiler.compile(units)
        template = "%s = ANY(ARRAY%s)" if connection.vendor == "postgresql" else "%s IN %s"
        return template % (field_sql, units_sql), (*field_params, *units_params)


def get_scoped_or_404(qs: QuerySet, user, unit_field: str = "unit", **lookup) -> Model:
    """Fetch one row of `qs` inside the user's subtree, else 404."""
    try:
        return scope_queryset(qs, user, unit_field).get(**lookup)
    except qs.model.DoesNotExist as exc:
        raise Http404 from exc


def require_role(user, *roles: str) -> None:
    if not has_role(user, *roles):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))


def require_unit(user, unit: Unit | None) -> None:
    """404 when `unit` is outside the user's subtree."""
    if not unit_in_scope(user, unit):
        raise Http404


def require(user, unit: Unit | None, *roles: str) -> None:
    """The common check: the unit is in the user's subtree (else 404) and a role is held (else 403)."""
    require_unit(user, unit)
    require_role(user, *roles)


class UnitEnded(ValidationError):
    """A unit that has ended was asked to originate a new record."""


def require_unit_open(unit: Unit | None, *, on=None) -> None:
    """A unit that ended cannot originate new records after its last day (models, pledges, plans,
    proposals): its people are told where their work now belongs. The one check every service asks."""
    if unit is None:
        return
    day = on or timezone.localdate()
    if not unit.ended_on(day):
        return
    last = formats.date_format(unit.valid_to, "d/m/Y") if unit.valid_to else "—"
    successor = unit.current_successor()
    if successor is not None and not successor.ended_on(day):
        message = _(
            "%(unit)s đã kết thúc hoạt động (ngày cuối cùng hoạt động: %(last)s) nên không thể tạo "
            "hồ sơ mới. Công việc của đơn vị nay thuộc %(successor)s: hãy làm tại đơn vị này "
            "(quản trị viên chuyển tài khoản của bạn sang đơn vị mới)."
        ) % {"unit": unit.name, "last": last, "successor": successor.name}
    else:
        message = _(
            "%(unit)s đã kết thúc hoạt động (ngày cuối cùng hoạt động: %(last)s) nên không thể tạo "
            "hồ sơ mới. Hãy liên hệ quản trị viên để được chuyển sang đơn vị đang hoạt động."
        ) % {"unit": unit.name, "last": last}
    raise UnitEnded(message, code="unit_ended")


class RoleRequiredMixin(LoginRequiredMixin):
    """Class-based views: login required, and one of `required_roles` (empty = any signed-in user)."""

    required_roles: Iterable[str] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.required_roles:
            require_role(request.user, *self.required_roles)
        return super().dispatch(request, *args, **kwargs)


# --- Signing documents of the register (documents.signatures) ---------------------------------------


def may_sign_document(user, entry) -> bool:
    """May `user` sign register line `entry` digitally? Only the person named to sign it, through
    their own account in the body's list of signers (an active one), within their subtree; an
    older line that names its signer only by name needs that name in the body's list."""
    if not (user.is_authenticated and user.is_active and unit_in_scope(user, entry.unit)):
        return False
    if entry.signer_id is not None:
        signer = entry.signer
        return signer.is_active and signer.user_id == user.pk
    from documents.models import Signer

    return bool(entry.signer_name) and Signer.objects.filter(
        user=user, is_active=True, full_name=entry.signer_name, profile__short_code=entry.body_code
    ).exists()


def may_file_signed_document(user, entry) -> bool:
    """May `user` add to register line `entry` the PDF its signer signed elsewhere? The signer, or
    the office that keeps the register (leadership, staff) of the line's unit subtree."""
    return may_sign_document(user, entry) or (unit_in_scope(user, entry.unit) and has_role(user, LEADER, STAFF))


def require_may_sign_document(user, entry, *, upload: bool = False) -> None:
    """404 outside the user's subtree, 403 for someone who may not sign (or file) this line."""
    require_unit(user, entry.unit)
    allowed = may_file_signed_document(user, entry) if upload else may_sign_document(user, entry)
    if not allowed:
        raise PermissionDenied(_("Bạn không có quyền ký số văn bản này."))


# --- Councils (Hội đồng thi đua – khen thưởng) -------------------------------------------------------
# A seat on a council, not a role of the user's unit, is what lets a person act in it: members
# come from several departments (and experts from outside) of the council's level. Rules:
# * see a council, its sessions and results: administrators, its members, and the leadership whose
#   subtree holds the council's unit; anyone else gets 404;
# * run a session (agenda, attendance, voting open/close, paper tally, minutes): its secretary or
#   chair (403 for other members);
# * prepare a session (schedule it, its agenda, its evaluators): the secretary or chair, or an
#   administrator; the council itself and its membership for a term: administrators only;
# * vote, declare a conflict: a member (present, not recused: checked by the service);
# * an appointed expert who is not a member sees the sessions they score, nothing else.

COUNCIL_RUNNERS = ("secretary", "chair")


def council_seat(user, council):
    """The user's seat (CouncilMember) on `council`, or None."""
    if not user.is_authenticated:
        return None
    cache = getattr(user, "_council_seats", None)
    if cache is None:
        cache = user._council_seats = {}
    if council.pk not in cache:
        cache[council.pk] = council.members.filter(user=user).first()
    return cache[council.pk]


def can_see_council(user, council) -> bool:
    if is_admin(user) or council_seat(user, council) is not None:
        return True
    return has_role(user, LEADER) and unit_in_scope(user, council.unit)


def require_council_view(user, council) -> None:
    """404 unless the user may see the council (see the rules above)."""
    if not can_see_council(user, council):
        raise Http404


def require_council_role(user, council, *seat_roles: str) -> None:
    """404 for a council the user may not see; 403 unless their seat has one of `seat_roles`."""
    require_council_view(user, council)
    seat = council_seat(user, council)
    if seat is None or seat.role not in seat_roles:
        raise PermissionDenied(_("Chỉ %(who)s của Hội đồng được thực hiện thao tác này.") % {
            "who": _("Thư ký hoặc Chủ tịch") if set(seat_roles) == set(COUNCIL_RUNNERS) else _("thành viên")})


def can_plan_council(user, council) -> bool:
    """An administrator, or the council's secretary or chair (for the buttons of its pages)."""
    if is_admin(user):
        return True
    seat = council_seat(user, council)
    return seat is not None and seat.role in COUNCIL_RUNNERS


def require_council_planner(user, council) -> None:
    """404 for a council the user may not see; 403 unless an administrator or its secretary or chair."""
    require_council_view(user, council)
    if not is_admin(user):
        require_council_role(user, council, *COUNCIL_RUNNERS)


def require_council_admin(user, council=None) -> None:
    """The council and its membership are kept by administrators (404 first for one not visible)."""
    if council is not None:
        require_council_view(user, council)
    if not is_admin(user):
        raise PermissionDenied(_("Chỉ quản trị hệ thống được sửa thành phần Hội đồng."))


def can_see_session(user, session) -> bool:
    """Those who see the council, and the experts appointed to score this session."""
    if can_see_council(user, session.council):
        return True
    return user.is_authenticated and session.evaluators.filter(user=user).exists()


def require_session_view(user, session) -> None:
    if not can_see_session(user, session):
        raise Http404


def councils_visible_to(user, qs: QuerySet) -> QuerySet:
    """The councils of `qs` the user may see."""
    if is_admin(user):
        return qs
    seated = Q(members__user=user)
    if has_role(user, LEADER) and scope_path(user) is not None:
        return qs.filter(seated | Q(unit__path__startswith=scope_path(user))).distinct()
    return qs.filter(seated).distinct()
