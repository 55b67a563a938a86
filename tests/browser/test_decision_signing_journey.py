"""Leadership issues a decision picking its signer, the signer signs it in the portal, the signed PDF
and the DOCX are downloaded, and the public verification page says the decision is signed."""
# ruff: noqa: F811 - fixtures are imported from commendation_fixtures

import hashlib
import io
from concurrent.futures import ThreadPoolExecutor

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from documents.models import DocumentSignature, OutgoingDocument
from documents.signing import ExpectedDocument, verify_pdf
from tests.awards.commendation_fixtures import (  # noqa: F401
    province_leader,
    record,
)
from tests.awards.conftest import contents  # noqa: F401
from tests.documents.conftest import bodies, docx_text  # noqa: F401
from tests.documents.signing_pki import PASSPHRASE
from tests.documents.test_decisions import _submitted

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
pytest_plugins = ["tests.documents.signing_fixtures"]


def test_leadership_issues_a_decision_signs_it_and_the_verification_page_shows_it_signed(
        page, live_server, login_page, settings, tmp_path, people, record, province_leader, bodies, pki,
        root_pem, anchors):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.DOCUMENT_SIGNING_BACKEND = "pkcs12"
    settings.DOCUMENT_SIGNING_PKCS12_PATH = str(pki.write_p12("portal.p12", pki.signer, [pki.intermediate]))
    settings.DOCUMENT_SIGNING_PKCS12_PASSPHRASE = PASSPHRASE
    settings.DOCUMENT_TRUST_ANCHORS = [str(root_pem)]
    deputy = bodies["new_deputy"]
    deputy.user = province_leader  # the leader signs with her own account
    deputy.save()
    proposal, a, b = _submitted(people, record)
    page.on("dialog", lambda dialog: dialog.accept())  # the "are you sure" of the decision form

    # 1. Leadership issues the decision, picking the signer.
    login_page(province_leader.username)
    page.goto(f"{live_server.url}/awards/commendations/{proposal.pk}/")
    page.fill("#id_date", "2025-10-10")
    page.select_option("#id_signer", str(deputy.pk))
    page.get_by_role("button", name="Ban hành quyết định").click()
    expect(page.locator(".alert-success").first).to_contain_text("1-QĐ/BTGDVTU")

    # 2. The signer opens it in the register and signs it (confirmation page, then signed).
    page.locator("[data-register-entry]").click()
    expect(page.locator("[data-unsigned]")).to_be_visible()
    page.locator("[data-sign]").click()
    expect(page.locator("[data-signer-name]")).to_have_text("Phạm Thị Hồng Nhung")
    page.locator("[data-confirm-sign]").click()
    expect(page.locator("[data-signed]")).to_contain_text("Đã ký số bởi Phạm Thị Hồng Nhung lúc", timeout=60_000)

    # 3. Downloads: the signed PDF (valid, the issued document) and the editable DOCX.
    entry = OutgoingDocument.objects.get()
    signature = DocumentSignature.objects.get(entry=entry)
    with page.expect_download() as info:
        page.locator("[data-download-signed]").click()
    signed = open(info.value.path(), "rb").read()
    assert hashlib.sha256(signed).hexdigest() == signature.sha256
    # pyHanko runs its own asyncio loop: not in this thread, where Playwright's loop is running.
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(verify_pdf, signed, expected=ExpectedDocument(entry.pdf_sha256, entry.symbol),
                             trust_anchors=anchors).result()
    assert result.valid, result.reason
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(signed)).pages).split())
    assert "Số 1-QĐ/BTGDVTU" in text and "Phạm Thị Hồng Nhung" in text
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải DOCX (chỉnh sửa được)").click()
    assert info.value.suggested_filename.endswith(".docx")
    dtext, _doc = docx_text(open(info.value.path(), "rb").read())
    assert "Số 1-QĐ/BTGDVTU" in dtext and "Phạm Thị Hồng Nhung" in dtext

    # 4. The public verification page of a commended subject's code says the decision is signed.
    a.refresh_from_db()
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/verify/{a.code}/")
    expect(page.locator("[data-decision-signature]")).to_contain_text("Đã ký số bởi Phạm Thị Hồng Nhung lúc")
