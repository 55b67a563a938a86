"""Leadership issues a decision from a proposal, picks the signer, downloads the PDF and the DOCX.

(The signing step will join this journey when documents.signing is integrated.)
"""

import io

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from portal.demo import DEMO_PASSWORD_FALLBACK

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leadership_issues_a_decision_picks_the_signer_and_downloads_pdf_and_docx(page, live_server, login_page,
                                                                                  settings):
    from django.core.management import call_command
    from django.urls import reverse
    from docx import Document

    from awards.models import AwardProposal
    from documents.models import OutgoingDocument

    settings.DEMO_PASSWORD = ""
    call_command("seed_demo", "--size", "small", stdout=io.StringIO())
    # A commune's 15/10 proposal waiting for the province's leadership.
    from awards.models import AwardForm, AwardLevel, AwardSubject, Occasion, ProposingBody
    from models_registry.models import DvkModel
    from portal.units.models import Unit

    model = DvkModel.objects.filter(unit__is_active=True, unit__kind__code__in=["xa", "phuong"]).first()
    commune = model.unit
    proposal = AwardProposal.objects.create(unit=commune, body=ProposingBody.CELL, decider_unit=Unit.objects.get(path=commune.path[:-Unit.steplen]),
                                            occasion=Occasion.DAY_1510, year=model.year, phase=model.phase,
                                            status="submitted")
    AwardSubject.objects.create(proposal=proposal, kind="model", model=model, subject_key=f"model:{model.pk}",
                                name=model.name, unit=commune, occasion=Occasion.DAY_1510, year=model.year,
                                form=AwardForm.CERTIFICATE, level=AwardLevel.PROVINCE, reason="Hiệu quả, lan tỏa.")
    login_page("lanhdao", DEMO_PASSWORD_FALLBACK)
    page.goto(live_server.url + reverse("awards:proposal_detail", args=[proposal.pk]))
    expect(page.locator("h1")).to_contain_text(proposal.unit.name)
    signer = page.get_by_label("Người ký")
    signer.select_option(label="Phạm Thị Hồng Nhung – K/T TRƯỞNG BAN / PHÓ TRƯỞNG BAN")
    page.on("dialog", lambda dialog: dialog.accept())  # "Ra quyết định khen thưởng? …"
    with page.expect_navigation():
        page.get_by_role("button", name="Ban hành quyết định").click()
    entry = OutgoingDocument.objects.get(decision__proposal=proposal)
    assert entry.symbol.endswith("-QĐ/BTGDVTU") and entry.signer_name == "Phạm Thị Hồng Nhung"
    expect(page.locator(".alert-success").first).to_contain_text(entry.symbol)
    with page.expect_download() as info:
        page.get_by_role("link", name="Quyết định đã ban hành (PDF)").click()
    pdf = open(info.value.path(), "rb").read()
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert f"Số {entry.symbol}" in text and "TỈNH ỦY LÂM ĐỒNG" in text and "PHÓ TRƯỞNG BAN" in text
    assert "Phạm Thị Hồng Nhung" in text
    with page.expect_download() as info:
        page.get_by_role("link", name="Quyết định đã ban hành (DOCX)").click()
    assert info.value.suggested_filename.endswith(".docx")
    document = Document(info.value.path())
    cells = " ".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert entry.symbol in cells and "Phạm Thị Hồng Nhung" in cells
