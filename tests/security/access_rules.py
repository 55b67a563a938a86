"""Who may reach every named URL of the portal: THE access table of the security tests.

Every named pattern of the URL configuration must have exactly one entry here (or fall under an
explicit exclusion with its reason); tests/security/test_access_matrix.py fails on a pattern
without one, naming it, and on an entry whose pattern no longer exists.

Reading an entry
    R(name, method, anon, own, foreign=None, **kwargs)
    - method: "GET" for pages (forms included); "POST" for POST-only endpoints (their GET is checked
      separately: `get=` says what a GET answers, 405 by default).
    - anon: what an anonymous visitor gets: L (redirect to the login page), or a status code.
    - own: five answers, for admin canbo congdoan chiuy lanhdao in that order, on the object made in
      the user's own subtree (district H01; the administrator sits at the province above it).
    - foreign: the same five on the object made in the foreign subtree (district H02); None for
      URLs that take no subtree object.
    - kwargs: how to fill the URL: "model" -> world.<side>["model"].pk, "feed.token" -> an attribute,
      "=units" -> a literal.
    Answers: "200", "302" (a redirect that is not to the login page), L, "403", "404", "405".
    A POST by a principal whose answer is L/403/404/405 must also change no row.

POST-only endpoints are sent a VALID body (BODIES below, built per endpoint from the real form and
the view's expectations, for the side's own objects), so a cell tells a permitted role from a refused
one instead of every role meeting the same validation error. Their answers say whether rows changed:
"302+" (or "200+") is an accepted request that wrote; "302" alone a redirect that wrote nothing (the
service refused, e.g. nothing to do for that user). A refused POST ("403", "404", L) must not write:
"403+" would be a failure.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

LOGIN = "L"
L = LOGIN
ROLE_ORDER = ("admin", "canbo", "congdoan", "chiuy", "lanhdao")


@dataclass(frozen=True)
class Rule:
    name: str
    method: str
    anon: str
    own: tuple[str, ...]
    foreign: tuple[str, ...] | None
    kwargs: dict = field(default_factory=dict)
    get: str = "405"
    side: str = "own"  # "shared" for objects that belong to no subtree (a phase, an import batch)


def R(url_name: str, method: str, anon: str, own: str, foreign: str | None = None, /, *, get: str = "405",
      shared: bool = False, **kwargs) -> Rule:
    assert method == "POST" or "+" not in own + (foreign or ""), url_name  # "+" is for POST answers
    own_t = tuple(own.split())
    foreign_t = tuple(foreign.split()) if foreign is not None else None
    assert len(own_t) == 5 and (foreign_t is None or len(foreign_t) == 5), url_name
    return Rule(url_name, method, anon, own_t, foreign_t, kwargs, get, "shared" if shared else "own")


# Patterns that are not exercised, each with its reason. A trailing "*" covers a whole namespace.
EXCLUDED = {
    "admin:*": "Django's own admin site (/django-admin/): staff-only by Django's admin_view, "
               "not part of the portal's permission layer; its access is Django's.",
    "<unnamed> django-admin/*": "unnamed object redirects of Django's admin site (see admin:*).",
    "set_language": "Django's i18n set_language: sets a cookie for anyone, touches no record.",
    "logout": "POST-only Django LogoutView; logging out ends the session of the shared test client.",
}

#                                                             admin canbo congdoan chiuy lanhdao
RULES: list[Rule] = [
    # --- portal: home, health, sign-in --------------------------------------------------------------
    R("home", "GET", L, "200 200 200 200 200"),
    R("healthz", "GET", "200", "200 200 200 200 200"),
    R("needs_me", "GET", L, "200 200 200 200 200"),
    R("search", "GET", L, "200 200 200 200 200"),
    R("login", "GET", "200", "302 302 302 302 302"),
    R("password_reset", "GET", "200", "200 200 200 200 200"),
    R("password_reset_done", "GET", "200", "200 200 200 200 200"),
    R("password_reset_confirm", "GET", "200", "200 200 200 200 200", uidb64="=MQ", token="=abc-def"),
    R("password_reset_complete", "GET", "200", "200 200 200 200 200"),
    # --- accounts --------------------------------------------------------------------------------------
    R("accounts:profile", "GET", L, "200 200 200 200 200"),
    R("accounts:otp_verify", "GET", L, "200 200 200 200 200"),
    # an unknown enrolment token: back to the verification page with a message
    R("accounts:otp_enrol", "GET", L, "302 302 302 302 302", token="=abcdefabcdef"),
    R("accounts:user_2fa_reset", "POST", L, "200+ 403 403 403 403", "200+ 403 403 403 403", pk="user"),
    R("accounts:password_change", "GET", L, "200 200 200 200 200"),
    R("accounts:user_list", "GET", L, "200 403 403 403 403"),
    R("accounts:user_create", "GET", L, "200 403 403 403 403"),
    R("accounts:user_export", "GET", L, "200 403 403 403 403"),
    R("accounts:user_detail", "GET", L, "200 403 403 403 403", "200 403 403 403 403", pk="user"),
    R("accounts:user_edit", "GET", L, "200 403 403 403 403", "200 403 403 403 403", pk="user"),
    R("accounts:user_set_password", "GET", L, "200 403 403 403 403", "200 403 403 403 403", pk="user"),
    R("accounts:user_deactivate", "GET", L, "200 403 403 403 403", "200 403 403 403 403", pk="user"),
    # --- units and phases ------------------------------------------------------------------------------
    R("units:list", "GET", L, "200 200 200 200 200"),
    R("units:create", "GET", L, "200 403 403 403 403"),
    R("units:merge", "GET", L, "200 403 403 403 403"),
    R("units:export", "GET", L, "200 403 403 403 403"),
    R("units:phases", "GET", L, "200 403 403 403 403"),
    R("units:phase_create", "GET", L, "200 403 403 403 403"),
    R("units:phase_edit", "GET", L, "200 403 403 403 403", shared=True, pk="phase"),
    R("units:detail", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="unit"),
    R("units:edit", "GET", L, "200 403 403 403 403", "200 403 403 403 403", pk="unit"),
    R("units:move", "GET", L, "200 403 403 403 403", "200 403 403 403 403", pk="unit"),
    R("units:deactivate", "GET", L, "200 403 403 403 403", "200 403 403 403 403", pk="unit"),
    R("units:pick", "GET", L, "200 200 200 200 200"),
    R("units:members_move", "GET", L, "200 403 403 403 403"),
    R("units:change_cancel", "POST", L, "404 403 403 403 403", pk="=999999"),
    # --- imports (administrators) ----------------------------------------------------------------------
    R("imports:upload", "GET", L, "200 403 403 403 403", kind="=units"),
    R("imports:template", "GET", L, "200 403 403 403 403", kind="=units"),
    R("imports:preview", "GET", L, "200 403 403 403 403", shared=True, pk="batch"),
    # --- reports in the background ---------------------------------------------------------------------
    R("reports:list", "GET", L, "200 200 200 200 200"),
    R("reports:new", "POST", L, "302+ 302+ 302+ 302+ 302+", kind="=unit-list"),
    R("reports:detail", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="report"),
    R("reports:status", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="report"),
    R("reports:download", "GET", L, "404 404 404 404 404", "404 404 404 404 404", pk="report"),
    R("reports:retry", "POST", L, "302+ 302+ 302+ 302+ 302+", "302+ 404 404 404 404", pk="report"),
    # the report is a failed request: nothing to download as DOCX, nothing to issue
    R("reports:download_docx", "GET", L, "404 404 404 404 404", "404 404 404 404 404", pk="report"),
    R("reports:issue", "GET", L, "404 404 404 404 404", "404 404 404 404 404", pk="report"),
    # documents: the register of outgoing documents (a line entered by hand: no file to download)
    R("documents:register", "GET", L, "200 200 200 200 200"),
    R("documents:entry_new", "GET", L, "200 200 403 403 200"),
    R("documents:entry", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="entry"),
    R("documents:download", "GET", L, "404 404 404 404 404", "404 404 404 404 404", pk="entry", fmt="=pdf"),
    # signing: only the line's named signer (none for a hand-entered line); filing a signed PDF: the
    # signer or the office (leadership, staff), and only for a line the portal issued (404 otherwise)
    R("documents:sign", "GET", L, "403 403 403 403 403", "403 404 404 404 404", pk="entry"),
    R("documents:upload_signed", "GET", L, "404 404 403 403 404", "404 404 404 404 404", pk="entry"),
    R("documents:download_signed", "GET", L, "404 404 404 404 404", "404 404 404 404 404", pk="entry"),
    # --- models_registry ---------------------------------------------------------------------------------
    R("models_registry:list", "GET", L, "200 200 200 200 200"),
    R("models_registry:export", "GET", L, "200 200 200 200 200"),
    R("models_registry:bulk", "POST", L, "302+ 403 403 403 302+"),
    R("models_registry:create", "GET", L, "200 200 403 403 403"),
    R("models_registry:similar", "GET", L, "200 200 200 200 200"),
    R("models_registry:stats", "GET", L, "200 403 403 200 200"),
    R("models_registry:coverage", "GET", L, "200 403 403 200 200"),
    R("models_registry:coverage_gaps", "GET", L, "200 403 403 200 200"),
    R("models_registry:coverage_followup", "POST", L, "302+ 403 403 403 302+"),
    R("models_registry:spread", "GET", L, "200 403 403 200 200"),
    R("models_registry:deadlines", "GET", L, "200 403 403 403 200"),
    R("models_registry:attachment", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="attachment"),
    R("models_registry:attachment_thumb", "GET", L, "200 200 200 200 200", "200 200 200 200 200", pk="photo"),
    R("models_registry:detail", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="model"),
    R("models_registry:edit", "GET", L, "200 200 403 403 403", "200 404 404 404 404", pk="model"),
    R("models_registry:evaluate", "GET", L, "200 200 403 403 200", "200 404 404 404 404", pk="model_registered"),
    R("models_registry:report_create", "GET", L, "200 200 403 403 403", "200 404 404 404 404", pk="model_registered"),
    R("models_registry:transition", "GET", L, "200 200 403 403 200", "200 404 404 404 404", pk="model", action="=submit"),
    R("models_registry:report_edit", "GET", L, "200 200 403 403 403", "200 404 404 404 404", pk="progress_report"),
    R("models_registry:delete", "GET", L, "200 200 403 403 403", "200 404 404 404 404", pk="model"),
    # The world's phase ends in 2025: staff are let through, the service finds no phase for 2026.
    R("models_registry:continue", "POST", L, "403 302 403 403 403", "403 404 404 404 404", pk="model_registered"),
    R("models_registry:extension_request", "GET", L, "200 200 403 403 403", "200 404 404 404 404", pk="model"),
    R("models_registry:extension_decide", "GET", L, "200 403 403 403 200", "200 404 404 404 404", pk="extension"),
    # --- public showcase ---------------------------------------------------------------------------------
    R("showcase:list", "GET", "200", "200 200 200 200 200"),
    R("showcase:photo", "GET", "200", "200 200 200 200 200", "200 200 200 200 200", pk="photo"),
    R("showcase:photo_thumb", "GET", "200", "200 200 200 200 200", "200 200 200 200 200", pk="photo"),
    R("showcase:detail", "GET", "200", "200 200 200 200 200", "200 200 200 200 200", key="model_public.slug"),
    # --- awards: pledges, rounds, scoring ----------------------------------------------------------------
    R("awards:index", "GET", L, "200 200 200 200 200"),
    R("awards:pledge_list", "GET", L, "200 200 200 200 200"),
    R("awards:pledge_create", "GET", L, "200 200 200 200 200"),
    R("awards:unregistered", "GET", L, "200 403 200 403 403"),
    R("awards:pledge_detail", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="pledge"),
    R("awards:pledge_edit", "GET", L, "403 200 403 403 403", "403 404 404 404 404", pk="pledge"),
    R("awards:pledge_submit", "POST", L, "403 302+ 403 403 403", "403 404 404 404 404", pk="pledge"),
    R("awards:pledge_decide", "POST", L, "302+ 403 302+ 403 403", "302+ 404 404 404 404", pk="pledge_submitted"),
    R("awards:pledge_comment", "POST", L, "302+ 302+ 302+ 302+ 302+", "302+ 404 404 404 404", pk="pledge"),
    R("awards:round_list", "GET", L, "200 200 200 200 200"),
    R("awards:round_create", "GET", L, "200 403 200 403 403"),
    R("awards:round_detail", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="round"),
    R("awards:rubric_edit", "GET", L, "302 403 302 403 403", "302 404 404 404 404", pk="round"),
    # Opening and closing a round: the union committee of the round's unit only (as rubric_edit).
    R("awards:round_open", "GET", L, "200 403 200 403 403", "200 404 404 404 404", pk="round"),
    R("awards:round_close", "GET", L, "200 403 200 403 403", "200 404 404 404 404", pk="round"),
    # Only the pledge holder (here the leader) writes their self-assessment.
    R("awards:self_assessment", "GET", L, "403 403 403 403 200", "403 404 404 404 404", pk="round", pledge_pk="pledge_accepted"),
    R("awards:score_grid", "GET", L, "403 403 200 403 403", "403 404 404 404 404", pk="round"),
    # Only the committee members of the round's unit score (not even an administrator).
    R("awards:score_save", "POST", L, "403 403 200+ 403 403", "403 404 404 404 404", pk="round"),
    R("awards:score_submit", "POST", L, "403 403 302+ 403 403", "403 404 404 404 404", pk="round"),
    R("awards:conflict_declare", "POST", L, "403 403 302+ 403 403", "403 404 404 404 404", pk="round"),
    R("awards:round_results", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="round"),
    R("awards:praise", "POST", L, "302+ 403 302+ 403 403", "302+ 404 404 404 404", pk="round"),
    R("awards:results_xlsx", "GET", L, "200 403 403 403 403", "200 404 404 404 404", pk="round"),
    R("awards:annual", "GET", L, "200 403 200 200 200"),
    R("awards:content_list", "GET", L, "200 403 403 403 403"),
    R("awards:content_create", "GET", L, "200 403 403 403 403"),
    R("awards:content_edit", "GET", L, "200 403 403 403 403", shared=True, pk="content"),
    # --- awards: commendations ---------------------------------------------------------------------------
    R("awards:dashboard_1510", "GET", L, "200 403 200 200 200"),
    R("awards:report_1510", "POST", L, "302+ 403 302+ 302+ 302+"),
    R("awards:proposal_list", "GET", L, "200 403 200 200 200"),
    R("awards:proposal_create", "GET", L, "200 403 200 200 200"),
    # The administrator may, but has no union proposals at the province: nothing is written.
    R("awards:proposal_receive", "POST", L, "302 403 403 302+ 403"),
    R("awards:proposal_detail", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="proposal"),
    # Only the proposing body (here the leadership that drew the proposal up) edits it.
    R("awards:subject_add", "POST", L, "302+ 403 403 403 302+", "302+ 404 404 404 404", pk="proposal"),
    R("awards:subject_remove", "POST", L, "302+ 403 403 403 302+", "302+ 404 404 404 404", pk="proposal", subject_pk="subject"),
    R("awards:subject_revoke", "GET", L, "200 403 403 403 403", "200 404 404 404 404", pk="decided_proposal",
      subject_pk="decided_subject"),
    R("awards:proposal_submit", "POST", L, "302+ 403 403 403 302+", "302+ 404 404 404 404", pk="proposal"),
    # The union committee's submitted proposal: decided by the Party cell of the same unit.
    R("awards:proposal_decide", "POST", L, "302+ 403 403 302+ 403", "302+ 404 404 404 404", pk="union_proposal"),
    R("awards:decision_report", "POST", L, "302+ 404 302+ 302+ 302+", "302+ 404 404 404 404", pk="decided_proposal", kind="=decision"),
    R("awards:proposal_comment", "POST", L, "302+ 403 302+ 302+ 302+", "302+ 404 404 404 404", pk="proposal"),
    # --- public verification -----------------------------------------------------------------------------
    R("verify:code", "GET", "200", "200 200 200 200 200", "200 200 200 200 200", code="decided_subject.code"),
    # --- councils: a seat, not a unit role, lets one act; leadership of the subtree and admins look ---------
    R("councils:index", "GET", L, "200 200 200 200 200"),
    R("councils:council_detail", "GET", L, "200 404 404 404 200", "200 404 404 404 404", pk="council"),
    R("councils:session_detail", "GET", L, "200 404 404 404 200", "200 404 404 404 404", pk="session"),
    R("councils:session_open", "POST", L, "403 404 404 404 403", "403 404 404 404 404", pk="session"),
    R("councils:attendance", "POST", L, "403 404 404 404 403", "403 404 404 404 404", pk="session"),
    R("councils:minutes_issue", "POST", L, "403 404 404 404 403", "403 404 404 404 404", pk="session"),
    R("councils:draft_decision", "GET", L, "200 404 404 404 200", "200 404 404 404 404", pk="session"),
    R("councils:evaluation_grid", "GET", L, "403 404 404 404 403", "403 404 404 404 404", pk="session"),
    R("councils:evaluation_save", "POST", L, "403 404 404 404 403", "403 404 404 404 404", pk="session"),
    R("councils:evaluation_submit", "POST", L, "403 404 404 404 403", "403 404 404 404 404", pk="session"),
    R("councils:evaluation_results", "GET", L, "200 404 404 404 200", "200 404 404 404 404", pk="session"),
    R("councils:evaluation_item", "POST", L, "403 404 404 404 403", "403 404 404 404 404", pk="council_item",
      action="=post"),
    R("councils:item_action", "POST", L, "403 404 404 404 403", "403 404 404 404 404", pk="council_item",
      action="=open"),
    # Preparing: the council and its membership are the administrators'; sessions, agenda and
    # evaluators the secretary's or chair's (no principal's seat) or an administrator's.
    R("councils:council_create", "GET", L, "200 403 403 403 403"),
    R("councils:council_update", "GET", L, "200 404 404 404 403", "200 404 404 404 404", pk="council"),
    R("councils:member_add", "GET", L, "200 404 404 404 403", "200 404 404 404 404", pk="council"),
    R("councils:member_update", "GET", L, "200 404 404 404 403", "200 404 404 404 404", seat_pk="council_seat"),
    R("councils:member_delete", "GET", L, "200 404 404 404 403", "200 404 404 404 404", seat_pk="council_seat"),
    R("councils:session_create", "GET", L, "200 404 404 404 403", "200 404 404 404 404", pk="council"),
    R("councils:session_delete", "GET", L, "200 404 404 404 403", "200 404 404 404 404", pk="session"),
    R("councils:item_add", "GET", L, "200 404 404 404 403", "200 404 404 404 404", pk="session"),
    R("councils:item_remove", "GET", L, "200 404 404 404 403", "200 404 404 404 404", pk="council_item"),
    R("councils:evaluators", "GET", L, "200 404 404 404 403", "200 404 404 404 404", pk="session"),
    R("councils:evaluator_remove", "GET", L, "200 404 404 404 403", "200 404 404 404 404", pk="evaluator"),
    # The decision on the union's proposal the council passed: its decider (the Party cell, who does
    # not see the council's pages, or an administrator); the leadership looks but does not decide it.
    R("councils:decision_issue", "POST", L, "302+ 404 404 404 403", "302+ 404 404 404 404", pk="session",
      proposal_pk="union_proposal"),
    # Public consultation: anyone reads; a comment outside the publication period is refused (400).
    R("councils_public:consultations", "GET", "200", "200 200 200 200 200"),
    R("councils_public:feedback", "POST", "400", "400 400 400 400 400", "400 400 400 400 400", pk="consultation"),
    # --- plans ---------------------------------------------------------------------------------------------
    R("plans:plan_list", "GET", L, "200 200 200 200 200"),
    # Plans are written by staff and leadership; the committees read them.
    R("plans:plan_create", "GET", L, "200 200 403 403 200"),
    R("plans:plan_detail", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="plan"),
    R("plans:plan_update", "GET", L, "200 200 403 403 200", "200 404 404 404 404", pk="plan"),
    R("plans:plan_delete", "GET", L, "200 200 403 403 200", "200 404 404 404 404", pk="plan"),
    R("plans:item_create", "GET", L, "200 200 403 403 200", "200 404 404 404 404", plan_pk="plan"),
    R("plans:item_update", "GET", L, "200 200 403 403 200", "200 404 404 404 404", pk="item"),
    R("plans:item_delete", "GET", L, "200 200 403 403 200", "200 404 404 404 404", pk="item"),
    R("plans:item_transition", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="item", name="=start"),
    R("plans:evidence", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="update"),
    R("plans:inspection_list", "GET", L, "200 200 200 200 200"),
    R("plans:inspection_create", "GET", L, "200 200 403 403 200"),
    R("plans:inspection_detail", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="inspection"),
    R("plans:inspection_update", "GET", L, "200 200 403 403 200", "200 404 404 404 404", pk="inspection"),
    R("plans:follow_up_create", "GET", L, "200 200 403 403 200", "200 404 404 404 404", pk="inspection"),
    R("plans:follow_up_transition", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="follow_up", name="=resolve"),
    R("plans:notifications", "GET", L, "200 200 200 200 200"),
    R("plans:notification_open", "GET", L, "404 302 404 404 404", "404 404 404 404 404", pk="notification"),
    R("plans:notifications_read_all", "POST", L, "302+ 302+ 302+ 302+ 302+"),
    R("plans:notification_preferences", "GET", L, "200 200 200 200 200"),
    R("plans:deadlines", "GET", L, "200 200 200 200 200"),
    R("plans:calendar", "GET", L, "200 200 200 200 200"),
    R("plans:calendar_renew", "POST", L, "302+ 302+ 302+ 302+ 302+"),
    R("plans:calendar_revoke", "GET", L, "200 200 200 200 200"),
    R("plans:calendar_feed", "GET", "200", "200 200 200 200 200", "200 200 200 200 200", token="feed.token"),
]


# --- Valid bodies of the POST-only endpoints -----------------------------------------------------
# Each builder takes the objects of the side being probed (world.own / world.foreign / world.shared)
# and returns the body a permitted user's browser would send: the real form's fields, filled with
# values the view and its service accept for that side's objects.

def _subject_add(o):  # SubjectAddForm: a candidate model, another form than the one already proposed
    return {"kind": "model", "target_id": o["model_public"].pk, "form": "bang-khen", "level": 3,
            "reason": "Lan tỏa rộng trong huyện."}


def _proposal_decide(o):  # DecisionForm plus one outcome per subject of the proposal
    subject = o["union_subject"]
    return {"number": f"7-QĐ/{o['unit'].code}", "date": dt.date(2025, 10, 12).isoformat(),
            "signer_title": "Bí thư Chi bộ", "signer_name": "Trần Văn Bình", f"outcome-{subject.pk}": "approve"}


BODIES: dict[str, Callable[[dict], dict]] = {
    "reports:new": lambda o: {"unit": o["unit"].pk, "year": 2025},
    "reports:retry": lambda o: {},
    "accounts:user_2fa_reset": lambda o: {},
    "awards:conflict_declare": lambda o: {"pledge": o["pledge_accepted"].pk, "reason": "Người thân trong gia đình."},
    # No principal of the matrix holds a seat on the council: every cell is a refusal, which must
    # write nothing; the bodies are the ones a secretary or a member would send.
    "councils:session_open": lambda o: {},
    "councils:attendance": lambda o: {"present": []},
    "councils:minutes_issue": lambda o: {},
    "councils:evaluation_save": lambda o: {"pledge": o["council_item"].pk, "criterion": 1, "value": "8"},
    "councils:evaluation_submit": lambda o: {},
    "councils:evaluation_item": lambda o: {"text": "Đề nghị thống nhất điểm."},
    "councils:item_action": lambda o: {},
    "councils:decision_issue": lambda o: {"date": dt.date(2025, 10, 12).isoformat(), "recipients": "Như Điều 3"},
    "councils_public:feedback": lambda o: {"text": "Mô hình thiết thực, bà con ủng hộ."},
    "units:change_cancel": lambda o: {},
    "models_registry:coverage_followup": lambda o: {"units": [o["unit"].pk], "year": 2025,
                                                    "message": "Đề nghị khẩn trương đăng ký mô hình năm 2025."},
    "models_registry:continue": lambda o: {},
    "models_registry:bulk": lambda o: {"ids": [o["model_submitted"].pk], "action": "approve",
                                       "comment": "Đồng ý cho đăng ký."},
    "awards:pledge_submit": lambda o: {},
    "awards:pledge_decide": lambda o: {"action": "accept", "comment": "Đủ điều kiện."},
    "awards:pledge_comment": lambda o: {"comment": "Đề nghị bổ sung kết quả quý."},
    "awards:score_save": lambda o: {"pledge": o["pledge_accepted"].pk, "criterion": o["criterion"].pk,
                                    "value": "8"},
    "awards:score_submit": lambda o: {},
    "awards:praise": lambda o: {"pledge": o["pledge_accepted"].pk, "reason": "Hoàn thành xuất sắc nhiệm vụ quý."},
    "awards:report_1510": lambda o: {"kind": "commendation-1510", "year": 2025},
    "awards:proposal_receive": lambda o: {"year": 2025},
    "awards:subject_add": _subject_add,
    "awards:subject_remove": lambda o: {},
    "awards:proposal_submit": lambda o: {"number": f"12-TTr/{o['unit'].code}"},
    "awards:proposal_decide": _proposal_decide,
    "awards:proposal_comment": lambda o: {"comment": "Đề nghị bổ sung thành tích."},
    "awards:decision_report": lambda o: {},
    "plans:notifications_read_all": lambda o: {},
    "plans:calendar_renew": lambda o: {},
}


def cell_count() -> int:
    """Cells of the matrix: anonymous + five roles on the own side, five roles on the foreign side."""
    return sum(1 + len(ROLE_ORDER) + (len(ROLE_ORDER) if rule.foreign is not None else 0) for rule in RULES)


if __name__ == "__main__":
    # The figures the README quotes, from the code itself:
    #   DJANGO_SETTINGS_MODULE=portal.settings.test .venv/bin/python -m tests.security.access_rules
    import django

    django.setup()
    from .urlwalk import named_patterns

    patterns = named_patterns()
    print(f"{len(patterns)} URL patterns, {len(RULES)} declared in the access table "
          f"({len(patterns) - len(RULES)} excluded with a reason), {cell_count()} cells")
