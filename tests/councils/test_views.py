"""The council pages: who sees what (404 outside, 403 without the seat), the evaluation grid and its
results, the session page's secrecy while voting."""

from django.urls import reverse

from councils import services
from councils.models import EvaluationScore
from tests.councils.conftest import open_session
from tests.councils.factories import RubricCriterionFactory, RubricFactory


def test_outsiders_get_404_and_members_403_for_running_the_session(client, session, seats, people, items):
    client.force_login(people["foreign_staff"])
    assert client.get(reverse("councils:session_detail", args=[session.pk])).status_code == 404
    client.force_login(seats[3].user)
    assert client.get(reverse("councils:session_detail", args=[session.pk])).status_code == 200
    response = client.post(reverse("councils:session_open", args=[session.pk]))
    assert response.status_code == 403
    # The leadership of the council's subtree may look, not run.
    client.force_login(people["leader"])
    assert client.get(reverse("councils:session_detail", args=[session.pk])).status_code == 200


def test_the_session_page_shows_who_voted_but_no_tally_until_the_item_closes(client, session, secretary, seats, items):
    open_session(session, secretary, seats)
    services.voting_open(user=secretary, item=items[0])
    services.ballot_cast(user=seats[0].user, item=items[0], choice="agree")
    client.force_login(secretary)
    html = client.get(reverse("councils:session_detail", args=[session.pk])).content.decode()
    assert "Đã bỏ phiếu: 1/5" in html and 'class="mb-1 tally"' not in html
    services.item_close(user=secretary, item=items[0])
    html = client.get(reverse("councils:session_detail", args=[session.pk])).content.decode()
    assert "1 đồng ý, 0 không đồng ý, 0 không biểu quyết" in html


def test_evaluation_grid_saves_with_the_comma_and_results_show_the_method_after_submission(
        client, session, secretary, seats, phase, effective_model):
    rubric = RubricFactory(phase=phase)
    criterion = RubricCriterionFactory(rubric=rubric, name="Hiệu quả", weight=1, max_score=10,
                                       guidance="Số người hưởng lợi, số tiền vận động.")
    item = services.item_add(user=secretary, session=session, model=effective_model)
    evaluator = seats[3].user
    services.evaluator_assign(user=secretary, session=session, evaluator=evaluator, rubric=rubric)
    client.force_login(evaluator)
    html = client.get(reverse("councils:evaluation_grid", args=[session.pk])).content.decode()
    assert "Số người hưởng lợi" in html and "awards/scoring.js" in html
    response = client.post(reverse("councils:evaluation_save", args=[session.pk]),
                           {"pledge": item.pk, "criterion": criterion.pk, "value": "9,5"})
    assert response.json() == {"ok": True, "value": "9,5"}
    assert EvaluationScore.objects.get().value == 9.5
    results_url = reverse("councils:evaluation_results", args=[session.pk])
    assert 'data-testid="results-hidden"' in client.get(results_url).content.decode()
    client.post(reverse("councils:evaluation_submit", args=[session.pk]))
    html = client.get(results_url).content.decode()
    assert "chia cho n, không phải n − 1" in html and "lớn hơn 15 điểm" in html and "95,0" in html
    # Someone not assigned cannot open the grid.
    client.force_login(seats[4].user)
    assert client.get(reverse("councils:evaluation_grid", args=[session.pk])).status_code == 403


def test_the_secretary_publishes_a_candidate_and_moderates_feedback_from_the_session_page(
        client, session, secretary, seats, proposal):
    import datetime as dt

    import time_machine

    from awards.models import AwardForm
    from councils.models import Consultation, Feedback, FormSetting

    FormSetting.objects.update_or_create(form=AwardForm.CERTIFICATE, defaults={"public_consultation": True})
    item = services.item_add(user=secretary, session=session, subject=proposal.subjects.first())
    client.force_login(secretary)
    url = reverse("councils:item_action", args=[item.pk, "publish"])
    assert client.post(url, {"opens_on": "2026-02-12"}).status_code == 302
    consultation = Consultation.objects.get(item=item)
    assert consultation.closes_on == dt.date(2026, 2, 25)
    with time_machine.travel(dt.datetime(2026, 2, 13, 9, 0), tick=False):
        feedback = services.feedback_submit(consultation=consultation, text="Ý kiến ủng hộ tập thể này.",
                                            client_address="10.1.1.1")
    assert "Ý kiến ủng hộ tập thể này." in client.get(reverse("councils:session_detail", args=[session.pk])).content.decode()
    client.post(reverse("councils:item_action", args=[item.pk, "moderate"]), {"feedback": feedback.pk, "decision": "reject"})
    assert Feedback.objects.get().status == "rejected"
    # A member without the secretary's seat cannot moderate.
    client.force_login(seats[3].user)
    assert client.post(reverse("councils:item_action", args=[item.pk, "moderate"]),
                       {"feedback": feedback.pk, "decision": "approve"}).status_code == 403
    assert Feedback.objects.get().status == "rejected"


def test_a_passing_model_is_listed_for_recognition_in_the_draft_decision(client, session, secretary, seats,
                                                                         effective_model):
    item = services.item_add(user=secretary, session=session, model=effective_model)
    open_session(session, secretary, seats)
    services.voting_open(user=secretary, item=item)
    for seat in seats[:3]:
        services.ballot_cast(user=seat.user, item=item, choice="agree")
    services.item_close(user=secretary, item=item)
    client.force_login(secretary)
    html = client.get(reverse("councils:draft_decision", args=[session.pk])).content.decode()
    assert reverse("models_registry:detail", args=[effective_model.pk]) in html
    assert "Đạt: 3/5 thành viên đồng ý" in html


def test_administrators_edit_councils_sessions_and_pass_rules_in_the_admin(client, people, session, items):
    admin_user = people["admin"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client.force_login(admin_user)
    for url in (reverse("admin:councils_session_change", args=[session.pk]),
                reverse("admin:councils_council_change", args=[session.council_id]),
                reverse("admin:councils_council_history", args=[session.council_id]),
                reverse("admin:councils_passrule_changelist"), reverse("admin:councils_holiday_changelist")):
        assert client.get(url).status_code == 200, url
