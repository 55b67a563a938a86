"""Workflow events: the one place that says who is told about each step of every workflow.

A service that takes a step calls `workflow_event_emit(kind=..., record=..., actor=...)` inside its
transaction. `ROUTES` maps the kind to the people who act next (by role, in the record's subtree,
asked through `portal/permissions.py` and the apps' declared workflows) and to the person or unit
whose record it is. Each recipient gets one notification in the portal, keyed by the event, and an
email after the transaction commits, as the person chose for that kind (immediately, in the daily
digest, or portal only; `ROUTE.action` picks the default). Anyone who could not open the record is
left out, and so is the actor.

Exactly once: the notification of (event, person) is a unique row; an emitter that may run twice (a
retried task, two beat ticks) passes `key`, and a second event with the same key is not written.
Adding a kind of event is one `Route` entry below, not a change in every service.

The table lives in the project package because it spans apps; the rows it writes (`WorkflowEvent`,
`Notification`, `NotificationPreference`, `DigestDelivery`) live in `plans`, next to the
notification centre they feed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from portal.permissions import CELL, LEADER, STAFF, UNION, is_admin, unit_in_scope
from portal.text import nfc


@dataclass
class Context:
    """What the recipient rules of one event read."""

    kind: str
    record: Model
    unit: object
    actor: object
    units: list = field(default_factory=list)
    users: list = field(default_factory=list)


Resolver = Callable[[Context], Iterable]


def _users():
    from portal.accounts.models import User

    return User.objects.filter(is_active=True)


def _scope_roots_covering(unit) -> list:
    """The unit and its ancestors, nearest first."""
    if unit is None:
        return []
    step = type(unit).steplen
    paths = [unit.path[:i] for i in range(step, len(unit.path), step)]
    return [unit, *type(unit).objects.filter(path__in=paths).order_by("-depth")]


def _acting_for(root, roles: tuple[str, ...]):
    """People holding `roles` whose subtree is rooted at `root` (their unit, or the area it oversees)."""
    return _users().filter(roles__code__in=roles).filter(
        Q(unit=root, unit__oversees__isnull=True) | Q(unit__oversees=root)
    ).distinct()


def next_actors(*roles: str, may: Callable | None = None, above: bool = False) -> Resolver:
    """The nearest people holding `roles` over the record's unit (and allowed `may(user, record)`)."""

    def resolve(ctx: Context):
        roots = _scope_roots_covering(ctx.unit)
        if above:
            roots = roots[1:]
        for root in roots:
            found = [u for u in _acting_for(root, roles) if may is None or may(u, ctx.record)]
            if found:
                return found
        return []

    return resolve


def members_of_unit(*roles: str, units: bool = False) -> Resolver:
    """People of the record's own unit (or of the units given to the emitter) holding `roles`."""

    def resolve(ctx: Context):
        targets = ctx.units if units else [ctx.unit]
        return _users().filter(unit__in=[u for u in targets if u is not None], roles__code__in=roles).distinct()

    return resolve


def leaders_of_units(ctx: Context):
    """The leadership over each unit given to the emitter (inspections, follow-ups, đôn đốc)."""
    found = []
    for unit in ctx.units:
        found += next_actors(LEADER)(Context(ctx.kind, ctx.record, unit, ctx.actor))
    return found


def given_users(ctx: Context):
    """People the emitter names (new assignees)."""
    return ctx.users


def owners(ctx: Context):
    """The person or unit whose record it is."""
    return RECORD_TYPES[_label(ctx.record)].owners(ctx.record)


def participants(ctx: Context):
    """Everyone who already wrote in the record's conversation, so a reply reaches them."""
    from plans.models import WorkflowEvent

    ids = WorkflowEvent.objects.filter(
        record_type=_label(ctx.record), record_id=ctx.record.pk, kind__endswith=".commented"
    ).values_list("actor_id", flat=True)
    return _users().filter(pk__in=list(ids))


# --- Records: where they belong, their page, who may open them, whose they are --------------------


