import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from documents import reporting
from portal.models import ReportRequest
from tests.conftest import kill_worker, wait_for_status

pytestmark = pytest.mark.django_db


def test_a_report_request_is_built_and_downloaded_by_its_subtree(client, people, tree):
    client.force_login(people["leader"])
    from django.test import RequestFactory

    from documents.views import start

    rf = RequestFactory().post("/")
    rf.user = people["leader"]
    rf.session = client.session
    from django.contrib.messages.storage.fallback import FallbackStorage

    rf._messages = FallbackStorage(rf)
    response = start(rf, kind="unit-list", params={"unit_id": tree["district"].pk, "date": "2025-10-15"},
                     unit=tree["district"])
    report = ReportRequest.objects.get()
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.status == "done" and report.progress == 100 and len(report.sha256) == 64
    status = client.get(reverse("reports:status", args=[report.pk])).json()
    assert status["status"] == "done" and status["download_url"]
    pdf = b"".join(client.get(status["download_url"]).streaming_content)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Thôn Đông Giang" in text and "Xã Hàm Đức" in text and "Xã Phước Thể" not in text
    # Another subtree cannot see or download it.
    client.force_login(people["foreign_leader"])
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404


def test_the_same_request_over_the_same_data_gives_the_same_file(people, tree):
    params = {"unit_id": tree["district"].pk, "date": "2025-10-15"}
    first, _ = reporting.report_request(kind="unit-list", params=params, unit=tree["district"], user=people["leader"])
    second, created = reporting.report_request(kind="unit-list", params=params, unit=tree["district"], user=people["leader"])
    first.refresh_from_db()
    second.refresh_from_db()
    assert created and first.pk != second.pk and second.status == "done"
    assert first.sha256 == second.sha256


def test_an_identical_running_request_is_joined(people, tree):
    params = {"unit_id": tree["district"].pk, "date": "2025-10-15"}
    running = ReportRequest.objects.create(kind="unit-list", params=params, unit=tree["district"],
                                           params_key=reporting.params_key("unit-list", params), status="running")
    joined, created = reporting.report_request(kind="unit-list", params=params, unit=tree["district"], user=people["staff"])
    assert not created and joined.pk == running.pk
    assert ReportRequest.objects.count() == 1


def test_make_report_writes_a_pdf(tree, tmp_path):
    out = tmp_path / "ds.pdf"
    call_command("make_report", "unit-list", "--unit", "H01", "--year", "2025", "--output", str(out))
    text = PdfReader(str(out)).pages[0].extract_text()
    assert "DANH SÁCH" in text and "Huyện Hàm Thuận Bắc" in text


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_report_leaves_it_to_be_redone_once(live_worker, worker):
    """SIGKILL during the build: the message is redelivered (acks late) and there is one file."""
    call_command("seed_demo", "--size", "province", "--seed", "3")
    from portal.units.models import Unit

    root = Unit.objects.get(code="LD")
    report, _ = reporting.report_request(kind="unit-list", params={"unit_id": root.pk, "date": "2026-10-15"},
                                         unit=root, user=None)
    assert wait_for_status(report, "running").status == "running"
    kill_worker(worker)
    report.refresh_from_db()
    assert report.status == "running" and report.attempts == 1
    worker.start()  # a new worker takes the unacknowledged message back
    assert wait_for_status(report, "done", timeout=120, interval=0.2).attempts == 2
    files = list(reporting.storage_dir().glob(f"{report.pk}-{report.params_key[:12]}*"))
    assert [f.name for f in files] == [Path(report.file_path).name]  # one file, no leftover part
