"""Digital signatures: signing with a PKCS#12 file or a PKCS#11 token, and checking uploaded PDFs.

Every signed file is also checked by tools other than our own verdict: pyHanko's validator and
poppler's `pdfsig` (through NSS, trusting the test root only).
"""

import hashlib
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from documents.signing import (
    ExpectedDocument,
    Pkcs11KeySource,
    SigningNotConfigured,
    sign_pdf,
    verify_pdf,
)
from documents.signing.checks import check_document_signing
from documents.signing.loops import outside_event_loop
from tests.documents.signing_pki import PASSPHRASE, render_pdf, sign

# The fixtures live beside this file, not in a conftest.py (the documents app's tests own that one).
pytest_plugins = ["tests.documents.signing_fixtures"]

REFERENCE = "Số 12-QĐ/BTGDVTU"


def expected(sha256):
    return ExpectedDocument(sha256=sha256, reference=REFERENCE)


def pyhanko_status(data, anchors):
    """pyHanko's own verdict, without our rules on top."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    reader = PdfFileReader(io.BytesIO(data))
    (embedded,) = reader.embedded_regular_signatures
    # pyHanko runs its own event loop: off this thread when a browser test left one running here.
    return outside_event_loop(validate_pdf_signature)(embedded, ValidationContext(trust_roots=anchors))


def block_texts(data):
    """The text of the visible signature block, as its appearance stream carries it (ActualText)."""
    from pypdf import PdfReader
    from pypdf.generic import ContentStream

    reader = PdfReader(io.BytesIO(data))
    texts = []
    for annot in reader.pages[-1].get("/Annots", []):
        annot = annot.get_object()
        if annot.get("/FT") != "/Sig":
            continue
        stream = annot["/AP"]["/N"].get_object()
        for operands, operator in ContentStream(stream, reader).operations:
            if operator == b"BDC" and "/ActualText" in operands[1]:
                texts.append(str(operands[1]["/ActualText"]))
    return texts


def add_content(pdf: bytes, text: bytes = b"0 0 1 rg 100 400 300 80 re f") -> bytes:
    """Append an incremental update that draws on page 1 (an edit made with any PDF tool)."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    ref = writer.add_object(generic.StreamObject(stream_data=text))
    writer.add_stream_to_page(0, ref)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# --- Signing in the portal ------------------------------------------------------------------------


def test_pkcs12_signature_is_valid_for_us_pyhanko_and_pdfsig(
    signed_p12, issued_pdf, issued_sha256, anchors, pdfsig
):
    assert signed_p12.content.startswith(issued_pdf)  # an incremental update: the issued bytes stay
    assert signed_p12.sha256 == hashlib.sha256(signed_p12.content).hexdigest()
    assert signed_p12.certificate_signer == "Nguyễn Văn Thành"

    result = verify_pdf(signed_p12.content, expected=expected(issued_sha256), trust_anchors=anchors)
    assert result == verify_pdf(
        signed_p12.content,
        expected=ExpectedDocument.from_pdf(issued_pdf, REFERENCE),
        trust_anchors=anchors,
    )
    assert result.valid, result.reason
    assert result.code == "ok"
    assert result.reason == f"Chữ ký số hợp lệ, đúng văn bản {REFERENCE} do cổng phát hành."
    assert result.signer_name == "Nguyễn Văn Thành"
    assert abs((result.signed_at - signed_p12.signed_at).total_seconds()) < 5
    assert result.certificate_subject == (
        "CN=Nguyễn Văn Thành, O=Ban Tuyên giáo và Dân vận Tỉnh ủy Lâm Đồng, C=VN"
    )
    assert (
        result.certificate_issuer == "CN=CA trung gian thử nghiệm, O=Cơ quan chứng thực thử, C=VN"
    )
    assert issued_sha256 in result.unsigned_revisions_sha256

    status = pyhanko_status(signed_p12.content, anchors)
    assert status.bottom_line and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"

    out = pdfsig(signed_p12.content)
    assert "Signature is Valid." in out
    assert "Certificate is Trusted." in out
    assert "Total document signed" in out
    assert "ETSI.CAdES.detached" in out  # PAdES baseline, not the legacy adbe.pkcs7.detached


def test_visible_block_shows_name_title_and_time_in_vietnamese(signed_p12):
    from django.utils import timezone

    when = timezone.localtime(signed_p12.signed_at).strftime("%H:%M:%S %d/%m/%Y")
    assert block_texts(signed_p12.content) == [
        "Ký số bởi: Nguyễn Văn Thành",
        "Chức vụ: Trưởng ban",
        f"Thời gian ký: {when}",
    ]


