"""Digital signatures in the register: sign in the portal, file a PDF signed elsewhere, show it on /verify/."""
# ruff: noqa: F811 - fixtures are imported from commendation_fixtures

import datetime as dt
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from documents.models import DocumentSignature, OutgoingDocument
from documents.services import decision_issue
from documents.signing import ExpectedDocument, verify_pdf
from tests.awards.commendation_fixtures import (  # noqa: F401
    province_leader,
    record,
)
from tests.documents.signing_pki import PASSPHRASE, sign
from tests.documents.test_decisions import _submitted

pytestmark = pytest.mark.django_db
pytest_plugins = ["tests.documents.signing_fixtures"]


def p12_source(pki, name, who, chain):
    from documents.signing import Pkcs12KeySource

    return Pkcs12KeySource(path=str(pki.write_p12(name, who, chain)), passphrase=PASSPHRASE)


@pytest.fixture
def signing_settings(settings, pki, root_pem, tmp_path):
    """The operator's key: a PKCS#12 file of the test PKI, and its root as the only trust anchor."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.DOCUMENT_SIGNING_BACKEND = "pkcs12"
    settings.DOCUMENT_SIGNING_PKCS12_PATH = str(pki.write_p12("portal.p12", pki.signer, [pki.intermediate]))
    settings.DOCUMENT_SIGNING_PKCS12_PASSPHRASE = PASSPHRASE
    settings.DOCUMENT_TRUST_ANCHORS = [str(root_pem)]
    return settings


@pytest.fixture
def decision(people, record, province_leader, bodies, signing_settings):
    """Decision 1-QĐ/BTGDVTU, issued with the deputy head as signer; her account is the leader's."""
    deputy = bodies["new_deputy"]
    deputy.user = province_leader
    deputy.save()
    proposal, a, b = _submitted(people, record)
    entry = decision_issue(user=province_leader, proposal=proposal, date=dt.date(2025, 10, 10), signer=deputy,
                           recipients="Như Điều 3", outcomes={a.pk: (True, ""), b.pk: (True, "")})
    return {"entry": entry, "proposal": proposal, "subject": a, "signer_user": province_leader}


def _download(client, url) -> bytes:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _upload(client, entry, content: bytes, name="quyet-dinh-da-ky.pdf"):
    return client.post(reverse("documents:upload_signed", args=[entry.pk]),
                       {"file": SimpleUploadedFile(name, content, content_type="application/pdf")})


def test_the_signer_signs_through_the_page_once_and_the_file_validates(client, decision, pdfsig, anchors):
    entry = decision["entry"]
    client.force_login(decision["signer_user"])
    page = client.get(reverse("documents:entry", args=[entry.pk])).content.decode()
    assert "Văn bản chưa được ký số." in page and reverse("documents:sign", args=[entry.pk]) in page
    confirm = client.get(reverse("documents:sign", args=[entry.pk])).content.decode()
    assert "Phạm Thị Hồng Nhung" in confirm and "Xác nhận ký số" in confirm

    response = client.post(reverse("documents:sign", args=[entry.pk]))
    assert response.status_code == 302
    again = client.post(reverse("documents:sign", args=[entry.pk]), follow=True)  # a second click
    assert "đã được ký số trước đó; không ký lại" in again.content.decode()
    signature = DocumentSignature.objects.get()
    assert signature.method == "portal" and signature.signer_name == "Phạm Thị Hồng Nhung"
    assert signature.created_by == decision["signer_user"] and signature.history.count() == 1

    signed = _download(client, reverse("documents:download_signed", args=[entry.pk]))
    assert hashlib.sha256(signed).hexdigest() == signature.sha256
    unsigned = _download(client, reverse("documents:download", args=[entry.pk, "pdf"]))
    assert signed.startswith(unsigned) and hashlib.sha256(unsigned).hexdigest() == entry.pdf_sha256
    result = verify_pdf(signed, expected=ExpectedDocument(entry.pdf_sha256, entry.symbol), trust_anchors=anchors)
    assert result.valid, result.reason
    assert "CN=Nguyễn Văn Thành" in signature.certificate_subject  # the key's certificate (test PKI)
    checked = pdfsig(signed)
    assert "Signature is Valid." in checked and "Total document signed" in checked

    # The visible block carries the signer's name and title, and the page says who signed and when.
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(signed))
    assert len(reader.pages) == 2  # the decision, then its list of the commended
    # The block sits in the signer's space on the decision's page, above her name, not on the list.
    widgets = [a.get_object() for a in reader.pages[0].get("/Annots", []) if a.get_object().get("/FT") == "/Sig"]
    assert len(widgets) == 1 and not reader.pages[1].get("/Annots")
    x1, y1, x2, y2 = (float(v) for v in widgets[0]["/Rect"])
    assert 300 <= x1 < x2 and 100 < y1 < y2 < 400 and y2 - y1 >= 40
    page = client.get(reverse("documents:entry", args=[entry.pk])).content.decode()
    assert "Đã ký số bởi Phạm Thị Hồng Nhung lúc" in page and signature.sha256 in page
    register = client.get(reverse("documents:register")).content.decode()
    assert reverse("documents:download_signed", args=[entry.pk]) in register


