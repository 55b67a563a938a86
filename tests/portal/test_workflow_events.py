"""Every step of a year tells the people who act next, and nobody else (portal/workflow_events.py).

The walk: a commune's staff register a model that the commune's leader returns and approves; the
district's staff pledge, the union committee accepts, runs a quarterly round, praises, rolls the
year up and proposes; the Party cell decides. At each step the test asserts who got which
notification and who got an email at once; information waits for the daily digest.
"""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from awards.commendations import services as cs
from awards.models import AnnualResult, PledgeContent
from awards.pledges import services as aw
from models_registry import services as ms
from plans import services as ps
from plans.models import DigestDelivery, Notification, NotificationPreference, WorkflowEvent
from portal.workflow_events import ROUTES, workflow_event_emit
from tests.awards.conftest import fill
from tests.models_registry.factories import DvkModelFactory

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(people, make_user, tree):
    """The five demo roles (people), a second union member, and a commune's staff and leader."""
    return {
        **people,
        "union2": make_user(tree["district"], "congdoan", username="congdoan2_d", full_name="Thành viên BCH 2"),
        "commune_staff": make_user(tree["commune"], "canbo", username="canbo_x", full_name="Cán bộ xã"),
        "commune_leader": make_user(tree["commune"], "lanhdao", username="lanhdao_x", full_name="Lãnh đạo xã"),
    }


@pytest.fixture
def step(cast, django_capture_on_commit_callbacks):
    """Run one step; return ({username: [kinds]} of the new notifications, {usernames emailed})."""
    names = {u.pk: name for name, u in cast.items()}

    def _run(fn):
        before = set(Notification.objects.values_list("pk", flat=True))
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            fn()
        told: dict[str, list[str]] = {}
        for n in Notification.objects.exclude(pk__in=before).order_by("pk"):
            told.setdefault(names.get(n.user_id, f"#{n.user_id}"), []).append(n.kind)
        emailed = {names.get(Notification.objects.filter(user__email=m.to[0]).first().user_id) for m in mail.outbox}
        return told, emailed

    return _run