def test_pkcs11_token_signs_through_the_operator_settings(
    softhsm_token, issued_pdf, issued_sha256, anchors, root_pem, pdfsig
):
    with override_settings(
        DOCUMENT_SIGNING_BACKEND="pkcs11",
        DOCUMENT_SIGNING_PKCS11_MODULE=softhsm_token.module,
        DOCUMENT_SIGNING_PKCS11_TOKEN_LABEL=softhsm_token.label,
        DOCUMENT_SIGNING_PKCS11_PIN=softhsm_token.pin,
        DOCUMENT_SIGNING_PKCS11_KEY_LABEL=softhsm_token.key_label,
        DOCUMENT_TRUST_ANCHORS=[str(root_pem)],
    ):
        assert check_document_signing() == []
        signed = sign_pdf(issued_pdf, signer_name="Nguyễn Văn Thành", signer_title="Trưởng ban")

    result = verify_pdf(signed.content, expected=expected(issued_sha256), trust_anchors=anchors)
    assert result.valid, result.reason
    assert result.signer_name == "Nguyễn Văn Thành"
    # The intermediate CA came from the token: the chain is complete without extra files.
    assert pyhanko_status(signed.content, anchors).trusted
    out = pdfsig(signed.content)
    assert "Signature is Valid." in out and "Certificate is Trusted." in out


def test_unusable_key_settings_are_check_errors_and_a_wrong_pin_fails_only_when_signing(
    softhsm_token, p12_key, issued_pdf
):
    from documents.signing import SigningKeyUnavailable

    token = dict(
        DOCUMENT_SIGNING_BACKEND="pkcs11",
        DOCUMENT_SIGNING_PKCS11_MODULE=softhsm_token.module,
        DOCUMENT_SIGNING_PKCS11_TOKEN_LABEL=softhsm_token.label,
        DOCUMENT_SIGNING_PKCS11_PIN="000000",
        DOCUMENT_SIGNING_PKCS11_KEY_LABEL=softhsm_token.key_label,
    )
    with override_settings(**token):
        # The check never presents the PIN (a wrong one would use up the token's retries)…
        assert [p.id for p in check_document_signing()] == ["documents.W001"]
        # …signing does, and says the key is unavailable instead of crashing.
        with pytest.raises(SigningKeyUnavailable, match="PinIncorrect"):
            sign_pdf(issued_pdf, signer_name="Nguyễn Văn Thành")
    with override_settings(**{**token, "DOCUMENT_SIGNING_PKCS11_TOKEN_LABEL": "khong-co"}):
        assert [p.id for p in check_document_signing()] == ["documents.E001", "documents.W001"]
    with override_settings(**{**token, "DOCUMENT_SIGNING_PKCS11_KEY_LABEL": "khong-co"}):
        errors = check_document_signing()
        assert [p.id for p in errors] == ["documents.E001", "documents.W001"]
        assert "no certificate labelled 'khong-co'" in errors[0].msg
    with override_settings(
        DOCUMENT_SIGNING_BACKEND="pkcs12",
        DOCUMENT_SIGNING_PKCS12_PATH=p12_key.path,
        DOCUMENT_SIGNING_PKCS12_PASSPHRASE="sai-mat-khau",
        DOCUMENT_TRUST_ANCHORS=[],
    ):
        errors = check_document_signing()
        assert [p.id for p in errors] == ["documents.E001", "documents.W001"]
        assert "wrong passphrase" in errors[0].msg
    with override_settings(
        DOCUMENT_SIGNING_BACKEND="pkcs12",
        DOCUMENT_SIGNING_PKCS12_PATH=p12_key.path,
        DOCUMENT_SIGNING_PKCS12_PASSPHRASE=PASSPHRASE,
        DOCUMENT_TRUST_ANCHORS=["/nonexistent/root.pem"],
    ):
        assert [p.id for p in check_document_signing()] == ["documents.E003"]