def test_the_public_verification_page_says_the_decision_is_signed_by_whom_and_when(client, decision):
    from django.utils import timezone
    from django.utils.formats import date_format

    from documents.signatures import entry_sign

    code = decision["subject"].__class__.objects.get(pk=decision["subject"].pk).code
    page = client.get(reverse("verify:code", args=[code])).content.decode()
    assert "Quyết định chưa được ký số." in page
    signature = entry_sign(entry=decision["entry"], user=decision["signer_user"]).signature
    page = client.get(reverse("verify:code", args=[code])).content.decode()
    when = date_format(timezone.localtime(signature.signed_at), "H:i d/m/Y")
    assert f"Đã ký số bởi Phạm Thị Hồng Nhung lúc {when}" in page


def test_a_pdf_signed_elsewhere_is_accepted_when_it_is_the_issued_document(client, decision, pki):
    entry = decision["entry"]
    client.force_login(decision["signer_user"])
    unsigned = _download(client, reverse("documents:download", args=[entry.pk, "pdf"]))
    own_tool = p12_source(pki, "own-token.p12", pki.signer, [pki.intermediate])
    elsewhere = sign(unsigned, own_tool, signer_name="Phạm Thị Hồng Nhung").content
    response = _upload(client, entry, elsewhere)
    assert response.status_code == 302, response.content.decode()[-2000:]
    signature = DocumentSignature.objects.get()
    assert signature.method == "upload" and signature.sha256 == hashlib.sha256(elsewhere).hexdigest()
    assert signature.signer_name == "Nguyễn Văn Thành"  # the certificate's holder
    assert _download(client, reverse("documents:download_signed", args=[entry.pk])) == elsewhere


