"""Every transition by every role, through the URLs: allowed ones happen, forbidden ones answer
403 (inside the subtree) or 404 (another subtree), and leave the model unchanged."""

import pytest
from django.urls import reverse

from models_registry.models import ModelEvent, State

pytestmark = pytest.mark.django_db

ROLES = ["staff", "union", "cell", "leader", "foreign_staff", "foreign_leader", "admin"]

# action -> (starting state and fields, POST data, roles allowed, resulting state). Every case sends a
# comment of its own, so that the event is shown to carry the comment the person wrote.
CASES = {
    "submit": ({"state": State.DRAFT}, {"comment": "Kính gửi lãnh đạo xem xét."}, {"staff", "admin"}, State.SUBMITTED),
    "comment": ({"state": State.SUBMITTED}, {"comment": "Cần nêu rõ nguồn kinh phí."}, {"staff", "cell", "leader", "admin"}, State.SUBMITTED),
    "approve": ({"state": State.SUBMITTED}, {"comment": "Đồng ý cho đăng ký."}, {"leader", "admin"}, State.REGISTERED),
    "return": ({"state": State.SUBMITTED}, {"comment": "Bổ sung chỉ tiêu cụ thể."}, {"leader", "admin"}, State.RETURNED),
    "recognise": ({"state": State.EVALUATED, "is_effective": True}, {"comment": "Hiệu quả rõ rệt, đề nghị công nhận."}, {"leader", "admin"}, State.RECOGNISED),
    "publish": ({"state": State.RECOGNISED, "recognition_level": 2}, {"comment": "Công khai để các đơn vị nhân rộng."}, {"leader", "admin"}, State.RECOGNISED),
    "unpublish": ({"state": State.RECOGNISED, "recognition_level": 2, "is_public": True}, {"comment": "Tạm ẩn để cập nhật số liệu."}, {"leader", "admin"}, State.RECOGNISED),
}


def _expected_status(role, allowed, public=False):
    """Allowed: redirect to the model. Refused: 403 inside the subtree (or on a public model,
    which everyone may see), 404 for another subtree's model, whose existence is not revealed."""
    if role in allowed:
        return 302
    return 404 if role.startswith("foreign") and not public else 403


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(CASES))
def test_transition_allowed_only_to_the_roles_the_workflow_names(client, people, make_model, before_deadline, action, role):
    start, data, allowed, target = CASES[action]
    model = make_model(**start)
    client.force_login(people[role])
    response = client.post(reverse("models_registry:transition", args=[model.pk, action]), data)
    assert response.status_code == _expected_status(role, allowed, public=start.get("is_public", False))
    model.refresh_from_db()
    events = ModelEvent.objects.filter(model=model, action=action)
    if role in allowed:
        assert model.state == target
        event = events.get()
        assert event.actor == people[role]
        assert data["comment"] and data["comment"] in event.comment  # every case writes a comment
    else:
        assert model.state == start["state"]
        assert not events.exists()


@pytest.mark.parametrize("role", ROLES)
def test_progress_report_only_by_unit_staff(client, people, make_model, role):
    model = make_model(state=State.REGISTERED)
    client.force_login(people[role])
    response = client.post(reverse("models_registry:report_create", args=[model.pk]), {
        "period_start": "2025-04-01", "period_end": "2025-06-30", "activities": "Trao 5 suất quà.",
        "people_reached": 50, "beneficiaries": 5, "money_raised": 2500000, "works_built": 0,
    })
    assert response.status_code == _expected_status(role, {"staff", "admin"})
    assert model.reports.count() == (1 if role in {"staff", "admin"} else 0)


@pytest.mark.parametrize("role", ROLES)
def test_year_end_evaluation_by_unit_staff_or_leadership(client, people, make_model, role):
    model = make_model(state=State.REGISTERED)
    client.force_login(people[role])
    response = client.post(reverse("models_registry:evaluate", args=[model.pk]),
                           {"is_effective": "1", "reason": "Đạt và vượt chỉ tiêu."})
    allowed = {"staff", "leader", "admin"}
    assert response.status_code == _expected_status(role, allowed)
    model.refresh_from_db()
    assert model.state == (State.EVALUATED if role in allowed else State.REGISTERED)
    if role in allowed:
        assert model.is_effective is True and model.evaluation_reason == "Đạt và vượt chỉ tiêu."


@pytest.mark.parametrize("role", ROLES)
def test_edit_only_by_unit_staff(client, people, make_model, phase, role):
    from tests.models_registry.conftest import model_form_data

    model = make_model(state=State.DRAFT)
    client.force_login(people[role])
    data = model_form_data(phase, name="Tên đã sửa", version=model.version)
    response = client.post(reverse("models_registry:edit", args=[model.pk]), data)
    assert response.status_code == _expected_status(role, {"staff", "admin"})
    model.refresh_from_db()
    assert (model.name == "Tên đã sửa") == (role in {"staff", "admin"})


