"""A worker killed in the middle of the 15/10 report: the request is rebuilt once, into one file."""


import pytest
from django.core.management import call_command

from documents import reporting
from tests.conftest import kill_worker, wait_for_status

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_killed_mid_1510_report_leaves_it_to_be_redone_once(worker):
    call_command("seed_demo", "--size", "province", "--seed", "3")
    from awards.commendations.selectors import latest_year
    from portal.units.models import Unit

    root = Unit.objects.get(code="LD")
    year = latest_year()
    report, created = reporting.report_request(kind="commendation-1510", params={"unit_id": root.pk, "year": year},
                                               unit=root, user=None)
    assert created
    assert wait_for_status(report, "running").status == "running"
    kill_worker(worker)
    report.refresh_from_db()
    assert report.status == "running" and report.attempts == 1 and not report.file_path
    # Asking again meanwhile joins the stuck request instead of starting a second one.
    again, created = reporting.report_request(kind="commendation-1510", params={"unit_id": root.pk, "year": year},
                                              unit=root, user=None)
    assert not created and again.pk == report.pk
    worker.start()  # a new worker takes the unacknowledged message back
    report = wait_for_status(report, "done", timeout=150, interval=0.2)
    assert report.status == "done" and report.attempts == 2 and report.pages
    # This request's files only: an earlier test of the same session may have left a report of
    # other parameters under the same id (ids restart with each test's database).
    files = list(reporting.storage_dir().glob(f"{report.pk}-{report.params_key[:12]}*"))
    assert [f.name for f in files] == [f"{report.pk}-{report.params_key[:12]}"]