def test_a_year_hands_work_on_from_person_to_person(cast, tree, phase, step, time_machine):
    c = cast
    time_machine.move_to(dt.datetime(2025, 3, 1, 9, 0, tzinfo=TZ), tick=False)

    # A commune's model: submitted → the commune's leader acts (an email at once), nobody else.
    model = DvkModelFactory(unit=tree["commune"], phase=phase, created_by=c["commune_staff"])
    told, emailed = step(lambda: ms.model_submit(model=model, user=c["commune_staff"]))
    assert told == {"commune_leader": ["model.submitted"]} and emailed == {"commune_leader"}
    note = Notification.objects.get(user=c["commune_leader"], kind="model.submitted")
    assert note.url == f"/models/{model.pk}/" and model.name in note.title

    told, emailed = step(lambda: ms.model_return(model=model, user=c["commune_leader"], comment="Bổ sung mục tiêu"))
    assert told == {"commune_staff": ["model.returned"]} and emailed == {"commune_staff"}
    assert Notification.objects.get(user=c["commune_staff"], kind="model.returned").body == "Bổ sung mục tiêu"

    told, _e = step(lambda: ms.model_submit(model=model, user=c["commune_staff"]))
    assert told == {"commune_leader": ["model.submitted"]}

    # The district's Party cell comments: the commune's staff are told (information: the digest).
    model.refresh_from_db()
    told, emailed = step(lambda: ms.model_comment(model=model, user=c["cell"], comment="Nên nêu số hộ."))
    assert told == {"commune_staff": ["model.commented"]} and emailed == set()

    told, emailed = step(lambda: ms.model_approve(model=model, user=c["commune_leader"]))
    assert told == {"commune_staff": ["model.approved"]} and emailed == set()
    assert Notification.objects.get(user=c["commune_staff"], kind="model.approved").email_status == "digest"

    # Year end: evaluated effective → the leadership that may recognise it acts; recognised → staff told.
    model.refresh_from_db()
    told, emailed = step(lambda: ms.model_evaluate(model=model, user=c["commune_staff"], is_effective=True,
                                                   reason="Đạt mục tiêu"))
    assert told == {"commune_leader": ["model.evaluated"]} and emailed == {"commune_leader"}
    model.refresh_from_db()
    told, _e = step(lambda: ms.model_recognise(model=model, user=c["commune_leader"]))
    assert told == {"commune_staff": ["model.recognised"]}

    # Pledges of the district: the union committee receives; the holder hears the answer.
    contents = {p.code: p for p in aw.contents_ensure_defaults(phase=phase)}
    assert isinstance(contents["chuyen-mon"], PledgeContent)
    commitments = [{"what": "Số hóa hồ sơ", "due": "Quý II", "measure": "100% hồ sơ"}]
    pledges = {}

    def pledge_of(name):
        pledges[name] = aw.pledge_create(user=c[name], year=2025, content=contents["chuyen-mon"],
                                         commitments=commitments, submit=True)

    told, emailed = step(lambda: pledge_of("staff"))
    assert told == {"union": ["pledge.submitted"], "union2": ["pledge.submitted"]}
    assert emailed == {"union", "union2"}
    told, _e = step(lambda: aw.pledge_accept(user=c["union"], pledge=pledges["staff"]))
    assert told == {"staff": ["pledge.accepted"]}
    told, emailed = step(lambda: pledge_of("cell"))
    assert set(told) == {"union", "union2"}
    step(lambda: aw.pledge_return(user=c["union2"], pledge=pledges["cell"], comment="Ghi rõ thời hạn"))
    assert Notification.objects.filter(user=c["cell"], kind="pledge.returned").count() == 1

    # The quarterly round: opened → holders self-assess and the other member scores.
    rnd = aw.round_create(user=c["union"], year=2025, quarter=1)
    told, emailed = step(lambda: aw.round_open(user=c["union"], rnd=rnd))
    assert told == {"staff": ["round.opened"], "union2": ["round.opened"]} and emailed == {"staff", "union2"}
    fill(rnd, c["union2"])
    told, _e = step(lambda: aw.scores_submit(user=c["union2"], rnd=rnd))
    assert told == {"union": ["round.scores_submitted"]}
    told, _e = step(lambda: aw.praise_select(user=c["union"], rnd=rnd, pledge=pledges["staff"], reason="Tận tụy"))
    assert told == {"staff": ["praise.selected"]}
    fill(rnd, c["union"])
    step(lambda: aw.scores_submit(user=c["union"], rnd=rnd))
    told, _e = step(lambda: aw.round_close(user=c["union"], rnd=rnd))
    assert told == {"staff": ["round.closed"], "cell": ["round.closed"]}

    # The annual roll-up and the proposal to the Party cell.
    told, _e = step(lambda: aw.annual_results_compute(user=c["union"], unit=tree["district"], year=2025))
    assert told == {"union2": ["annual.computed"], "cell": ["annual.computed"], "leader": ["annual.computed"]}
    result = AnnualResult.objects.get(pledge=pledges["staff"])
    told, emailed = step(lambda: aw.proposal_create(user=c["union"], result=result, reason="Tiêu biểu"))
    assert told == {"cell": ["proposal.created"]} and emailed == {"cell"}

    # The cell receives and decides: the commended holder is told.
    proposal = cs.award_proposal_from_union(user=c["cell"], year=2025)
    subjects = list(proposal.subjects.all())
    told, _e = step(lambda: cs.award_proposal_decide(
        user=c["cell"], proposal=proposal, number="3-QĐ/CB", date=dt.date(2025, 10, 14), signer_title="Bí thư",
        signer_name="Võ Văn Khánh", outcomes={s.pk: (True, "") for s in subjects}))
    assert told == {"staff": ["award.decided"]}
    subjects[0].refresh_from_db()
    told, _e = step(lambda: cs.award_subject_revoke(user=c["cell"], subject=subjects[0], reason="Nhầm lẫn"))
    assert told == {"staff": ["award.revoked"]}

    # Nobody outside the subtree was ever told anything.
    assert not Notification.objects.filter(user__in=[c["foreign_staff"], c["foreign_leader"]]).exists()


def test_nobody_is_told_about_a_record_they_cannot_open(cast, tree, phase, step):
    """A draft is seen only in its unit: an emitter naming an outsider does not reach them."""
    model = DvkModelFactory(unit=tree["commune"], phase=phase, created_by=cast["commune_staff"])
    told, _e = step(lambda: workflow_event_emit(
        kind="unit.urged", record=model, actor=cast["leader"], units=[tree["commune"], tree["other_commune"]]))
    assert "foreign_leader" not in told and "leader" not in told  # a draft: outside the commune nobody sees it
    assert told == {"commune_staff": ["unit.urged"], "commune_leader": ["unit.urged"]}


def test_an_event_with_a_key_is_told_once_under_retries(cast, tree, phase, step):
    model = DvkModelFactory(unit=tree["commune"], phase=phase, state="submitted")

    def urge():
        workflow_event_emit(kind="unit.urged", record=model, actor=cast["leader"], units=[tree["commune"]],
                            key="urge:commune:2025-03")

    first, emailed = step(urge)
    again, emailed_again = step(urge)
    assert first == {"commune_staff": ["unit.urged"], "commune_leader": ["unit.urged"]}
    assert again == {} and emailed_again == set()
    assert WorkflowEvent.objects.filter(key="urge:commune:2025-03").count() == 1