@pytest.mark.parametrize(
    "action,state",
    [
        ("approve", State.DRAFT), ("approve", State.REGISTERED), ("return", State.DRAFT),
        ("submit", State.SUBMITTED), ("submit", State.REGISTERED), ("recognise", State.REGISTERED),
        ("publish", State.EVALUATED), ("publish", State.SUBMITTED), ("unpublish", State.RECOGNISED),
    ],
)
def test_no_url_takes_a_transition_from_the_wrong_state(client, people, make_model, before_deadline, action, state):
    model = make_model(state=state, is_effective=True)
    client.force_login(people["admin"])
    response = client.post(reverse("models_registry:transition", args=[model.pk, action]), {"comment": "x"})
    assert response.status_code == 403
    model.refresh_from_db()
    assert model.state == state


def test_recognising_an_ineffective_model_is_refused(client, people, make_model):
    model = make_model(state=State.EVALUATED, is_effective=False)
    client.force_login(people["leader"])
    response = client.post(reverse("models_registry:transition", args=[model.pk, "recognise"]))
    assert response.status_code == 403


def test_return_requires_the_changes_and_staff_see_them_on_the_form(client, people, make_model):
    model = make_model(state=State.SUBMITTED)
    client.force_login(people["leader"])
    response = client.post(reverse("models_registry:transition", args=[model.pk, "return"]), {"comment": ""})
    assert response.status_code == 200
    assert "Vui lòng" in response.content.decode() or "bắt buộc" in response.content.decode()
    model.refresh_from_db()
    assert model.state == State.SUBMITTED
    client.post(reverse("models_registry:transition", args=[model.pk, "return"]), {"comment": "Bổ sung số hộ tham gia."})
    client.force_login(people["staff"])
    page = client.get(reverse("models_registry:edit", args=[model.pk])).content.decode()
    assert "Bổ sung số hộ tham gia." in page


def test_timeline_shows_each_step_with_who_and_comment(client, people, make_model, before_deadline):
    model = make_model(state=State.DRAFT)
    client.force_login(people["staff"])
    client.post(reverse("models_registry:transition", args=[model.pk, "submit"]))
    client.force_login(people["cell"])
    client.post(reverse("models_registry:transition", args=[model.pk, "comment"]), {"comment": "Chi ủy thống nhất."})
    client.force_login(people["leader"])
    client.post(reverse("models_registry:transition", args=[model.pk, "approve"]), {"comment": "Đồng ý triển khai."})
    page = client.get(reverse("models_registry:detail", args=[model.pk])).content.decode()
    for text in ("Gửi đăng ký", "Góp ý", "Chi ủy thống nhất.", "Duyệt đăng ký", "Đồng ý triển khai.", str(people["cell"])):
        assert text in page
    assert list(model.events.values_list("action", flat=True)) == ["submit", "comment", "approve"]


def test_draft_is_visible_only_inside_its_unit(client, people, tree, make_user, make_model):
    commune_staff = make_user(tree["commune"], "canbo")
    draft = make_model(unit=tree["commune"], state=State.DRAFT, created_by=commune_staff)
    client.force_login(people["leader"])  # district leadership: the commune is in their subtree
    assert client.get(reverse("models_registry:detail", args=[draft.pk])).status_code == 404
    assert draft.name not in client.get(reverse("models_registry:list")).content.decode()
    client.force_login(commune_staff)
    assert client.get(reverse("models_registry:detail", args=[draft.pk])).status_code == 200


def test_an_invalid_registration_shows_one_error_summary_linking_to_each_field(client, people, phase):
    from tests.models_registry.conftest import model_form_data

    client.force_login(people["staff"])
    data = model_form_data(phase, name="", target_group="Hội viên phụ nữ", start_date="31/02/2025")
    page = client.post(reverse("models_registry:create"), data).content.decode()
    assert page.count("data-error-summary") == 1
    assert 'role="alert"' in page and 'href="#id_name"' in page and 'href="#id_start_date"' in page
    assert 'value="Hội viên phụ nữ"' in page  # the typed value stays


def test_a_saved_draft_says_when_it_was_saved(client, people, make_model):
    import datetime as dt

    import time_machine

    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 41, tzinfo=dt.timezone(dt.timedelta(hours=7))), tick=False):
        model = make_model(state=State.DRAFT)
    client.force_login(people["staff"])
    for url in (reverse("models_registry:edit", args=[model.pk]), reverse("models_registry:detail", args=[model.pk])):
        assert "Đã lưu nháp lúc 09:41 ngày 02/03/2026." in client.get(url).content.decode()


def test_an_evaluation_without_a_result_leads_from_the_summary_to_the_first_choice(client, people, make_model):
    """A radio group has no id of its own: the summary's link goes to its first option, which exists."""
    model = make_model(state=State.REGISTERED)
    client.force_login(people["staff"])
    page = client.post(reverse("models_registry:evaluate", args=[model.pk]), {"reason": "Chưa chọn kết quả."})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="#id_is_effective_0">Kết quả đánh giá:' in html
    assert 'id="id_is_effective_0"' in html
    assert "Chưa chọn kết quả.</textarea>" in html  # the reason typed is kept
