"""Half-filled drafts: a registration is saved with its name alone, and everything a proposal needs is
checked when it is sent, with one list of what is missing linking to each field; nothing typed is lost."""

import re

import pytest
from django.urls import reverse

from models_registry import services
from models_registry.models import DvkModel, ModelEvent, State
from tests.models_registry.conftest import model_form_data

pytestmark = pytest.mark.django_db

MISSING = ["field", "goals", "target_group", "how_it_works", "leader_text", "start_date", "expected_results"]


def _summary(page: str) -> str:
    """The page's one error summary (the alert focused after a refused submit)."""
    found = re.findall(r"<div[^>]*data-error-summary.*?</div>", page, re.S)
    assert len(found) == 1, found
    return found[0]


def _name_only(phase) -> dict:
    """What the browser sends when only the name was typed: the choices the form preselects, and the name."""
    return {"phase": phase.pk, "year": 2025, "registration_kind": "new", "name": "Chợ phiên không rác thải nhựa"}


def test_a_draft_with_only_a_name_is_saved_and_shows_what_it_lacks(client, people, phase, before_deadline):
    client.force_login(people["staff"])
    response = client.post(reverse("models_registry:create"), _name_only(phase))
    model = DvkModel.objects.get()
    assert response.url == reverse("models_registry:detail", args=[model.pk])
    assert model.state == State.DRAFT and model.goals == "" and model.start_date is None
    assert model.missing_for_submit() == MISSING

    page = client.get(response.url).content.decode()
    assert "Đã lưu nháp lúc 09:00 ngày 01/03/2025." in page
    edit = reverse("models_registry:edit", args=[model.pk])
    for name in MISSING:
        assert f'href="{edit}#id_{name}"' in page
    assert "bước 2: Nội dung mô hình" in page
    # The form shows the same list, linking to its own fields.
    form = client.get(edit).content.decode()
    assert 'href="#id_goals"' in form and "Đã lưu nháp lúc 09:00" in form


def test_sending_an_incomplete_draft_is_refused_with_the_list(client, people, make_model, before_deadline):
    model = make_model(state=State.DRAFT, goals="", how_it_works="   ", start_date=None)
    client.force_login(people["staff"])
    url = reverse("models_registry:transition", args=[model.pk, "submit"])
    page = client.post(url, {"comment": ""}).content.decode()
    model.refresh_from_db()
    assert model.state == State.DRAFT
    assert not model.events.filter(action=ModelEvent.Action.SUBMIT).exists()
    summary = _summary(page)
    edit = reverse("models_registry:edit", args=[model.pk])
    assert re.findall(r'href="([^"]+)"', summary) == [
        f"{edit}?send=1#id_goals", f"{edit}?send=1#id_how_it_works", f"{edit}?send=1#id_start_date"]
    assert page.count("Cách thức thực hiện") == 1  # each missing field named once on the page
    assert "Gửi đăng ký</button>" not in page  # no button that can only be refused

    with pytest.raises(services.IncompleteModel) as refused:
        services.model_submit(model=model, user=people["staff"])
    assert [gap.name for gap in refused.value.gaps] == ["goals", "how_it_works", "start_date"]
    assert "Mục tiêu, Cách thức thực hiện, Ngày bắt đầu" in refused.value.messages[0]


def test_the_forms_send_button_saves_first_then_marks_what_is_missing(client, people, phase, before_deadline):
    client.force_login(people["staff"])
    typed = {**_name_only(phase), "goals": "Giảm rác thải nhựa ở chợ phiên.", "send": "1"}
    response = client.post(reverse("models_registry:create"), typed)
    model = DvkModel.objects.get()
    edit = reverse("models_registry:edit", args=[model.pk])
    assert response.url == f"{edit}?send=1#submit-gaps"
    assert model.state == State.DRAFT and model.goals == "Giảm rác thải nhựa ở chợ phiên."

    page = client.get(response.url).content.decode()
    summary = _summary(page)
    assert "Chưa gửi được" in summary
    assert re.findall(r'href="#id_(\w+)"', summary) == [n for n in MISSING if n != "goals"]
    assert "Giảm rác thải nhựa ở chợ phiên.</textarea>" in page  # what was typed is there
    assert re.search(r'<textarea[^>]*aria-invalid="true"[^>]*id="id_how_it_works"|'
                     r'<textarea[^>]*id="id_how_it_works"[^>]*aria-invalid="true"', page)
    assert not re.search(r'<textarea[^>]*id="id_goals"[^>]*aria-invalid', page)


def test_a_filled_draft_is_sent_from_the_form(client, people, phase, before_deadline):
    client.force_login(people["staff"])
    client.post(reverse("models_registry:create"), _name_only(phase))
    model = DvkModel.objects.get()
    data = model_form_data(phase, name=model.name, version=model.version, send="1")
    response = client.post(reverse("models_registry:edit", args=[model.pk]), data)
    assert response.url == reverse("models_registry:detail", args=[model.pk])
    model.refresh_from_db()
    assert model.state == State.SUBMITTED and model.missing_for_submit() == []
    assert model.events.filter(action=ModelEvent.Action.SUBMIT).count() == 1


def test_filling_a_draft_then_submitting_from_its_page(client, people, make_model, before_deadline):
    model = make_model(state=State.DRAFT, field="", leader_text="")
    client.force_login(people["staff"])
    url = reverse("models_registry:transition", args=[model.pk, "submit"])
    client.post(url, {"comment": ""})
    assert DvkModel.objects.get(pk=model.pk).state == State.DRAFT
    DvkModel.objects.filter(pk=model.pk).update(field="kinh-te", leader_text="Chi hội Phụ nữ")
    assert client.post(url, {"comment": ""}).status_code == 302
    assert DvkModel.objects.get(pk=model.pk).state == State.SUBMITTED


def test_a_returned_proposal_stays_complete(client, people, make_model, phase, before_deadline):
    model = make_model(state=State.RETURNED, return_note="Nêu rõ kết quả.")
    client.force_login(people["staff"])
    data = model_form_data(phase, name=model.name, version=model.version, expected_results="")
    page = client.post(reverse("models_registry:edit", args=[model.pk]), data).content.decode()
    assert 'href="#id_expected_results"' in _summary(page)
    model.refresh_from_db()
    assert model.expected_results and model.version == 1
