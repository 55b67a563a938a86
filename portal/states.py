"""One colour scale for every workflow state in the portal.

Each state of each declared workflow (models, pledges, review rounds, commendations, councils,
documents, plans) maps to one of six tones, and each tone to one Bootstrap badge style. A page never
picks a colour for a state itself: it calls `{% state_badge obj %}` (portal_tags), which reads the
row's state field and this table. `tests/portal/test_states.py` checks that every choice of every
state field listed here has a tone, so a new state cannot ship without one.
"""

from __future__ import annotations

NEUTRAL = "neutral"  # not started, nobody has to act yet (drafts)
WAITING = "waiting"  # someone else has to act (submitted, pending)
ATTENTION = "attention"  # someone has to fix something (returned, refused, failed)
ACTIVE = "active"  # under way (registered, open, in progress)
DONE = "done"  # reached its goal (recognised, accepted, issued, done)
ENDED = "ended"  # stopped without effect (cancelled, withdrawn, revoked)

TONE_CLASSES = {
    NEUTRAL: "text-bg-secondary",
    WAITING: "text-bg-warning",
    ATTENTION: "text-bg-danger",
    ACTIVE: "text-bg-primary",
    DONE: "text-bg-success",
    ENDED: "text-bg-light border",
}

# "app_label.ModelName" -> (state field, {state value: tone}).
STATE_TONES: dict[str, tuple[str, dict[str, str]]] = {
    "models_registry.DvkModel": ("state", {
        "draft": NEUTRAL, "submitted": WAITING, "returned": ATTENTION,
        "registered": ACTIVE, "evaluated": ACTIVE, "recognised": DONE,
    }),
    "models_registry.ExtensionRequest": ("status", {"pending": WAITING, "granted": DONE, "refused": ATTENTION}),
    "awards.Pledge": ("status", {"draft": NEUTRAL, "submitted": WAITING, "returned": ATTENTION, "accepted": DONE}),
    "awards.ReviewRound": ("status", {"draft": NEUTRAL, "open": ACTIVE, "closed": DONE}),
    "awards.CommendationProposal": ("status", {"proposed": WAITING, "withdrawn": ENDED}),
    "awards.AwardProposal": ("status", {"draft": NEUTRAL, "submitted": WAITING, "decided": DONE}),
    "awards.AwardSubject": ("status", {
        "proposed": WAITING, "approved": DONE, "rejected": ATTENTION, "revoked": ENDED,
    }),
    "councils.Session": ("status", {"planned": NEUTRAL, "open": ACTIVE, "closed": DONE}),
    "councils.AgendaItem": ("status", {"pending": NEUTRAL, "voting": ACTIVE, "closed": DONE}),
    "councils.Feedback": ("status", {"pending": WAITING, "approved": DONE, "rejected": ATTENTION}),
    "documents.OutgoingDocument": ("status", {"issued": DONE, "revoked": ENDED}),
    "plans.PlanItem": ("status", {
        "not_started": NEUTRAL, "in_progress": ACTIVE, "done": DONE, "cancelled": ENDED,
    }),
    "plans.FollowUp": ("status", {"open": ATTENTION, "done": DONE}),
    "portal.ReportRequest": ("status", {"queued": WAITING, "running": ACTIVE, "done": DONE, "failed": ATTENTION}),
    "portal.ImportBatch": ("status", {"pending": WAITING, "done": DONE, "cancelled": ENDED}),
}


def state_of(obj, field: str | None = None) -> tuple[str, str, str]:
    """(value, label, tone) of a row's workflow state; unknown rows or states read as neutral."""
    key = f"{obj._meta.app_label}.{obj._meta.object_name}"
    declared_field, tones = STATE_TONES.get(key, (field or "status", {}))
    field = field or declared_field
    value = getattr(obj, field, "") or ""
    getter = getattr(obj, f"get_{field}_display", None)
    label = getter() if getter else value
    return value, label, tones.get(value, NEUTRAL)


def tone_class(tone: str) -> str:
    """The badge classes of a tone (for badges that show a state by value, without a row)."""
    return TONE_CLASSES.get(tone, TONE_CLASSES[NEUTRAL])