@dataclass(frozen=True)
class RecordType:
    unit: Callable
    url: Callable
    visible: Callable
    owners: Callable = lambda record: []
    label: Callable = str


def _model_visible(user, model) -> bool:
    from models_registry.selectors import models_visible_to

    return models_visible_to(user).filter(pk=model.pk).exists()


def _model_owners(model):
    staff = _users().filter(unit_id=model.unit_id, roles__code=STAFF)
    return [*staff, *([model.created_by] if model.created_by_id else [])]


def _pledge_visible(user, pledge) -> bool:
    return pledge.person_id == user.pk or unit_in_scope(user, pledge.unit)


def _pledge_owners(pledge):
    person = pledge.person if pledge.person_id else pledge.created_by
    return [person] if person else []


def _union_or_reader(user, unit) -> bool:
    # The annual page: the unit's own union committee, Party cell or leadership (awards.pledges.views.annual).
    return is_admin(user) or (user.unit_id == unit.pk and user.has_role(UNION, CELL, LEADER))


def _award_visible(user, proposal) -> bool:
    from awards.commendations.workflow import can_see

    return can_see(user, proposal)


def _plan_visible(user, plan) -> bool:
    return unit_in_scope(user, plan.unit)


def _inspection_visible(user, inspection) -> bool:
    from plans.selectors import inspections_visible_to

    return inspections_visible_to(user).filter(pk=inspection.pk).exists()


def _session_visible(user, session) -> bool:
    from portal.permissions import can_see_session

    return can_see_session(user, session)


def _session_label(session) -> str:
    return f"{session.council} – {session.date:%d/%m/%Y}"


def _record_types() -> dict[str, RecordType]:
    return {
        "models_registry.dvkmodel": RecordType(
            unit=lambda m: m.unit, url=lambda m: reverse("models_registry:detail", args=[m.pk]),
            visible=_model_visible, owners=_model_owners,
        ),
        "awards.pledge": RecordType(
            unit=lambda p: p.unit, url=lambda p: reverse("awards:pledge_detail", args=[p.pk]),
            visible=_pledge_visible, owners=_pledge_owners,
        ),
        "awards.reviewround": RecordType(
            unit=lambda r: r.unit, url=lambda r: reverse("awards:round_detail", args=[r.pk]),
            visible=lambda user, r: unit_in_scope(user, r.unit),
        ),
        "awards.annualresult": RecordType(  # the unit's roll-up, told through one of its results
            unit=lambda r: r.unit, url=lambda r: f"{reverse('awards:annual')}?year={r.year}",
            visible=lambda user, r: _union_or_reader(user, r.unit),
        ),
        "awards.commendationproposal": RecordType(
            unit=lambda p: p.unit, url=lambda p: f"{reverse('awards:annual')}?year={p.year}",
            visible=lambda user, p: _union_or_reader(user, p.unit), label=lambda p: p.result.pledge.holder_name,
        ),
        "awards.awardproposal": RecordType(
            unit=lambda p: p.unit, url=lambda p: reverse("awards:proposal_detail", args=[p.pk]),
            visible=_award_visible, owners=lambda p: [p.created_by] if p.created_by_id else [],
        ),
        "plans.plan": RecordType(
            unit=lambda p: p.unit, url=lambda p: reverse("plans:plan_detail", args=[p.pk]),
            visible=_plan_visible, owners=lambda p: [p.created_by] if p.created_by_id else [],
        ),
        "plans.inspection": RecordType(
            unit=lambda i: i.unit, url=lambda i: reverse("plans:inspection_detail", args=[i.pk]),
            visible=_inspection_visible, owners=lambda i: [i.created_by] if i.created_by_id else [],
        ),
        "councils.session": RecordType(
            unit=lambda s: s.council.unit, url=lambda s: reverse("councils:session_detail", args=[s.pk]),
            visible=_session_visible, label=_session_label,
        ),
        "councils.agendaitem": RecordType(
            unit=lambda i: i.session.council.unit,
            url=lambda i: f"{reverse('councils:session_detail', args=[i.session_id])}#item-{i.pk}",
            visible=lambda user, i: _session_visible(user, i.session), label=lambda i: i.title,
        ),
        "units.unit": RecordType(
            unit=lambda u: u, url=lambda u: reverse("home"),
            visible=lambda user, u: unit_in_scope(user, u),
        ),
    }


