"""Two people editing the same model: the second save is refused, the first is kept."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from models_registry import services
from models_registry.models import State
from tests.models_registry.conftest import model_form_data

pytestmark = pytest.mark.django_db


def test_second_save_of_a_stale_form_is_refused_and_keeps_the_first(client, people, make_user, make_model, phase):
    colleague = make_user(people["staff"].unit, "canbo")
    model = make_model(state=State.DRAFT)
    opened_version = model.version
    url = reverse("models_registry:edit", args=[model.pk])

    client.force_login(people["staff"])
    first = client.post(url, model_form_data(phase, name="Bản sửa thứ nhất", version=opened_version))
    assert first.status_code == 302

    client.force_login(colleague)
    second = client.post(url, model_form_data(phase, name="Bản sửa thứ hai", version=opened_version))
    page = second.content.decode()
    assert second.status_code == 200
    assert "vừa được người khác sửa" in page
    assert "Bản sửa thứ hai" in page  # what the second person typed is still in the form
    model.refresh_from_db()
    assert model.name == "Bản sửa thứ nhất"
    assert model.version == opened_version + 1


def test_update_service_checks_the_version(people, make_model, phase):
    model = make_model(state=State.DRAFT)
    data = {"phase": phase, "year": 2025, "field": model.field, "name": "Mới", "registration_kind": "new",
            "goals": "a", "target_group": "b", "how_it_works": "c", "leader_text": "d",
            "start_date": model.start_date, "expected_results": "e"}
    services.model_update(model=model, user=people["staff"], data=data, version=1)
    with pytest.raises(ValidationError, match="người khác sửa"):
        services.model_update(model=model, user=people["staff"], data={**data, "name": "Cũ"}, version=1)


def test_transitions_move_the_version_so_an_open_form_goes_stale(client, people, make_model, phase, before_deadline):
    model = make_model(state=State.SUBMITTED)
    opened = model.version
    services.model_return(model=model, user=people["leader"], comment="Sửa mục tiêu.")
    client.force_login(people["staff"])
    response = client.post(reverse("models_registry:edit", args=[model.pk]),
                           model_form_data(phase, name="Sửa trên bản cũ", version=opened))
    assert "vừa được người khác sửa" in response.content.decode()
