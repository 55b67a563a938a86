"""Leadership asks for the 15/10 report, watches the progress bar finish and downloads the PDF."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect
from pypdf import PdfReader

from portal.demo import DEMO_PASSWORD_FALLBACK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leadership_asks_for_the_1510_report_and_downloads_it(page, live_server, login_page, settings, worker):
    settings.DEMO_PASSWORD = ""
    call_command("seed_demo", "--size", "small")
    from awards.models import AwardSubject
    from portal.models import ReportRequest

    login_page("lanhdao", DEMO_PASSWORD_FALLBACK)
    year = AwardSubject.objects.filter(status="approved", occasion="1510").order_by("-year").first().year
    page.goto(f"{live_server.url}/awards/1510/?year={year}")
    expect(page.locator("h1")).to_contain_text(f"tổng hợp 15/10 {year}")
    assert page.locator("figure svg").count() == 4  # charts drawn on the server
    page.click("#ask-1510")
    page.wait_for_url("**/reports/*/")
    bar = page.locator("[data-progress-bar]")
    expect(bar).to_have_text("100%", timeout=60_000)  # polled from the worker's progress
    expect(page.locator("[role=progressbar]")).to_have_attribute("aria-valuenow", "100")
    link = page.locator("[data-download]")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == f"bao-cao-15-10-{year}-LD.pdf"
    pdf = open(download.path(), "rb").read()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and f"Ngày truyền thống công tác dân vận 15/10/{year}" in text
    first = AwardSubject.objects.filter(status="approved", occasion="1510", year=year).order_by("-level").first()
    assert " ".join(first.name.split()) in text
    report = ReportRequest.objects.get()
    assert report.status == "done" and report.requested_by.username == "lanhdao" and report.attempts == 1