class _LazyTypes(dict):
    def __missing__(self, key):
        self.update(_record_types())
        if key not in self:
            raise KeyError(f"no record type {key!r} in portal.workflow_events")
        return dict.__getitem__(self, key)


RECORD_TYPES: dict[str, RecordType] = _LazyTypes()


def _label(record: Model) -> str:
    return record._meta.label_lower


# --- The routing table -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Route:
    """Who is told about one kind of event: `action` = they must act (default: email at once)."""

    title: str
    to: tuple[Resolver, ...]
    action: bool = False
    group: str = ""


def _may_model(action: str) -> Callable:
    def may(user, model) -> bool:
        from models_registry import workflow

        return workflow.can(user, model, action)

    return may


def _round_holders(ctx: Context):
    from awards.pledges.selectors import round_pledges

    return [p.person for p in round_pledges(ctx.record) if p.person_id]


def _round_chair(ctx: Context):
    return [ctx.record.chair]


def _award_deciders(ctx: Context):
    from awards.commendations.workflow import can_decide

    proposal = ctx.record
    for root in _scope_roots_covering(proposal.decider_unit):
        found = [u for u in _acting_for(root, (CELL, LEADER)) if can_decide(u, proposal)]
        if found:
            return found
    return []


def _award_subjects(ctx: Context):
    return [s.person for s in ctx.record.subjects.select_related("person") if s.person_id]


def _council_seats(session, *roles: str) -> list:
    seats = session.council.members.select_related("user")
    return [m.user for m in (seats.filter(role__in=roles) if roles else seats)]


def _session_members(ctx: Context):
    return _council_seats(ctx.record)


def _item_present_members(ctx: Context):
    """The members present and not recused: those who may vote on the item."""
    from councils.selectors import electorate

    return [m.user for m in electorate(ctx.record).present]


def _session_chair(ctx: Context):
    return _council_seats(ctx.record, "chair")


def _item_secretary(ctx: Context):
    return _council_seats(ctx.record.session, "secretary")


G_MODELS = _("Mô hình “Dân vận khéo”")
G_AWARDS = _("Thi đua, đánh giá, khen thưởng")
G_PLANS = _("Kế hoạch, kiểm tra")
G_COUNCILS = _("Hội đồng thi đua – khen thưởng")

