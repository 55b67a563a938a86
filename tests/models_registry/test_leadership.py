"""Leadership: counts for their subtree, the coverage gaps, the home page, decisions in bulk."""

import pytest
from django.urls import reverse

from models_registry.models import ModelField, RecognitionLevel, State

pytestmark = pytest.mark.django_db


def test_counts_by_field_state_and_level_cover_only_my_subtree(client, people, tree, make_model):
    make_model(field=ModelField.ECONOMY, state=State.SUBMITTED)
    make_model(unit=tree["village"], field=ModelField.ECONOMY, state=State.RECOGNISED,
               recognition_level=RecognitionLevel.DISTRICT)
    make_model(field=ModelField.DEFENCE_SECURITY, state=State.DRAFT)  # drafts are not counted
    make_model(unit=tree["other_district"], state=State.REGISTERED)  # another subtree
    client.force_login(people["leader"])
    counts = client.get(reverse("models_registry:stats"), {"year": 2025}).context["counts"]
    assert dict(counts["by_field"])["Kinh tế"] == 2
    assert {code: n for _l, code, n in counts["by_state"]}["submitted"] == 1
    assert dict(counts["by_level"])["Cấp huyện"] == 1
    assert counts["total"] == 2


def test_coverage_and_stats_are_for_leadership(client, people):
    client.force_login(people["staff"])
    assert client.get(reverse("models_registry:coverage")).status_code == 403
    assert client.get(reverse("models_registry:stats")).status_code == 403


def test_home_page_shows_pending_proposals_and_counts_to_leadership(client, people, make_model, time_machine):
    import datetime as dt

    time_machine.move_to(dt.datetime(2025, 5, 1, 9, 0), tick=False)
    make_model(state=State.SUBMITTED)
    make_model(state=State.SUBMITTED)
    client.force_login(people["leader"])
    page = client.get(reverse("home")).content.decode()
    assert "Mô hình năm 2025" in page and "Đơn vị chưa có mô hình" in page
    cards = {c.title: c for c in client.get(reverse("home")).context["cards"]}
    waiting = {label: (n, url) for label, n, url in cards["Mô hình năm 2025"].items}["Chờ duyệt"]
    assert waiting[0] == 2
    # The figure opens a list of exactly that many.
    assert client.get(waiting[1]).context["page_obj"].paginator.count == 2
    client.force_login(people["staff"])
    cards = {c.title: c for c in client.get(reverse("home")).context["cards"]}
    assert "Mô hình của đơn vị" in cards and "Mô hình năm 2025" not in cards


def test_leadership_approve_many_at_once(client, people, tree, make_model):
    waiting = [make_model(state=State.SUBMITTED) for _ in range(3)]
    draft = make_model(state=State.DRAFT)
    foreign = make_model(unit=tree["other_district"], state=State.SUBMITTED)
    client.force_login(people["leader"])
    response = client.post(reverse("models_registry:bulk"), {
        "action": "approve", "comment": "Đồng ý", "ids": [m.pk for m in waiting] + [draft.pk, foreign.pk],
    }, follow=True)
    assert "Đã xử lý 3 mô hình." in response.content.decode()
    for model in waiting:
        model.refresh_from_db()
        assert model.state == State.REGISTERED
        assert model.events.get(action="approve").comment == "Đồng ý"
    draft.refresh_from_db()
    foreign.refresh_from_db()
    assert draft.state == State.DRAFT and foreign.state == State.SUBMITTED


def test_bulk_return_needs_one_comment_for_all(client, people, make_model):
    waiting = [make_model(state=State.SUBMITTED) for _ in range(2)]
    client.force_login(people["leader"])
    client.post(reverse("models_registry:bulk"), {"action": "return", "comment": "", "ids": [m.pk for m in waiting]})
    assert all(m.state == State.SUBMITTED for m in type(waiting[0]).objects.filter(pk__in=[m.pk for m in waiting]))
    client.post(reverse("models_registry:bulk"), {"action": "return", "comment": "Bổ sung kinh phí.", "ids": [m.pk for m in waiting]})
    for model in waiting:
        model.refresh_from_db()
        assert model.state == State.RETURNED and model.return_note == "Bổ sung kinh phí."


def test_bulk_decisions_are_for_leadership_only(client, people, make_model):
    model = make_model(state=State.SUBMITTED)
    client.force_login(people["cell"])
    assert client.post(reverse("models_registry:bulk"), {"action": "approve", "ids": [model.pk]}).status_code == 403
    model.refresh_from_db()
    assert model.state == State.SUBMITTED