def test_a_signature_font_without_vietnamese_letters_is_a_check_error(p12_key, root_pem, tmp_path):
    from fontTools.fontBuilder import FontBuilder

    # A font with Latin letters only, like Debian's old fonts-liberation (v1).
    builder = FontBuilder(1000, isTTF=True)
    glyphs = [".notdef", "A"]
    builder.setupGlyphOrder(glyphs)
    builder.setupCharacterMap({ord("A"): "A"})
    builder.setupGlyf({name: _empty_glyph() for name in glyphs})
    builder.setupHorizontalMetrics({name: (500, 0) for name in glyphs})
    builder.setupHorizontalHeader(ascent=800, descent=-200)
    builder.setupNameTable({"familyName": "Latin Only", "styleName": "Regular"})
    builder.setupOS2()
    builder.setupPost()
    latin_only = tmp_path / "latin-only.ttf"
    builder.save(str(latin_only))

    with override_settings(
        DOCUMENT_SIGNING_BACKEND="pkcs12",
        DOCUMENT_SIGNING_PKCS12_PATH=p12_key.path,
        DOCUMENT_SIGNING_PKCS12_PASSPHRASE=PASSPHRASE,
        DOCUMENT_TRUST_ANCHORS=[str(root_pem)],
        DOCUMENT_SIGNING_FONT=str(latin_only),
    ):
        errors = check_document_signing()
    assert [e.id for e in errors] == ["documents.E002"]
    assert "lacks 134 Vietnamese letters" in errors[0].msg


def _empty_glyph():
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    return TTGlyphPen(None).glyph()


def test_no_backend_means_no_signing_and_no_check_noise(issued_pdf):
    with override_settings(DOCUMENT_SIGNING_BACKEND="none", DOCUMENT_TRUST_ANCHORS=[]):
        assert check_document_signing() == []
        with pytest.raises(SigningNotConfigured):
            sign_pdf(issued_pdf, signer_name="Nguyễn Văn Thành")


# --- Checking a PDF signed elsewhere --------------------------------------------------------------


def test_tampered_file_is_refused(signed_p12, anchors, pdfsig):
    data = bytearray(signed_p12.content)
    middle = len(data) // 4  # inside the issued document's page content, covered by the signature
    data[middle] ^= 0x01
    tampered = bytes(data)

    result = verify_pdf(tampered, trust_anchors=anchors)
    assert not result.valid
    assert result.code == "tampered"
    assert result.reason == (
        "Nội dung tệp đã bị thay đổi sau khi ký: dữ liệu không còn khớp với chữ ký."
    )
    assert not pyhanko_status(tampered, anchors).intact
    assert "Signature is Valid." not in pdfsig(tampered)


def test_content_added_after_signing_is_refused(signed_p12, issued_sha256, anchors, pdfsig):
    edited = add_content(signed_p12.content)
    result = verify_pdf(edited, expected=expected(issued_sha256), trust_anchors=anchors)
    assert not result.valid
    assert result.code == "modified_after_signing"
    assert result.reason == (
        "Tệp đã bị sửa đổi sau khi ký: phần thêm vào sau chữ ký cuối cùng không được chữ ký nào "
        "bảo vệ."
    )
    assert "Total document signed" not in pdfsig(edited)