ROUTES: dict[str, Route] = {
    # Models
    "model.submitted": Route(_("Mô hình “%(record)s” được gửi đăng ký, chờ duyệt"),
                             (next_actors(LEADER, may=_may_model("approve")),), action=True, group=G_MODELS),
    "model.commented": Route(_("%(actor)s góp ý mô hình “%(record)s”"), (owners, participants), group=G_MODELS),
    "model.approved": Route(_("Mô hình “%(record)s” được duyệt đăng ký"), (owners,), group=G_MODELS),
    "model.returned": Route(_("Mô hình “%(record)s” được trả lại để sửa"), (owners,), action=True, group=G_MODELS),
    "model.reported": Route(_("Mô hình “%(record)s” có báo cáo tiến độ mới"), (next_actors(LEADER),), group=G_MODELS),
    "model.evaluated": Route(_("Mô hình “%(record)s” được đánh giá cuối năm, chờ công nhận"),
                             (next_actors(LEADER, may=_may_model("recognise")),), action=True, group=G_MODELS),
    "model.recognised": Route(_("Mô hình “%(record)s” được công nhận"), (owners, next_actors(LEADER)),
                              group=G_MODELS),
    "model.replicated": Route(_("Mô hình “%(record)s” được đơn vị khác nhân rộng"), (owners,), group=G_MODELS),
    "model.extension_requested": Route(_("Đề nghị gia hạn nộp mô hình “%(record)s”"),
                                       (next_actors(LEADER),), action=True, group=G_MODELS),
    "model.extension_decided": Route(_("Đề nghị gia hạn mô hình “%(record)s” đã được xem xét"), (owners,),
                                     action=True, group=G_MODELS),
    # Pledges, rounds, praise, the annual roll-up, proposals
    "pledge.submitted": Route(_("Bản đăng ký thi đua của %(record)s chờ tiếp nhận"),
                              (members_of_unit(UNION),), action=True, group=G_AWARDS),
    "pledge.accepted": Route(_("Bản đăng ký thi đua của %(record)s được tiếp nhận"), (owners,), group=G_AWARDS),
    "pledge.returned": Route(_("Bản đăng ký thi đua của %(record)s được trả lại để bổ sung"), (owners,),
                             action=True, group=G_AWARDS),
    "pledge.commented": Route(_("%(actor)s trao đổi về bản đăng ký của %(record)s"),
                              (owners, participants, members_of_unit(UNION)), group=G_AWARDS),
    "round.opened": Route(_("Mở đợt đánh giá %(record)s: tự đánh giá và chấm điểm"),
                          (_round_holders, members_of_unit(UNION)), action=True, group=G_AWARDS),
    "round.scores_submitted": Route(_("%(actor)s đã nộp kết quả chấm đợt %(record)s"), (_round_chair,),
                                    group=G_AWARDS),
    "round.closed": Route(_("Đợt đánh giá %(record)s đã kết thúc"), (_round_holders, members_of_unit(CELL)),
                          group=G_AWARDS),
    "praise.selected": Route(_("Đồng chí được biểu dương: %(record)s"), (owners,), group=G_AWARDS),
    "annual.computed": Route(_("Đã tổng hợp kết quả thi đua cả năm của %(unit)s"),
                             (members_of_unit(CELL, LEADER, UNION),), group=G_AWARDS),
    "proposal.created": Route(_("BCH Công đoàn đề xuất khen thưởng: %(record)s"), (members_of_unit(CELL),),
                              action=True, group=G_AWARDS),
    "proposal.withdrawn": Route(_("BCH Công đoàn rút đề xuất khen thưởng: %(record)s"),
                                (members_of_unit(CELL),), group=G_AWARDS),
    "award.submitted": Route(_("Đề nghị khen thưởng “%(record)s” chờ quyết định"), (_award_deciders,),
                             action=True, group=G_AWARDS),
    "award.commented": Route(_("%(actor)s trao đổi về đề nghị khen thưởng “%(record)s”"),
                             (owners, participants, _award_deciders), group=G_AWARDS),
    "award.decided": Route(_("Đã có quyết định khen thưởng: %(record)s"), (owners, _award_subjects),
                           group=G_AWARDS),
    "award.revoked": Route(_("Thu hồi khen thưởng: %(record)s"), (owners, given_users), group=G_AWARDS),
    # Councils: the people of a session are its seats (and appointed experts), not roles of a unit.
    "council.session_scheduled": Route(_("Lịch họp %(record)s"), (_session_members,), action=True,
                                       group=G_COUNCILS),
    "council.voting_opened": Route(_("Mở bỏ phiếu kín: %(record)s"), (_item_present_members,), action=True,
                                   group=G_COUNCILS),
    "council.evaluation_assigned": Route(_("Đồng chí được phân công chấm điểm mô hình: %(record)s"),
                                         (given_users,), action=True, group=G_COUNCILS),
    # Told on the proposer's own record (their model, their proposal), with the tally as comment.
    "council.item_closed": Route(_("Kết quả xét của Hội đồng thi đua – khen thưởng: %(record)s"), (owners,),
                                 group=G_COUNCILS),
    "council.minutes_issued": Route(_("Biên bản họp %(record)s chờ Chủ tịch Hội đồng ký"), (_session_chair,),
                                    action=True, group=G_COUNCILS),
    # Citizens' comments wait for moderation before the vote; a day's worth reads well in the digest.
    "council.feedback_received": Route(_("Ý kiến nhân dân mới chờ duyệt: %(record)s"), (_item_secretary,),
                                       group=G_COUNCILS),
    # Plans and inspections
    "plan_item.assigned": Route(_("Đồng chí được giao: %(record)s"), (given_users,), action=True, group=G_PLANS),
    "plan_item.updated": Route(_("Cập nhật tiến độ: %(record)s"), (owners, next_actors(LEADER)), group=G_PLANS),
    "inspection.created": Route(_("Đơn vị được kiểm tra: %(record)s"), (leaders_of_units,), action=True,
                                group=G_PLANS),
    "follow_up.assigned": Route(_("Nội dung cần khắc phục sau kiểm tra: %(record)s"), (given_users,),
                                action=True, group=G_PLANS),
    # Đôn đốc: a higher level urges units (and their leadership) to act.
    "unit.urged": Route(_("Đôn đốc: %(record)s"), (leaders_of_units, members_of_unit(STAFF, units=True)),
                        action=True, group=G_PLANS),
}


