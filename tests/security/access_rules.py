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
"""

from __future__ import annotations

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
    R("login", "GET", "200", "302 302 302 302 302"),
    R("password_reset", "GET", "200", "200 200 200 200 200"),
    R("password_reset_done", "GET", "200", "200 200 200 200 200"),
    R("password_reset_confirm", "GET", "200", "200 200 200 200 200", uidb64="=MQ", token="=abc-def"),
    R("password_reset_complete", "GET", "200", "200 200 200 200 200"),
    # --- accounts --------------------------------------------------------------------------------------
    R("accounts:profile", "GET", L, "200 200 200 200 200"),
    R("accounts:otp_verify", "GET", L, "200 200 200 200 200"),
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
    # --- imports (administrators) ----------------------------------------------------------------------
    R("imports:upload", "GET", L, "200 403 403 403 403", kind="=units"),
    R("imports:template", "GET", L, "200 403 403 403 403", kind="=units"),
    R("imports:preview", "GET", L, "200 403 403 403 403", shared=True, pk="batch"),
    # --- reports in the background ---------------------------------------------------------------------
    R("reports:list", "GET", L, "200 200 200 200 200"),
    R("reports:new", "POST", L, "404 404 404 404 404", kind="=unit-list"),
    R("reports:detail", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="report"),
    R("reports:status", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="report"),
    R("reports:download", "GET", L, "404 404 404 404 404", "404 404 404 404 404", pk="report"),
    R("reports:retry", "POST", L, "302 302 302 302 302", "302 404 404 404 404", pk="report"),
    # --- models_registry ---------------------------------------------------------------------------------
    R("models_registry:list", "GET", L, "200 200 200 200 200"),
    R("models_registry:export", "GET", L, "200 200 200 200 200"),
    R("models_registry:bulk", "POST", L, "302 403 403 403 302"),
    R("models_registry:create", "GET", L, "200 200 403 403 403"),
    R("models_registry:similar", "GET", L, "200 200 200 200 200"),
    R("models_registry:stats", "GET", L, "200 403 403 200 200"),
    R("models_registry:coverage", "GET", L, "200 403 403 200 200"),
    R("models_registry:deadlines", "GET", L, "200 403 403 403 200"),
    R("models_registry:attachment", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="attachment"),
    R("models_registry:attachment_thumb", "GET", L, "200 200 200 200 200", "200 200 200 200 200", pk="photo"),
    R("models_registry:detail", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="model"),
    R("models_registry:edit", "GET", L, "200 200 403 403 403", "200 404 404 404 404", pk="model"),
    R("models_registry:evaluate", "GET", L, "200 200 403 403 200", "200 404 404 404 404", pk="model_registered"),
    R("models_registry:report_create", "GET", L, "200 200 403 403 403", "200 404 404 404 404", pk="model_registered"),
    R("models_registry:transition", "GET", L, "200 200 403 403 200", "200 404 404 404 404", pk="model", action="=submit"),
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
    R("awards:pledge_submit", "POST", L, "403 302 403 403 403", "403 404 404 404 404", pk="pledge"),
    R("awards:pledge_decide", "POST", L, "302 403 302 403 403", "302 404 404 404 404", pk="pledge"),
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
    R("awards:score_save", "POST", L, "400 400 400 400 400", "400 404 404 404 404", pk="round"),
    R("awards:score_submit", "POST", L, "403 403 302 403 403", "403 404 404 404 404", pk="round"),
    R("awards:conflict_declare", "POST", L, "403 403 302 403 403", "403 404 404 404 404", pk="round"),
    R("awards:round_results", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="round"),
    R("awards:praise", "POST", L, "404 404 404 404 404", "404 404 404 404 404", pk="round"),
    R("awards:results_xlsx", "GET", L, "200 403 403 403 403", "200 404 404 404 404", pk="round"),
    R("awards:annual", "GET", L, "200 403 200 200 200"),
    R("awards:content_list", "GET", L, "200 403 403 403 403"),
    R("awards:content_create", "GET", L, "200 403 403 403 403"),
    R("awards:content_edit", "GET", L, "200 403 403 403 403", shared=True, pk="content"),
    # --- awards: commendations ---------------------------------------------------------------------------
    R("awards:dashboard_1510", "GET", L, "200 403 200 200 200"),
    R("awards:report_1510", "POST", L, "404 403 404 404 404"),
    R("awards:proposal_list", "GET", L, "200 403 200 200 200"),
    R("awards:proposal_create", "GET", L, "200 403 200 200 200"),
    R("awards:proposal_receive", "POST", L, "302 403 403 302 403"),
    R("awards:proposal_detail", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="proposal"),
    R("awards:subject_add", "POST", L, "302 302 302 302 302", "302 404 404 404 404", pk="proposal"),
    R("awards:subject_remove", "POST", L, "302 403 403 403 302", "302 404 404 404 404", pk="proposal", subject_pk="subject"),
    R("awards:subject_revoke", "GET", L, "200 403 403 403 403", "200 404 404 404 404", pk="decided_proposal",
      subject_pk="decided_subject"),
    R("awards:proposal_submit", "POST", L, "302 403 403 403 302", "302 404 404 404 404", pk="proposal"),
    R("awards:proposal_decide", "POST", L, "302 302 302 302 302", "302 404 404 404 404", pk="proposal"),
    R("awards:decision_report", "POST", L, "302 404 302 302 302", "302 404 404 404 404", pk="decided_proposal", kind="=decision"),
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
    R("plans:home_deadlines", "GET", L, "200 200 200 200 200"),
    R("plans:inspection_list", "GET", L, "200 200 200 200 200"),
    R("plans:inspection_create", "GET", L, "200 200 403 403 200"),
    R("plans:inspection_detail", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="inspection"),
    R("plans:inspection_update", "GET", L, "200 200 403 403 200", "200 404 404 404 404", pk="inspection"),
    R("plans:follow_up_create", "GET", L, "200 200 403 403 200", "200 404 404 404 404", pk="inspection"),
    R("plans:follow_up_transition", "GET", L, "200 200 200 200 200", "200 404 404 404 404", pk="follow_up", name="=resolve"),
    R("plans:notifications", "GET", L, "200 200 200 200 200"),
    R("plans:notification_open", "GET", L, "404 302 404 404 404", "404 404 404 404 404", pk="notification"),
    R("plans:notifications_read_all", "POST", L, "302 302 302 302 302"),
    R("plans:deadlines", "GET", L, "200 200 200 200 200"),
    R("plans:calendar", "GET", L, "200 200 200 200 200"),
    R("plans:calendar_renew", "POST", L, "302 302 302 302 302"),
    R("plans:calendar_revoke", "GET", L, "200 200 200 200 200"),
    R("plans:calendar_feed", "GET", "200", "200 200 200 200 200", "200 200 200 200 200", token="feed.token"),
]