def test_each_person_chooses_per_kind(cast, tree, phase, step, time_machine):
    time_machine.move_to(dt.datetime(2025, 3, 1, 9, 0, tzinfo=TZ), tick=False)
    model = DvkModelFactory(unit=tree["commune"], phase=phase, created_by=cast["commune_staff"])
    ps.preferences_save(user=cast["commune_leader"], choices={"model.submitted": "portal"})
    ps.preferences_save(user=cast["commune_staff"], choices={"model.approved": "immediate"})
    told, emailed = step(lambda: ms.model_submit(model=model, user=cast["commune_staff"]))
    assert told == {"commune_leader": ["model.submitted"]} and emailed == set()
    told, emailed = step(lambda: ms.model_approve(model=model, user=cast["commune_leader"]))
    assert emailed == {"commune_staff"}
    ps.preferences_save(user=cast["commune_staff"], choices={"model.approved": "immediate"})
    ps.preferences_save(user=cast["commune_staff"], choices={"model.approved": "digest"})  # back to default
    assert not NotificationPreference.objects.filter(user=cast["commune_staff"]).exists()


def test_the_digest_is_one_email_a_day_with_everything_since_the_last(cast, tree, phase, step, time_machine,
                                                                      django_capture_on_commit_callbacks):
    staff = cast["commune_staff"]
    time_machine.move_to(dt.datetime(2025, 3, 1, 9, 0, tzinfo=TZ), tick=False)
    models = [DvkModelFactory(unit=tree["commune"], phase=phase, created_by=staff, state="submitted")
              for _ in range(3)]
    for model in models:
        step(lambda model=model: ms.model_approve(model=model, user=cast["commune_leader"]))
    models[0].refresh_from_db()
    step(lambda: ms.model_comment(model=models[0], user=cast["cell"], comment="Tốt"))
    assert Notification.objects.filter(user=staff, email_status="digest").count() == 4

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert ps.digest_send(now=dt.datetime(2025, 3, 1, 16, 0, tzinfo=TZ)) == 0  # before the set hour
        assert ps.digest_send(now=dt.datetime(2025, 3, 1, 17, 10, tzinfo=TZ)) == 1
        assert ps.digest_send(now=dt.datetime(2025, 3, 1, 18, 10, tzinfo=TZ)) == 0  # a second tick
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [staff.email] and "4 thông báo" in message.subject
    for model in models:
        assert model.name in message.body and f"/models/{model.pk}/" in message.body
    assert DigestDelivery.objects.get(user=staff).email_status == "sent"

    # The next day: only what came since.
    time_machine.move_to(dt.datetime(2025, 3, 2, 9, 0, tzinfo=TZ), tick=False)
    models[1].refresh_from_db()
    step(lambda: ms.model_comment(model=models[1], user=cast["cell"], comment="Thêm ảnh"))
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert ps.digest_send(now=dt.datetime(2025, 3, 2, 17, 10, tzinfo=TZ)) == 1
    assert len(mail.outbox) == 1 and "1 thông báo" in mail.outbox[0].subject


def test_every_kind_has_a_title_and_a_recipient_rule():
    for kind, route in ROUTES.items():
        assert route.to and str(route.title), kind
        assert "." in kind


def test_the_preferences_page_saves_a_choice_per_kind(cast, client):
    client.force_login(cast["commune_staff"])
    page = client.get("/plans/notifications/")
    assert "/plans/notifications/preferences/" in page.content.decode()
    page = client.get("/plans/notifications/preferences/")
    assert page.status_code == 200 and "Cần xử lý" in page.content.decode()
    response = client.post("/plans/notifications/preferences/", {"model.returned": "digest", "model.approved": "portal"})
    assert response.status_code == 302
    assert dict(NotificationPreference.objects.filter(user=cast["commune_staff"]).values_list("kind", "delivery")) == {
        "model.returned": "digest", "model.approved": "portal",
    }


def test_a_pledge_thread_goes_both_ways_and_history_reads_in_words(cast, phase, client, step):
    contents = {p.code: p for p in aw.contents_ensure_defaults(phase=phase)}
    pledge = aw.pledge_create(user=cast["staff"], year=2025, content=contents["chuyen-mon"], submit=True,
                              commitments=[{"what": "Số hóa hồ sơ", "due": "Quý II", "measure": "100%"}])
    client.force_login(cast["union"])
    client.post(f"/awards/pledges/{pledge.pk}/comment/", {"comment": "Thời hạn cụ thể là ngày nào?"})
    assert Notification.objects.filter(user=cast["staff"], kind="pledge.commented").count() == 1
    client.force_login(cast["staff"])
    client.post(f"/awards/pledges/{pledge.pk}/comment/", {"comment": "Trước 30/6."})
    assert Notification.objects.filter(user=cast["union"], kind="pledge.commented").count() == 1
    page = client.get(f"/awards/pledges/{pledge.pk}/").content.decode()
    assert "Gửi" in page and "Trao đổi" in page and "Trước 30/6." in page
    assert " · submit" not in page and " · comment" not in page
    client.force_login(cast["foreign_staff"])
    assert client.post(f"/awards/pledges/{pledge.pk}/comment/", {"comment": "x"}).status_code == 404