@pytest.mark.parametrize("case, reason", [
    ("tampered", "Nội dung tệp đã bị thay đổi sau khi ký: dữ liệu không còn khớp với chữ ký."),
    ("untrusted", "không thuộc tổ chức chứng thực mà cổng tin cậy"),
    ("expired", "Chứng thư số của người ký đã hết hạn từ ngày"),
    ("other", "không phải là văn bản Số 1-QĐ/BTGDVTU"),
    ("not_pdf", "không thuộc loại được nhận"),
])
def test_a_bad_signed_pdf_is_refused_with_its_reason_and_nothing_is_kept(client, decision, pki, signed_p12, case,
                                                                         reason):
    entry = decision["entry"]
    client.force_login(decision["signer_user"])
    unsigned = _download(client, reverse("documents:download", args=[entry.pk, "pdf"]))
    if case == "tampered":
        data = bytearray(sign(unsigned, p12_source(pki, "t.p12", pki.signer, [pki.intermediate])).content)
        data[len(data) // 4] ^= 0x01
        content = bytes(data)
    elif case == "untrusted":
        content = sign(unsigned, p12_source(pki, "u.p12", pki.untrusted_signer, [pki.untrusted_root])).content
    elif case == "expired":
        content = sign(unsigned, p12_source(pki, "e.p12", pki.expired_signer, [pki.intermediate])).content
    elif case == "other":
        content = signed_p12.content  # another register line's signed PDF
    else:
        content = b"MZ\x90\x00" + b"\x00" * 200  # an executable renamed .pdf
    response = _upload(client, entry, content)
    assert response.status_code == 200
    page = response.content.decode()
    assert reason in page, page[page.find("invalid-feedback") - 200:][:1200]
    assert not DocumentSignature.objects.exists()


def test_who_may_not_sign_gets_403_or_404_and_nothing_is_kept(client, decision, people, make_user, tree):
    entry = decision["entry"]
    province = tree["province"]
    staff = make_user(province, "canbo", username="canbo_t")
    union = make_user(province, "congdoan", username="congdoan_t")
    other_leader = make_user(province, "lanhdao", username="lanhdao_khac")  # not the named signer
    not_a_pdf = b"%PDF-1.7 not signed"
    for user, sign_status, upload_status in ((staff, 403, None), (union, 403, 403), (other_leader, 403, None),
                                             (people["leader"], 404, 404)):  # a district: another subtree
        client.force_login(user)
        assert client.post(reverse("documents:sign", args=[entry.pk])).status_code == sign_status
        if upload_status:
            assert _upload(client, entry, not_a_pdf).status_code == upload_status
        if sign_status == 403:
            page = client.get(reverse("documents:entry", args=[entry.pk])).content.decode()
            assert reverse("documents:sign", args=[entry.pk]) not in page
    assert not DocumentSignature.objects.exists()


def test_no_sign_button_when_the_portal_has_no_key(client, decision, settings):
    settings.DOCUMENT_SIGNING_BACKEND = "none"
    entry = decision["entry"]
    client.force_login(decision["signer_user"])
    page = client.get(reverse("documents:entry", args=[entry.pk])).content.decode()
    assert reverse("documents:sign", args=[entry.pk]) not in page
    assert reverse("documents:upload_signed", args=[entry.pk]) in page  # uploads are still checked
    assert client.post(reverse("documents:sign", args=[entry.pk])).status_code == 404
    assert not DocumentSignature.objects.exists()


def test_make_report_sign_writes_a_signed_pdf_that_verifies(decision, tmp_path, capsys, anchors, pdfsig):
    out = tmp_path / "bao-cao.pdf"
    call_command("make_report", "commendation-1510", "--year", "2025", "--output", str(out), "--sign",
                 "--signer-name", "Nguyễn Văn Hòa", "--signer-title", "Trưởng ban")
    data = out.read_bytes()
    printed = capsys.readouterr().out
    assert f"SHA-256: {hashlib.sha256(data).hexdigest()}" in printed and "Đã ký số: Nguyễn Văn Hòa" in printed
    result = verify_pdf(data, trust_anchors=anchors)
    assert result.valid, result.reason
    assert "Signature is Valid." in pdfsig(data)


def test_make_report_sign_of_an_issued_decision_signs_and_keeps_it_in_the_register(decision, tmp_path, capsys):
    out = tmp_path / "quyet-dinh.pdf"
    for _ in range(2):  # the second run gives the kept signed file, it does not sign again
        call_command("make_report", "decision", "--year", "2025", "--output", str(out), "--sign")
    data = out.read_bytes()
    signature = DocumentSignature.objects.get(entry=decision["entry"])
    assert hashlib.sha256(data).hexdigest() == signature.sha256 and signature.signer_name == "Phạm Thị Hồng Nhung"
    assert f"SHA-256: {signature.sha256}" in capsys.readouterr().out
    assert verify_pdf(data, expected=ExpectedDocument(decision["entry"].pdf_sha256)).valid


def test_verify_document_names_the_register_entry(decision, tmp_path, capsys):
    from documents.signatures import entry_sign

    signature = entry_sign(entry=decision["entry"], user=decision["signer_user"]).signature
    path = tmp_path / "qd.pdf"
    path.write_bytes(signature.file.read())
    call_command("verify_document", str(path))
    line = capsys.readouterr().out
    assert line.startswith("valid:") and "1-QĐ/BTGDVTU" in line
    assert OutgoingDocument.objects.get().signature == signature


def test_a_key_that_does_not_open_says_so_and_nothing_is_kept(client, decision, settings):
    settings.DOCUMENT_SIGNING_PKCS12_PASSPHRASE = "sai-mat-khau"
    entry = decision["entry"]
    client.force_login(decision["signer_user"])
    response = client.post(reverse("documents:sign", args=[entry.pk]), follow=True)
    assert "Không mở được khóa ký số" in response.content.decode()
    assert not DocumentSignature.objects.exists()
