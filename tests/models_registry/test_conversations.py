"""Conversations both ways and no dead ends: threads, "request changes" with field notes,
extensions, a return near the deadline, continuing into the next year, deleting a draft, editing
a report until the model is evaluated."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from models_registry import services
from models_registry.models import DvkModel, ExtensionRequest, ModelEvent, State
from plans.models import Notification
from tests.models_registry.factories import ProgressReportFactory

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


def test_a_comment_thread_goes_both_ways(client, people, make_model, before_deadline):
    model = make_model(state=State.SUBMITTED)
    services.model_comment(model=model, user=people["cell"], comment="Nêu rõ số hộ được giúp.")
    assert kinds(people["staff"]) == ["model.commented"]
    client.force_login(people["staff"])
    response = client.post(reverse("models_registry:transition", args=[model.pk, "comment"]),
                           {"comment": "Đã bổ sung: 12 hộ."})
    assert response.status_code == 302
    assert kinds(people["cell"]) == ["model.commented"]  # the reply reaches who wrote before
    page = client.get(reverse("models_registry:detail", args=[model.pk])).content.decode()
    assert page.index("Nêu rõ số hộ được giúp.") < page.index("Đã bổ sung: 12 hộ.")


def test_request_changes_shows_each_note_beside_its_field(client, people, make_model, before_deadline):
    model = make_model(state=State.SUBMITTED)
    client.force_login(people["leader"])
    response = client.post(reverse("models_registry:transition", args=[model.pk, "return"]), {
        "comment": "", "note_goals": "Mục tiêu cần có số liệu.", "note_resources": "Ghi rõ nguồn kinh phí.",
    })
    assert response.status_code == 302
    model.refresh_from_db()
    assert model.state == State.RETURNED
    assert model.return_field_notes == {"goals": "Mục tiêu cần có số liệu.", "resources": "Ghi rõ nguồn kinh phí."}
    client.force_login(people["staff"])
    form = client.get(reverse("models_registry:edit", args=[model.pk])).content.decode()
    goals_at, note_at = form.index('name="goals"'), form.index('data-field-note="goals"')
    assert 0 < note_at - goals_at < 1500  # the note sits right under its field
    assert "Mục tiêu cần có số liệu." in form and 'data-field-note="resources"' in form
    assert 'data-field-note="name"' not in form
    event = ModelEvent.objects.get(model=model, action="return")
    assert "Mục tiêu: Mục tiêu cần có số liệu." in event.comment


def test_a_return_needs_a_note(people, make_model, before_deadline):
    model = make_model(state=State.SUBMITTED)
    with pytest.raises(ValidationError):
        services.model_return(model=model, user=people["leader"], comment=" ", field_notes={"goals": " "})


def test_an_extension_is_asked_granted_with_a_date_and_then_the_unit_submits(client, people, make_model,
                                                                            after_deadline):
    model = make_model(state=State.DRAFT)
    with pytest.raises(ValidationError, match="hết hạn"):
        services.model_submit(model=model, user=people["staff"])
    client.force_login(people["staff"])
    detail = client.get(reverse("models_registry:detail", args=[model.pk])).content.decode()
    assert reverse("models_registry:extension_request", args=[model.pk]) in detail
    client.post(reverse("models_registry:extension_request", args=[model.pk]), {"reason": "Chờ Chi ủy họp."})
    request = ExtensionRequest.objects.get(model=model)
    assert kinds(people["leader"]) == ["model.extension_requested"]
    assert not Notification.objects.filter(user=people["foreign_leader"]).exists()

    client.force_login(people["leader"])
    response = client.post(reverse("models_registry:extension_decide", args=[request.pk]),
                           {"grant": "1", "until": "2025-04-25", "note": ""})
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == "granted" and request.until == dt.date(2025, 4, 25)
    assert kinds(people["staff"]) == ["model.extension_decided"]
    model.refresh_from_db()
    model = services.model_submit(model=model, user=people["staff"])
    assert model.state == State.SUBMITTED and not model.submitted_late
    assert ModelEvent.objects.filter(model=model, action="extension_grant").exists()


def test_a_refusal_needs_a_reason_and_is_recorded(people, make_model, after_deadline):
    model = make_model(state=State.DRAFT)
    request = services.extension_request(model=model, user=people["staff"], reason="Ốm")
    with pytest.raises(ValidationError):
        services.extension_decide(request=request, user=people["leader"], grant=False, note="")
    services.extension_decide(request=request, user=people["leader"], grant=False, note="Đã nhắc nhiều lần")
    request.refresh_from_db()
    assert request.status == "refused" and request.decision_note == "Đã nhắc nhiều lần"
    with pytest.raises(PermissionDenied):
        services.extension_decide(request=request, user=people["staff"], grant=True, until=dt.date(2025, 5, 1))


def test_a_model_returned_near_the_deadline_gets_the_days_to_resubmit(people, make_model, time_machine):
    time_machine.move_to(dt.datetime(2025, 4, 7, 9, 0, tzinfo=TZ), tick=False)  # deadline: before 9 April
    model = make_model(state=State.SUBMITTED)
    model = services.model_return(model=model, user=people["leader"], comment="Sửa tên")
    assert model.submit_until == dt.date(2025, 4, 12)
    time_machine.move_to(dt.datetime(2025, 4, 11, 9, 0, tzinfo=TZ), tick=False)
    model = services.model_submit(model=model, user=people["staff"])
    assert model.state == State.SUBMITTED


def test_continue_into_next_year_makes_one_linked_prefilled_copy(client, people, make_model, phase):
    from tests.factories import PhaseFactory

    PhaseFactory(name="2026 – 2030", start_year=2026, end_year=2030, is_current=False)
    model = make_model(state=State.EVALUATED, is_effective=True)
    client.force_login(people["staff"])
    detail = client.get(reverse("models_registry:detail", args=[model.pk])).content.decode()
    assert "Duy trì sang năm 2026" in detail
    response = client.post(reverse("models_registry:continue", args=[model.pk]))
    copy = DvkModel.objects.get(continues=model)
    assert response.url == reverse("models_registry:edit", args=[copy.pk])
    assert (copy.year, copy.state, copy.registration_kind, copy.name) == (2026, "draft", "maintained", model.name)
    client.post(reverse("models_registry:continue", args=[model.pk]))  # twice: still one
    assert DvkModel.objects.filter(continues=model, year=2026).count() == 1
    detail = client.get(reverse("models_registry:detail", args=[model.pk])).content.decode()
    assert reverse("models_registry:detail", args=[copy.pk]) in detail and "Duy trì sang năm 2026" not in detail
    back = client.get(reverse("models_registry:detail", args=[copy.pk])).content.decode()
    assert reverse("models_registry:detail", args=[model.pk]) in back


def test_a_draft_is_deleted_after_confirmation_and_a_submitted_one_is_not(client, people, make_model,
                                                                           before_deadline):
    draft = make_model(state=State.DRAFT)
    client.force_login(people["staff"])
    assert reverse("models_registry:delete", args=[draft.pk]) in client.get(
        reverse("models_registry:detail", args=[draft.pk])).content.decode()
    confirm = client.get(reverse("models_registry:delete", args=[draft.pk]))
    assert confirm.status_code == 200 and DvkModel.objects.filter(pk=draft.pk).exists()
    assert client.post(reverse("models_registry:delete", args=[draft.pk])).status_code == 302
    assert not DvkModel.objects.filter(pk=draft.pk).exists()
    submitted = make_model(state=State.SUBMITTED)
    assert client.post(reverse("models_registry:delete", args=[submitted.pk])).status_code == 403
    client.force_login(people["leader"])
    other = make_model(state=State.DRAFT)
    assert client.post(reverse("models_registry:delete", args=[other.pk])).status_code in (403, 404)
    assert DvkModel.objects.filter(pk=other.pk).exists()


def test_a_progress_report_is_editable_until_the_model_is_evaluated(client, people, make_model):
    model = make_model(state=State.REGISTERED)
    report = ProgressReportFactory(model=model, created_by=people["staff"])
    client.force_login(people["staff"])
    url = reverse("models_registry:report_edit", args=[report.pk])
    assert url in client.get(reverse("models_registry:detail", args=[model.pk])).content.decode()
    response = client.post(url, {"period_start": "2025-04-01", "period_end": "2025-06-30",
                                 "activities": "Lắp 45 bóng đèn.", "people_reached": 130, "beneficiaries": 300,
                                 "money_raised": 15000000, "works_built": 1})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.activities == "Lắp 45 bóng đèn." and report.people_reached == 130
    DvkModel.objects.filter(pk=model.pk).update(state=State.EVALUATED)
    assert client.get(url).status_code == 403
    assert url not in client.get(reverse("models_registry:detail", args=[model.pk])).content.decode()