def test_co_signature_and_validation_data_after_the_signature_are_allowed(
    signed_p12, issued_sha256, p12_key, anchors, pdfsig
):
    """The only changes allowed after a signature: another signature, long-term validation data."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import add_validation_info
    from pyhanko_certvalidator import ValidationContext

    co_signed = sign(
        signed_p12.content,
        p12_key,
        field_name="ChuKySoCoQuan",
        box=(40, 50, 280, 130),
        signer_title="Văn thư",
    )
    result = verify_pdf(co_signed.content, expected=expected(issued_sha256), trust_anchors=anchors)
    assert result.valid, result.reason
    assert result.signature_count == 2
    assert pdfsig(co_signed.content).count("Signature is Valid.") == 2

    reader = PdfFileReader(io.BytesIO(signed_p12.content))
    (embedded,) = reader.embedded_regular_signatures
    with_dss = outside_event_loop(add_validation_info)(
        embedded, ValidationContext(trust_roots=anchors), force_write=True
    ).getvalue()
    assert len(with_dss) > len(signed_p12.content)  # a revision after the signature (DSS)
    result = verify_pdf(with_dss, expected=expected(issued_sha256), trust_anchors=anchors)
    assert result.valid, result.reason


@pytest.mark.parametrize("ending", [b"", b"\r\n", b"\n\n"])
def test_the_issued_file_is_found_whatever_its_last_line_ending(
    ending, issued_pdf, p12_key, anchors
):
    issued = issued_pdf.rstrip(b"\r\n") + ending
    signed = sign(issued, p12_key)
    expected_doc = ExpectedDocument.from_pdf(issued, REFERENCE)
    result = verify_pdf(signed.content, expected=expected_doc, trust_anchors=anchors)
    assert result.valid, result.reason


def test_another_document_signed_instead_of_the_issued_one_is_refused(
    p12_key, issued_sha256, anchors
):
    other = sign(render_pdf("Chi bộ thôn Khác"), p12_key)  # content changed before it was signed
    result = verify_pdf(other.content, expected=expected(issued_sha256), trust_anchors=anchors)
    assert not result.valid
    assert result.code == "not_expected_document"
    assert result.reason == (
        f"Tệp đã ký không phải là văn bản {REFERENCE}: phần được ký không bắt đầu bằng đúng bản PDF "
        "cổng đã phát hành (có thể văn bản đã bị sửa trước khi ký)."
    )
    # Without saying which document is expected, the signature itself is fine, and says so.
    unchecked = verify_pdf(other.content, trust_anchors=anchors)
    assert unchecked.valid
    assert unchecked.reason == "Chữ ký số hợp lệ (chưa đối chiếu với bản PDF cổng đã phát hành)."


def test_issued_document_edited_then_signed_is_refused(issued_pdf, issued_sha256, p12_key, anchors):
    edited_then_signed = sign(add_content(issued_pdf), p12_key)
    assert edited_then_signed.content.startswith(issued_pdf)  # the issued bytes are still a prefix
    result = verify_pdf(
        edited_then_signed.content, expected=expected(issued_sha256), trust_anchors=anchors
    )
    assert not result.valid
    assert result.code == "changed_before_signing"
    assert result.reason == (
        f"Văn bản {REFERENCE} đã bị sửa đổi trước khi ký: giữa bản cổng phát hành và chữ ký có "
        "thay đổi khác ngoài việc thêm ô chữ ký."
    )


def test_xfa_form_slipped_in_before_signing_is_refused(issued_pdf, issued_sha256, p12_key, anchors):
    """XFA-aware readers show the XFA form instead of the pages: a second, hidden content."""
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    writer = IncrementalPdfFileWriter(io.BytesIO(issued_pdf))
    xfa = writer.add_object(generic.StreamObject(stream_data=b"<xdp:xdp/>"))
    writer.root["/AcroForm"] = generic.DictionaryObject(
        {generic.pdf_name("/Fields"): generic.ArrayObject(), generic.pdf_name("/XFA"): xfa}
    )
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    signed = sign(out.getvalue(), p12_key)
    result = verify_pdf(signed.content, expected=expected(issued_sha256), trust_anchors=anchors)
    assert result.code == "changed_before_signing"


def test_certificate_of_an_untrusted_ca_is_refused(
    signed_untrusted, issued_sha256, anchors, pdfsig
):
    result = verify_pdf(
        signed_untrusted.content, expected=expected(issued_sha256), trust_anchors=anchors
    )
    assert not result.valid
    assert result.code == "untrusted"
    assert result.reason == (
        "Chứng thư số của người ký (do CN=CA lạ, O=Tổ chức không được tin cậy, C=VN cấp) không "
        "thuộc tổ chức chứng thực mà cổng tin cậy."
    )
    assert result.signer_name == "Lê Văn Lạ"  # who it claims to be is still shown
    assert not pyhanko_status(signed_untrusted.content, anchors).trusted
    out = pdfsig(signed_untrusted.content)
    assert "Signature is Valid." in out  # the bytes are intact…
    assert "Certificate is Trusted." not in out  # …but nobody we trust vouches for the signer


def test_expired_certificate_is_refused(signed_expired, pki, issued_sha256, anchors, pdfsig):
    from django.utils import timezone

    result = verify_pdf(
        signed_expired.content, expected=expected(issued_sha256), trust_anchors=anchors
    )
    assert not result.valid
    assert result.code == "expired"
    until = timezone.localtime(pki.expired_signer.cert.not_valid_after_utc).strftime("%d/%m/%Y")
    assert result.reason == f"Chứng thư số của người ký đã hết hạn từ ngày {until}."
    assert not pyhanko_status(signed_expired.content, anchors).trusted
    assert "Certificate has Expired" in pdfsig(signed_expired.content)


def test_validity_is_judged_at_the_moment_the_caller_gives(signed_p12, pki, anchors):
    import datetime as dt

    after_expiry = pki.signer.cert.not_valid_after_utc + dt.timedelta(days=1)
    result = verify_pdf(signed_p12.content, trust_anchors=anchors, at=after_expiry)
    assert result.code == "expired"
    recorded = signed_p12.signed_at + dt.timedelta(minutes=5)  # when the register received it
    assert verify_pdf(signed_p12.content, trust_anchors=anchors, at=recorded).valid


def test_without_trust_anchors_nothing_is_trusted(signed_p12):
    result = verify_pdf(signed_p12.content, trust_anchors=[])
    assert not result.valid
    assert result.code == "no_trust_anchors"


def test_unsigned_and_non_pdf_files_say_so(issued_pdf, anchors):
    assert verify_pdf(issued_pdf, trust_anchors=anchors).reason == "Tệp PDF không có chữ ký số."
    assert verify_pdf(b"GIF89a not a pdf", trust_anchors=anchors).reason == (
        "Tệp không phải là PDF đọc được."
    )


def test_damaged_files_get_a_verdict_never_an_exception(signed_p12, anchors):
    data = signed_p12.content
    variants = [data[: len(data) * k // 10] for k in range(1, 10)]  # truncated uploads
    variants += [
        data.replace(b"/ByteRange", b"/ByteRangX", 1),
        data.replace(b"/Contents <", b"/Contents <00", 1),
        data.replace(b"startxref", b"startxrex"),
        data[:100] + bytes(200) + data[300:],
    ]
    for damaged in variants:
        result = verify_pdf(damaged, trust_anchors=anchors)
        assert not result.valid
        assert result.reason


def test_reasons_follow_the_language_of_the_request(signed_expired, anchors):
    with translation.override("en"):
        result = verify_pdf(signed_expired.content, trust_anchors=anchors)
    assert result.reason.startswith("The signer's certificate expired on ")


# --- Command line ---------------------------------------------------------------------------------


def run_verify_document(path: Path, root_pem: Path, *extra: str):
    env = {**os.environ, "DOCUMENT_TRUST_ANCHORS": str(root_pem)}
    return subprocess.run(
        [sys.executable, "manage.py", "verify_document", str(path), *extra],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_verify_document_command_prints_one_line_and_exits_0_or_1(
    tmp_path, root_pem, signed_p12, signed_untrusted, issued_sha256
):
    good = tmp_path / "quyet-dinh-da-ky.pdf"
    good.write_bytes(signed_p12.content)
    done = run_verify_document(
        good, root_pem, "--expected-sha256", issued_sha256, "--reference", REFERENCE
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("\n") == 1
    assert done.stdout.startswith(
        f"valid: Chữ ký số hợp lệ, đúng văn bản {REFERENCE} do cổng phát hành. "
        "(người ký Nguyễn Văn Thành, ký lúc "
    )

    bad = tmp_path / "la.pdf"
    bad.write_bytes(signed_untrusted.content)
    done = run_verify_document(bad, root_pem)
    assert done.returncode == 1, done.stderr
    assert done.stdout.count("\n") == 1
    assert done.stdout.startswith("invalid: Chứng thư số của người ký (do CN=CA lạ")
    assert done.stderr == ""  # the verdict is the output, not a logged traceback


@pytest.mark.parametrize(
    "case, line",
    [
        ("expired", "invalid: Chứng thư số của người ký đã hết hạn từ ngày "),
        ("tampered", "invalid: Nội dung tệp đã bị thay đổi sau khi ký"),
        ("broken", "invalid: Tệp không phải là PDF đọc được."),
        ("missing", "invalid: Không đọc được tệp "),
    ],
)
def test_verify_document_command_says_invalid_and_exits_1(
    case, line, tmp_path, root_pem, signed_expired, signed_p12
):
    from django.core.management import call_command

    path = tmp_path / f"{case}.pdf"
    if case == "expired":
        path.write_bytes(signed_expired.content)
    elif case == "tampered":
        data = bytearray(signed_p12.content)
        data[len(data) // 4] ^= 0x01
        path.write_bytes(bytes(data))
    elif case == "broken":
        path.write_bytes(b"%PDF-1.7 broken")
    out = io.StringIO()
    with (
        override_settings(DOCUMENT_TRUST_ANCHORS=[str(root_pem)]),
        pytest.raises(SystemExit) as exit,
    ):
        call_command("verify_document", str(path), stdout=out)
    assert exit.value.code == 1
    assert out.getvalue().startswith(line)
    assert out.getvalue().count("\n") == 1


def test_pkcs11_key_source_refuses_a_missing_module():
    from documents.signing import SigningKeyUnavailable

    source = Pkcs11KeySource(module="/nonexistent/libtoken.so", pin="1", key_label="x")
    with pytest.raises(SigningKeyUnavailable), source.open():
        pass
