"""What a session's results lead to: the decision issued from the draft by the person who decides,
failing subjects returned to the proposer with the tally, passing models recognised at the council's
level, and who is told of each step."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from awards.models import AwardForm, AwardSubject
from councils import services
from councils.models import FormSetting
from models_registry.models import ModelEvent, RecognitionLevel, State
from plans.models import Notification
from tests.councils.conftest import open_session, vote


def _notified(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("user__username", flat=True))


@pytest.fixture
def proposer(proposal, tree, make_user):
    user = make_user(tree["commune"], "lanhdao", username="nguoi_de_nghi")
    proposal.created_by = user
    proposal.save()
    return user


def _decide(session, secretary, seats, items, agrees):
    open_session(session, secretary, seats)
    for item, agree in zip(items, agrees, strict=True):
        services.voting_open(user=secretary, item=item)
        vote(item, [(s, "agree" if i < agree else "disagree") for i, s in enumerate(seats)])
        services.item_close(user=secretary, item=item)


def test_the_decider_issues_the_decision_from_the_draft_and_the_proposer_sees_the_returned_tally(
        client, session, secretary, seats, items, proposal, proposer, people, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    _decide(session, secretary, seats, items, (4, 1))
    draft = reverse("councils:draft_decision", args=[session.pk])
    issue = reverse("councils:decision_issue", args=[session.pk, proposal.pk])
    body = {"date": "2025-10-10", "recipients": "Như Điều 3"}
    # The secretary sees the draft but does not decide: no form, and a POST is refused.
    client.force_login(secretary)
    assert "decision-form" not in client.get(draft).content.decode()
    assert client.post(issue, body).status_code == 403
    # The district's leadership decides proposals sent to the district.
    client.force_login(people["leader"])
    html = client.get(draft).content.decode()
    assert f"issue-decision-{proposal.pk}" in html
    response = client.post(issue, body)
    assert response.url == reverse("awards:proposal_detail", args=[proposal.pk])
    passed, returned = (AwardSubject.objects.get(pk=i.subject_id) for i in items)
    assert (passed.status, returned.status) == ("approved", "rejected")
    proposal.refresh_from_db()
    assert proposal.status == "decided"
    # The proposer reads, on their own proposal, that it was returned and why.
    client.force_login(proposer)
    page = client.get(reverse("awards:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Không đạt: 1/5 thành viên đồng ý" in page
    assert "Hội đồng trả lại" in page and "council_return" not in page
    assert _notified("council.item_closed") == {"nguoi_de_nghi"}
    titles = set(Notification.objects.filter(kind="council.item_closed").values_list("title", flat=True))
    assert any(t.endswith(": Không đạt") for t in titles) and any(t.endswith(": Đạt") for t in titles)
    # Issued once: the form is gone.
    client.force_login(people["leader"])
    assert "decision-form" not in client.get(draft).content.decode()


def test_a_decision_waits_for_every_subject_of_the_proposal(client, session, secretary, seats, items, proposal,
                                                           people):
    _decide(session, secretary, seats, items[:1], (5,))
    client.force_login(people["leader"])
    html = client.get(reverse("councils:draft_decision", args=[session.pk])).content.decode()
    assert "Còn đối tượng của đề nghị chưa được Hội đồng xét" in html and "decision-form" not in html
    response = client.post(reverse("councils:decision_issue", args=[session.pk, proposal.pk]),
                           {"date": "2025-10-10", "recipients": ""})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_a_passing_model_is_recognised_at_the_councils_level_and_a_failing_one_is_not(
        session, secretary, seats, tree, phase, effective_model, make_user):
    from tests.models_registry.factories import DvkModelFactory

    make_user(tree["commune"], "canbo", username="can_bo_xa")  # the staff whose model it is
    other = DvkModelFactory(unit=tree["commune"], phase=phase, state=State.EVALUATED, is_effective=True,
                            name="Mô hình không đạt")
    items = [services.item_add(user=secretary, session=session, model=m) for m in (effective_model, other)]
    _decide(session, secretary, seats, items, (3, 2))
    effective_model.refresh_from_db()
    other.refresh_from_db()
    assert (effective_model.state, effective_model.recognition_level, effective_model.recognised_by) == (
        State.RECOGNISED, RecognitionLevel.DISTRICT, tree["district"])
    assert effective_model.recognised_on == session.date
    event = ModelEvent.objects.get(model=effective_model, action="recognise")
    assert event.actor == secretary and "Hội đồng" in event.comment
    assert other.state == State.EVALUATED and other.recognition_level is None
    assert "can_bo_xa" in _notified("model.recognised") and _notified("council.item_closed") == {"can_bo_xa"}
    assert Notification.objects.filter(kind="council.item_closed", user__username="can_bo_xa").count() == 2


def test_voting_opened_tells_the_present_members_who_may_vote(session, secretary, seats, items):
    open_session(session, secretary, seats[:4])  # the fifth is absent
    services.conflict_declare(user=seats[3].user, item=items[0], reason="Người thân")
    services.voting_open(user=secretary, item=items[0])
    # Present and not recused, the secretary (who opened it) aside.
    assert _notified("council.voting_opened") == {seats[0].user.username, seats[1].user.username}


def test_the_chair_is_told_to_sign_the_minutes(session, secretary, seats, items, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    _decide(session, secretary, seats, items, (5, 0))
    entry = services.minutes_issue(user=secretary, session=session)
    notes = Notification.objects.filter(kind="council.minutes_issued")
    assert [n.user for n in notes] == [seats[0].user]  # the chair
    assert notes[0].url == reverse("documents:entry", args=[entry.pk])


def test_a_citizens_comment_is_announced_to_the_secretary(session, secretary, seats, proposal):
    FormSetting.objects.update_or_create(form=AwardForm.CERTIFICATE, defaults={"public_consultation": True})
    item = services.item_add(user=secretary, session=session, subject=proposal.subjects.first())
    consultation = services.consultation_publish(user=secretary, item=item, opens_on=dt.date(2026, 2, 12))
    with time_machine.travel(dt.datetime(2026, 2, 13, 9, 0), tick=False):
        services.feedback_submit(consultation=consultation, text="Tập thể này làm rất tốt.", client_address="10.0.0.9")
    notes = list(Notification.objects.filter(kind="council.feedback_received"))
    assert [n.user for n in notes] == [secretary] and notes[0].body == "Tập thể này làm rất tốt."
    assert notes[0].url.endswith(f"#item-{item.pk}")
