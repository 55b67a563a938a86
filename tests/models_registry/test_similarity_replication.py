"""Copied registrations are flagged; replications are linked and counted where they spread;
recognition follows the level of the unit that recognises."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from models_registry import services
from models_registry.models import DvkModel, RecognitionLevel, State
from models_registry.selectors import replication_spread, similar_models
from tests.models_registry.conftest import model_form_data

pytestmark = pytest.mark.django_db

NAME = "Mỗi ngày tiết kiệm 1.000 đồng để làm việc nghĩa"


def test_similar_models_from_earlier_years_and_other_units_this_year(people, tree, make_model):
    earlier = make_model(year=2024, name=NAME, state=State.REGISTERED)
    other_unit = make_model(unit=tree["commune"], name="Mỗi ngày tiết kiệm 1000 đồng làm việc nghĩa", state=State.SUBMITTED)
    make_model(year=2025, name="Đường hoa khu dân cư", state=State.SUBMITTED)
    draft_elsewhere = make_model(unit=tree["village"], name=NAME, state=State.DRAFT)
    matches = similar_models(people["staff"], name="mỗi ngày tiết kiệm 1.000 đồng để làm việc nghĩa",
                             unit=tree["district"], year=2025)
    assert {m.pk for m in matches} == {earlier.pk, other_unit.pk}
    assert draft_elsewhere.pk not in {m.pk for m in matches}


def test_similar_warning_is_shown_while_typing_and_before_submitting(client, people, tree, make_model, before_deadline):
    make_model(year=2024, name=NAME, state=State.REGISTERED)
    mine = make_model(name="Mỗi ngày tiết kiệm 1.000 đồng làm việc nghĩa", state=State.DRAFT)
    client.force_login(people["staff"])
    partial = client.get(reverse("models_registry:similar"), {"name": NAME, "year": 2025}).content.decode()
    assert "giống với mô hình đã đăng ký" in partial and NAME in partial
    confirm = client.get(reverse("models_registry:transition", args=[mine.pk, "submit"])).content.decode()
    assert "giống với mô hình đã đăng ký" in confirm


def test_similar_models_of_another_subtree_are_not_revealed(people, tree, make_model):
    make_model(unit=tree["other_district"], name=NAME, state=State.SUBMITTED)
    assert similar_models(people["staff"], name=NAME, unit=tree["district"], year=2025) == []


def test_recognition_level_follows_the_recognising_unit(people, tree, make_user, make_model):
    model = make_model(unit=tree["commune"], state=State.EVALUATED, is_effective=True)
    commune_leader = make_user(tree["commune"], "lanhdao")
    province_leader = make_user(tree["province"], "lanhdao")
    model = services.model_recognise(model=model, user=commune_leader)
    assert model.recognition_level == RecognitionLevel.UNIT
    model = services.model_recognise(model=model, user=people["leader"])
    assert model.recognition_level == RecognitionLevel.DISTRICT and model.recognised_by == tree["district"]
    with pytest.raises(PermissionDenied):  # the same level again is not a new recognition
        services.model_recognise(model=model, user=people["leader"])
    model = services.model_recognise(model=model, user=province_leader)
    assert model.recognition_level == RecognitionLevel.PROVINCE
    assert model.events.filter(action="recognise").count() == 3


def test_replication_links_to_the_original_and_counts_per_district(client, people, tree, make_user, make_model, phase):
    original = make_model(unit=tree["other_commune"], name=NAME, state=State.RECOGNISED,
                          recognition_level=RecognitionLevel.PROVINCE, is_public=True)
    client.force_login(people["staff"])
    page = client.get(reverse("models_registry:create"), {"replicate": original.pk}).content.decode()
    assert "Nhân rộng từ mô hình" in page
    response = client.post(reverse("models_registry:create"),
                           model_form_data(phase, name="Tiết kiệm 1.000 đồng – Hàm Thuận Bắc", replicated_from=original.pk))
    assert response.status_code == 302
    copy = DvkModel.objects.get(replicated_from=original)
    copy.state = State.REGISTERED
    copy.save()
    village_staff = make_user(tree["village"], "canbo")
    services.model_create(user=village_staff, data={
        **{k: v for k, v in model_form_data(phase).items() if k not in ("phase", "start_date")},
        "phase": phase, "start_date": copy.start_date, "replicated_from": original, "continues": None,
    })
    DvkModel.objects.filter(unit=tree["village"]).update(state=State.SUBMITTED)
    replications, spread = replication_spread(original)
    assert {r.unit for r in replications} == {tree["district"], tree["village"]}
    assert spread == [("Huyện Hàm Thuận Bắc", 2)]
    detail = client.get(reverse("models_registry:detail", args=[original.pk])).content.decode()
    assert "Đã được nhân rộng tại 2 đơn vị." in detail and "Huyện Hàm Thuận Bắc: 2" in detail


def test_only_recognised_models_can_be_replicated(people, tree, make_model, phase):
    running = make_model(unit=tree["commune"], state=State.REGISTERED)
    data = {**model_form_data(phase), "phase": phase, "replicated_from": running, "continues": None}
    data["start_date"] = running.start_date
    with pytest.raises(ValidationError):
        services.model_create(user=people["staff"], data=data)


def test_maintained_model_links_to_its_earlier_record(client, people, make_model, phase):
    earlier = make_model(year=2024, name=NAME, state=State.EVALUATED)
    client.force_login(people["staff"])
    # A draft may leave the earlier record unchosen; sending it asks for the link.
    unlinked = client.post(reverse("models_registry:create"),
                           model_form_data(phase, registration_kind="maintained", send="1"))
    draft = DvkModel.objects.get(year=2025)
    assert unlinked.url == reverse("models_registry:edit", args=[draft.pk]) + "?send=1#submit-gaps"
    assert draft.state == State.DRAFT and draft.missing_for_submit() == ["continues"]
    draft.delete()
    ok = client.post(reverse("models_registry:create"),
                     model_form_data(phase, registration_kind="maintained", continues=earlier.pk))
    assert ok.status_code == 302
    assert DvkModel.objects.get(year=2025).continues == earlier


def test_a_linked_replication_is_not_warned_about_its_own_source(people, tree, make_model):
    source = make_model(unit=tree["other_commune"], name=NAME, state=State.RECOGNISED,
                        recognition_level=RecognitionLevel.PROVINCE, is_public=True)
    copy = make_model(name=NAME, replicated_from=source, state=State.DRAFT)
    assert similar_models(people["staff"], name=NAME, unit=tree["district"], year=2025, exclude_pk=copy.pk) == []
    unlinked = make_model(name=NAME + " mới", state=State.DRAFT)
    assert [m.pk for m in similar_models(people["staff"], name=NAME, unit=tree["district"], year=2025,
                                          exclude_pk=unlinked.pk)] == [source.pk]