def test_a_commendation_proposal_thread_reaches_the_deciding_body(cast, tree, phase):
    from awards.models import AwardProposal

    proposal = AwardProposal.objects.create(
        unit=tree["district"], body="congdoan", decider_unit=tree["district"], occasion="1510", year=2025,
        phase=phase, created_by=cast["union"])
    cs.award_proposal_comment(user=cast["union"], proposal=proposal, comment="Kính trình Chi ủy.")
    assert Notification.objects.filter(user=cast["cell"], kind="award.commented").count() == 1
    cs.award_proposal_comment(user=cast["cell"], proposal=proposal, comment="Đã nhận.")
    assert Notification.objects.filter(user=cast["union"], kind="award.commented").count() == 1


def test_history_reads_in_words_and_follows_the_language(cast, tree, phase, client, time_machine):
    from django.utils import translation

    from portal.audit import history_entries

    time_machine.move_to(dt.datetime(2025, 3, 1, 9, 0, tzinfo=TZ), tick=False)
    model = ms.model_create(user=cast["commune_staff"], data={
        "phase": phase, "year": 2025, "field": "kinh-te", "name": "Đường hoa", "registration_kind": "new",
        "goals": "Xanh", "target_group": "Hộ dân", "how_it_works": "Góp công", "leader_text": "Chi hội",
        "start_date": dt.date(2025, 3, 1), "expected_results": "2 km",
    })
    ms.model_submit(model=model, user=cast["commune_staff"])
    model.refresh_from_db()
    ms.model_approve(model=model, user=cast["commune_leader"])
    model.refresh_from_db()
    ms.model_evaluate(model=model, user=cast["commune_staff"], is_effective=True, reason="Tốt")
    changes = [c for e in history_entries(model) for c in e["changes"]]
    shown = {(c["field"], c["old"], c["new"]) for c in changes}
    assert ("trạng thái", "Nháp", "Chờ duyệt") in shown
    assert ("hiệu quả", "", "Có") in shown
    assert not any(c["field"] in ("slug", "version") for c in changes)
    with translation.override("en"):
        english = {(c["old"], c["new"]) for e in history_entries(model) for c in e["changes"]}
    assert ("Draft", "Awaiting approval") in english


def test_plans_and_inspections_tell_the_assignees_and_the_inspected_units(cast, tree, step):
    from plans.models import Plan
    from tests.plans.factories import PlanFactory

    plan = PlanFactory(unit=tree["district"], created_by=cast["leader"])
    assert isinstance(plan, Plan)
    told, emailed = step(lambda: ps.item_save(
        user=cast["leader"], plan=plan, content="Sơ kết 6 tháng", due_kind="date", due_date=dt.date(2026, 6, 30),
        assignees=[cast["staff"]]))
    assert told == {"staff": ["plan_item.assigned"]} and emailed == {"staff"}
    item = plan.items.get()
    told, _e = step(lambda: ps.item_transition(user=cast["staff"], item=item, name="start", note="Đã bắt đầu"))
    assert told == {"leader": ["plan_item.updated"]}

    inspection_box = {}

    def inspect():
        inspection_box["it"] = ps.inspection_save(
            user=cast["leader"], unit=tree["district"], inspected_units=[tree["commune"]],
            title="Kiểm tra quý III", inspected_on=dt.date(2026, 7, 20))

    told, _e = step(inspect)
    assert told == {"commune_leader": ["inspection.created"]}
    told, _e = step(lambda: ps.follow_up_save(
        user=cast["leader"], inspection=inspection_box["it"], unit=tree["commune"], content="Bổ sung hồ sơ",
        due_date=dt.date(2026, 9, 30), assignee=cast["commune_staff"]))
    assert told == {"commune_staff": ["follow_up.assigned"]}


def test_the_source_unit_hears_its_recognised_model_was_replicated(cast, tree, phase, step, time_machine):
    time_machine.move_to(dt.datetime(2025, 3, 1, 9, 0, tzinfo=TZ), tick=False)
    source = DvkModelFactory(unit=tree["commune"], phase=phase, state="recognised", is_effective=True,
                             recognition_level=2, created_by=cast["commune_staff"])
    copy = DvkModelFactory(unit=tree["district"], phase=phase, state="submitted", replicated_from=source)
    told, _e = step(lambda: ms.model_approve(model=copy, user=cast["leader"]))
    assert told["commune_staff"] == ["model.replicated"]
