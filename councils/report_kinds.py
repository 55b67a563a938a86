"""The council's minutes (biên bản) as a document kind of the documents domain: numbered in the
register at issue (`services.minutes_issue` → documents.services.document_issue), PDF and DOCX."""

from __future__ import annotations

from documents import builders
from documents.reporting import ReportKind, register

from . import selectors
from .models import AgendaItem, Attendance, CouncilMember, Session

KIND = "council-minutes"


def _may(user, unit) -> bool:
    from portal import permissions as perms

    return perms.unit_in_scope(user, unit) or user.council_seats.filter(council__unit=unit).exists()


def _may_issue(user, unit) -> bool:
    """The minutes are issued by the council's secretary or chair (who sign them), whatever their role."""
    from portal import permissions as perms

    return user.council_seats.filter(council__unit=unit, role__in=perms.COUNCIL_RUNNERS).exists()


# pragma: no mutate block (`make mutate` mutates the rules above, not the minutes below)
def minutes_context(session: Session) -> dict:
    """Everything the minutes say: attendance, quorum, conflicts, each item's scores or tally and
    conclusion, and the summary of public feedback."""
    council = session.council
    members = selectors.members_of(council)
    present = {a.member_id: a for a in Attendance.objects.filter(session=session)}
    by_role = {role: [m for m in members if m.role == role] for role in CouncilMember.Role.values}
    items = []
    for item in session.items.select_related("model", "subject").prefetch_related("conflicts__user"):
        consultation = getattr(item, "consultation", None)
        items.append({
            "item": item,
            "conflicts": list(item.conflicts.all()),
            "consultation": consultation,
            "feedback": selectors.feedback_summary(consultation) if consultation else None,
        })
    n_present = sum(1 for m in members if present.get(m.pk) and present[m.pk].present)
    return {
        "session": session, "council": council, "members": members,
        "present": [m for m in members if present.get(m.pk) and present[m.pk].present],
        "absent": [m for m in members if not (present.get(m.pk) and present[m.pk].present)],
        "n_present": n_present, "quorum_met": council.quorum_met(n_present, len(members)),
        "items": items, "chair": (by_role["chair"] or [None])[0], "secretary": (by_role["secretary"] or [None])[0],
        "Outcome": AgendaItem.Outcome,
    }


def build_council_minutes(params: dict, progress) -> builders.BuiltReport:
    session = Session.objects.select_related("council__unit").get(pk=params["session_id"])
    context = minutes_context(session)
    progress(40)
    chair = context["chair"]
    header = builders._header(session.council.unit, kind=KIND, params=params, date=session.date, doc_type="BB",
                              doc_kind="Biên bản", signer_title="Chủ tịch Hội đồng",
                              title=f"họp {session.council.name}", subtitle=f"phiên họp ngày {session.date:%d/%m/%Y}")
    # Signed by the chair (the block at the foot) and the secretary (beside it, in the body).
    header.update(signer_lines=["T/M HỘI ĐỒNG", "CHỦ TỊCH"], signer_name=chair.user.full_name if chair else "")
    built = builders._build("pdf/council_minutes.html", {**header, **context},
                            f"bien-ban-hoi-dong-{session.date:%Y%m%d}-{session.pk}.pdf", params)
    progress(95)
    return built


register(ReportKind(code=KIND, label="Biên bản họp Hội đồng thi đua – khen thưởng", build=build_council_minutes,
                    description="Thành phần, số có mặt, xung đột lợi ích, kết quả từng nội dung.", allowed=_may,
                    issuers=_may_issue,
                    doc_type="BB", cli_params=lambda unit, year: {"session_id": Session.objects.filter(
                        council__unit=unit, date__year=year).values_list("pk", flat=True).first()}))
