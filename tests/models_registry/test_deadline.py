"""The registration deadline: staff submit before it; after it only leadership let a proposal
through, with a reason, and that override is recorded."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from models_registry import services
from models_registry.models import ModelEvent, RegistrationDeadline, State
from models_registry.selectors import deadline_for

pytestmark = pytest.mark.django_db


def test_default_deadline_is_before_9_april_of_the_year(tree):
    assert deadline_for(tree["village"], 2025) == dt.date(2025, 4, 9)


def test_unit_inherits_the_nearest_ancestors_deadline(tree):
    RegistrationDeadline.objects.create(unit=tree["province"], year=2025, date=dt.date(2025, 4, 30))
    RegistrationDeadline.objects.create(unit=tree["district"], year=2025, date=dt.date(2025, 5, 15))
    assert deadline_for(tree["village"], 2025) == dt.date(2025, 5, 15)
    assert deadline_for(tree["other_commune"], 2025) == dt.date(2025, 4, 30)
    assert deadline_for(tree["village"], 2026) == dt.date(2026, 4, 9)


def test_staff_submit_before_the_deadline(people, make_model, before_deadline):
    model = services.model_submit(model=make_model(), user=people["staff"])
    assert model.state == State.SUBMITTED and not model.submitted_late
    assert not model.events.get(action="submit").is_override


def test_staff_cannot_submit_after_deadline(client, people, make_model, after_deadline):
    model = make_model()
    client.force_login(people["staff"])
    response = client.post(reverse("models_registry:transition", args=[model.pk, "submit"]), {"comment": ""})
    assert response.status_code == 200
    assert "Đã hết hạn đăng ký mô hình năm 2025 (trước ngày 09/04/2025)" in response.content.decode()
    model.refresh_from_db()
    assert model.state == State.DRAFT


def test_submitting_on_the_deadline_day_is_late(people, make_model, time_machine):
    time_machine.move_to(dt.datetime(2025, 4, 9, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False)
    with pytest.raises(ValidationError):
        services.model_submit(model=make_model(), user=people["staff"])


def test_a_later_unit_deadline_keeps_registration_open(people, tree, make_model, after_deadline):
    services.deadline_set(user=people["leader"], unit=tree["district"], year=2025, date=dt.date(2025, 5, 1))
    model = services.model_submit(model=make_model(), user=people["staff"])
    assert model.state == State.SUBMITTED


def test_leadership_override_after_deadline_is_recorded(client, people, make_model, after_deadline):
    model = make_model()
    client.force_login(people["leader"])
    refused = client.post(reverse("models_registry:transition", args=[model.pk, "submit"]), {"comment": ""})
    assert "lãnh đạo cần ghi rõ lý do" in refused.content.decode()
    response = client.post(reverse("models_registry:transition", args=[model.pk, "submit"]),
                           {"comment": "Đơn vị mới thành lập, cho phép nộp muộn."})
    assert response.status_code == 302
    model.refresh_from_db()
    assert model.state == State.SUBMITTED and model.submitted_late
    event = model.events.get(action=ModelEvent.Action.SUBMIT)
    assert event.is_override and event.actor == people["leader"]
    page = client.get(reverse("models_registry:detail", args=[model.pk])).content.decode()
    assert "lãnh đạo cho phép sau hạn" in page


def test_leadership_cannot_submit_for_staff_before_the_deadline(client, people, make_model, before_deadline):
    model = make_model()
    client.force_login(people["leader"])
    response = client.post(reverse("models_registry:transition", args=[model.pk, "submit"]), {"comment": "x"})
    assert response.status_code == 403


def test_leadership_set_a_deadline_for_their_unit(client, people, tree):
    client.force_login(people["leader"])
    response = client.post(reverse("models_registry:deadlines"), {"year": 2025, "date": "2025-04-20"})
    assert response.status_code == 302
    assert deadline_for(tree["village"], 2025) == dt.date(2025, 4, 20)
    client.force_login(people["staff"])
    assert client.post(reverse("models_registry:deadlines"), {"year": 2025, "date": "2025-12-20"}).status_code == 403
    assert deadline_for(tree["village"], 2025) == dt.date(2025, 4, 20)


def test_a_leader_sets_a_deadline_only_within_the_level_aboves(client, people, tree, make_user, before_deadline):
    province_leader = make_user(tree["province"], "lanhdao", username="lanhdao_t")
    services.deadline_set(user=province_leader, unit=tree["province"], year=2025, date=dt.date(2025, 4, 30))
    with pytest.raises(ValidationError, match="30/04/2025"):
        services.deadline_set(user=people["leader"], unit=tree["district"], year=2025, date=dt.date(2025, 5, 15))
    client.force_login(people["leader"])
    page = client.get(reverse("models_registry:deadlines")).content.decode()
    assert "trước ngày 30/04/2025: hạn của đơn vị không được muộn hơn" in page
    response = client.post(reverse("models_registry:deadlines"), {"year": 2025, "date": "2025-05-15"})
    assert response.status_code == 200 and "không được muộn hơn" in response.content.decode()
    assert client.post(reverse("models_registry:deadlines"), {"year": 2025, "date": "2025-04-25"}).status_code == 302
    assert deadline_for(tree["village"], 2025) == dt.date(2025, 4, 25)


def test_the_deadline_page_is_linked_from_the_leaders_model_list(client, people):
    client.force_login(people["leader"])
    assert reverse("models_registry:deadlines") in client.get(reverse("models_registry:list")).content.decode()
    client.force_login(people["staff"])
    assert reverse("models_registry:deadlines") not in client.get(reverse("models_registry:list")).content.decode()
