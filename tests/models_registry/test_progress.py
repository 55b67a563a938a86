"""Progress reports: period, what was done, results in numbers, evidence."""

import pytest
from django.urls import reverse

from models_registry.models import State
from tests.models_registry.conftest import jpeg_bytes, upload

pytestmark = pytest.mark.django_db


def test_staff_add_a_progress_report_with_results_and_evidence(client, people, make_model):
    model = make_model(state=State.REGISTERED)
    client.force_login(people["staff"])
    response = client.post(reverse("models_registry:report_create", args=[model.pk]), {
        "period_start": "2025-04-01", "period_end": "2025-06-30", "activities": "Trao 12 suất học bổng.",
        "people_reached": "450", "beneficiaries": "12", "money_raised": "24000000", "works_built": "2",
        "attachments": [upload("trao-qua.jpg", jpeg_bytes(gps=True))],
    })
    assert response.status_code == 302
    report = model.reports.get()
    assert (report.people_reached, report.beneficiaries, report.money_raised, report.works_built) == (450, 12, 24_000_000, 2)
    assert report.attachments.get().model == model
    assert model.events.filter(action="report").exists()
    page = client.get(reverse("models_registry:detail", args=[model.pk])).content.decode()
    assert "Trao 12 suất học bổng." in page and "24.000.000" in page


def test_report_period_must_end_after_it_starts(client, people, make_model):
    model = make_model(state=State.REGISTERED)
    client.force_login(people["staff"])
    response = client.post(reverse("models_registry:report_create", args=[model.pk]), {
        "period_start": "2025-06-30", "period_end": "2025-04-01", "activities": "Nội dung đã gõ",
        "people_reached": "1", "beneficiaries": "1", "money_raised": "0", "works_built": "0",
    })
    page = response.content.decode()
    assert "Ngày kết thúc phải sau ngày bắt đầu." in page and "Nội dung đã gõ" in page
    assert not model.reports.exists()


def test_no_progress_report_before_the_model_is_registered(client, people, make_model):
    model = make_model(state=State.SUBMITTED)
    client.force_login(people["staff"])
    assert client.get(reverse("models_registry:report_create", args=[model.pk])).status_code == 403