def default_delivery(kind: str) -> str:
    """Action needed → an email at once; information → the daily digest."""
    from plans.models import Delivery

    return Delivery.IMMEDIATE if ROUTES[kind].action else Delivery.DIGEST


def recipients(ctx: Context, route: Route, record_type: RecordType) -> list:
    """The people `route` names, without the actor and anyone who could not open the record."""
    seen: dict[int, object] = {}
    for resolve in route.to:
        for user in resolve(ctx) or []:
            if user is None or user.pk in seen or not user.is_active:
                continue
            if ctx.actor is not None and user.pk == ctx.actor.pk:
                continue
            seen[user.pk] = user
    return [u for u in seen.values() if record_type.visible(u, ctx.record)]


def workflow_event_emit(*, kind: str, record: Model, actor=None, units: Iterable = (), users: Iterable = (),
                        comment: str = "", key: str | None = None, url: str | None = None,
                        title: str | None = None):
    """Record one workflow step and tell the people `ROUTES[kind]` names; call it inside the
    service's transaction. Returns the event, or None when `key` was already emitted."""
    from plans.models import Delivery, Notification, NotificationPreference, WorkflowEvent
    from plans.services import queue_email

    route = ROUTES[kind]
    record_type = RECORD_TYPES[_label(record)]
    unit = record_type.unit(record)
    ctx = Context(kind=kind, record=record, unit=unit, actor=actor, units=list(units), users=list(users))
    with override("vi"):
        text = title or str(route.title) % {
            "record": record_type.label(record), "actor": actor or "", "unit": unit or "",
        }
    try:
        with transaction.atomic():
            event = WorkflowEvent.objects.create(
                kind=kind, record_type=_label(record), record_id=record.pk, unit=unit, actor=actor,
                comment=nfc(comment).strip(), url=url or record_type.url(record), title=nfc(text)[:300], key=key,
            )
    except IntegrityError:
        if key is None:
            raise
        return None
    people = recipients(ctx, route, record_type)
    chosen = dict(
        NotificationPreference.objects.filter(user__in=people, kind=kind).values_list("user_id", "delivery")
    )
    status = {
        Delivery.IMMEDIATE: Notification.Email.PENDING,
        Delivery.DIGEST: Notification.Email.DIGEST,
        Delivery.PORTAL: Notification.Email.PORTAL_ONLY,
    }
    for person in people:
        delivery = chosen.get(person.pk, default_delivery(kind))
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    user=person, title=event.title, body=event.comment, url=event.url, kind=kind, event=event,
                    key=f"event:{event.pk}", email_status=status[delivery], created_at=event.at,
                )
        except IntegrityError:
            continue
        if delivery == Delivery.IMMEDIATE:
            queue_email(notification.pk)
    return event
