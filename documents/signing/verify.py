"""Check a signed PDF: intact, covering the whole file, the document the portal issued, trusted.

The rules, in the order they are checked (the first one broken is the reason given):

1. the file is a PDF and carries at least one signature (`/Sig`; document timestamps alone
   do not count);
2. each signature is intact: the bytes it covers hash to the digest it signed, and the
   cryptographic signature over that digest checks out with the signer's certificate;
3. coverage: the last signature covers the whole file, or what was appended after it is only
   validation data for long-term validation (DSS, document timestamps: pyHanko's
   ``ModificationLevel.LTA_UPDATES``). An earlier signature may be followed by more signatures
   (``FORM_FILLING``: a co-signature, e.g. the office's after the person's) — each of those is
   itself checked here. Anything else appended (text, pages, annotations) is refused;
4. the signer's certificate is within its validity period at the moment of checking (now, or
   `at`), and so it was at the signing time the signature claims;
5. the certificate chains to a trust anchor configured by the operator and is not revoked
   (as far as the revocation data at hand says: offline by default, see settings);
6. when the caller says which document it expects (`ExpectedDocument`, the SHA-256 of the
   unsigned PDF the portal issued): the file must begin with exactly those bytes — a PDF is
   signed by appending to it, so the issued file is a revision of the signed one — and the
   changes between that revision and the first signature may only add the signature (field,
   widget, AcroForm, PAdES extension declaration, document info/XMP metadata). A tool that
   rewrites the whole file instead of appending breaks this and is refused: the portal cannot
   tell its content from another document's.

Rules 2–5 are applied to every signature in signing order; the result describes the first one
(the document's signer).
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from asn1crypto import x509
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from .appearance import local_time
from .keys import trust_anchors_from_settings
from .loops import outside_event_loop
from .names import certificate_name, person_name
from .revisions import changes_beyond_signing, revision_ends


@dataclass(frozen=True)
class ExpectedDocument:
    """The document the portal issued: the SHA-256 (hex) of its unsigned PDF, and how to name it.

    `reference` is what a person recognises, e.g. the register number "Số 12-QĐ/BTGDVTU".
    """

    sha256: str
    reference: str = ""

    @classmethod
    def from_pdf(cls, pdf: bytes, reference: str = "") -> ExpectedDocument:
        """From the bytes of the issued unsigned PDF, when the caller has them rather than the hash."""
        return cls(sha256=hashlib.sha256(pdf).hexdigest(), reference=reference)


@dataclass(frozen=True)
class VerificationResult:
    """The verdict on one PDF. `reason` is one sentence, translated (Vietnamese source)."""

    valid: bool
    code: str
    reason: str
    sha256: str = ""  # of the checked file
    signer_name: str = ""  # the certificate's common name
    signed_at: datetime | None = None  # trusted timestamp if any, else the time the signer claims
    certificate_subject: str = ""
    certificate_issuer: str = ""
    certificate_valid_from: datetime | None = None
    certificate_valid_until: datetime | None = None
    signature_count: int = 0
    # SHA-256 of each revision of the file before its first signature, oldest first: the
    # unsigned document as it was issued is one of them (lets a caller find its register entry).
    unsigned_revisions_sha256: tuple[str, ...] = field(default=())

    def line(self) -> str:
        """One line for a terminal or a log: 'valid: …' or 'invalid: …'."""
        if not self.valid:
            return f"invalid: {self.reason}"
        when = _format_time(self.signed_at) if self.signed_at else "?"
        details = gettext(
            "người ký %(name)s, ký lúc %(time)s, chứng thư %(subject)s do %(issuer)s cấp"
        ) % {
            "name": self.signer_name,
            "time": when,
            "subject": self.certificate_subject,
            "issuer": self.certificate_issuer,
        }
        return f"valid: {self.reason} ({details})"


def _format_time(moment: datetime) -> str:
    return date_format(local_time(moment), "H:i:s d/m/Y")


def _format_date(moment: datetime) -> str:
    return date_format(local_time(moment), "d/m/Y")


def _fail(code: str, reason: str, **extra) -> VerificationResult:
    return VerificationResult(valid=False, code=code, reason=reason, **extra)


@outside_event_loop
def verify_pdf(
    data: bytes,
    *,
    expected: ExpectedDocument | None = None,
    trust_anchors: Sequence[x509.Certificate] | None = None,
    at: datetime | None = None,
    revocation_mode: str | None = None,
    fetch_revocation: bool | None = None,
) -> VerificationResult:
    """Verify the signature(s) of the PDF `data`; never raises for a bad file, says why instead.

    `trust_anchors` default to DOCUMENT_TRUST_ANCHORS. `at` is the moment to judge the
    certificate's validity at (default now): a caller that recorded when it received this exact
    file may pass that moment, so a decision signed and filed in time stays valid after the
    signer's certificate expires.
    """
    from django.conf import settings
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.diff_analysis.policy_api import DiffResult
    from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
    from pyhanko.sign.validation.settings import KeyUsageConstraints
    from pyhanko_certvalidator import ValidationContext

    file_sha = hashlib.sha256(data).hexdigest()
    base = {"sha256": file_sha}
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_regular_signatures
    except Exception:  # noqa: BLE001 - any parse failure means "not a PDF we can read"
        return _fail("not_pdf", gettext("Tệp không phải là PDF đọc được."), **base)
    if not signatures:
        return _fail("no_signature", gettext("Tệp PDF không có chữ ký số."), **base)
    base["signature_count"] = len(signatures)

    first = signatures[0]
    byte_range = [int(x) for x in first.byte_range]
    # /ByteRange [0 a b c]: bytes [0, a) and [b, b+c) are signed; the signed revision ends at b+c.
    sig_start = byte_range[1] if len(byte_range) == 4 else 0
    first_end = byte_range[2] + byte_range[3] if len(byte_range) == 4 else 0
    ends = revision_ends(data, sig_start)
    base["unsigned_revisions_sha256"] = tuple(
        hashlib.sha256(data[:end]).hexdigest() for end in ends
    )

    anchors = list(trust_anchors_from_settings() if trust_anchors is None else trust_anchors)
    moment = at or timezone.now()
    mode = revocation_mode or getattr(settings, "DOCUMENT_VERIFY_REVOCATION_MODE", "soft-fail")
    fetch = (
        getattr(settings, "DOCUMENT_VERIFY_FETCH_REVOCATION", False)
        if fetch_revocation is None
        else fetch_revocation
    )

    def context():
        # A fresh context per signature: pyHanko's contexts keep state between validations.
        kwargs = {"trust_roots": anchors, "revocation_mode": mode}
        if at is not None:
            kwargs["moment"] = at
        else:
            kwargs["allow_fetching"] = fetch
        return ValidationContext(**kwargs)

    usage = KeyUsageConstraints(
        key_usage={"non_repudiation", "digital_signature"}, match_all_key_usages=False
    )
    details = {}
    for index, embedded in enumerate(signatures):
        last = index == len(signatures) - 1
        try:
            cert = embedded.signer_cert
            status = validate_pdf_signature(
                embedded, signer_validation_context=context(), key_usage_settings=usage
            )
        except Exception as exc:  # noqa: BLE001 - a malformed signature must give a verdict, not a 500
            return _fail(
                "tampered",
                gettext("Không đọc được chữ ký số trong tệp (%(error)s): tệp đã bị sửa hoặc hỏng.")
                % {"error": exc.__class__.__name__},
                **base,
            )
        claimed = status.signer_reported_dt
        ts = status.timestamp_validity
        signed_at = ts.timestamp if ts is not None and ts.trusted else claimed
        if index == 0:
            validity = cert["tbs_certificate"]["validity"]
            details = {
                "signer_name": person_name(cert),
                "signed_at": signed_at,
                "certificate_subject": certificate_name(cert.subject),
                "certificate_issuer": certificate_name(cert.issuer),
                "certificate_valid_from": validity["not_before"].native,
                "certificate_valid_until": validity["not_after"].native,
            }
            base.update(details)

        # 2. Intact.
        if not status.intact:
            return _fail(
                "tampered",
                gettext(
                    "Nội dung tệp đã bị thay đổi sau khi ký: dữ liệu không còn khớp với chữ ký."
                ),
                **base,
            )
        if not status.valid:
            return _fail(
                "bad_signature",
                gettext("Chữ ký số không hợp lệ: chữ ký không khớp với chứng thư số của người ký."),
                **base,
            )
        # 3. Coverage, and what came after the signature.
        allowed = ModificationLevel.LTA_UPDATES if last else ModificationLevel.FORM_FILLING
        if status.coverage < SignatureCoverageLevel.ENTIRE_REVISION:
            return _fail(
                "not_covered", gettext("Chữ ký số không bao trùm toàn bộ tệp PDF."), **base
            )
        if status.coverage == SignatureCoverageLevel.ENTIRE_REVISION:
            diff = status.diff_result
            if not isinstance(diff, DiffResult) or diff.modification_level > allowed:
                return _fail(
                    "modified_after_signing",
                    gettext(
                        "Tệp đã bị sửa đổi sau khi ký: phần thêm vào sau chữ ký cuối cùng "
                        "không được chữ ký nào bảo vệ."
                    )
                    if last
                    else gettext(
                        "Tệp đã bị sửa đổi sau khi ký: phần thêm vào sau một chữ ký không phải là "
                        "chữ ký khác hay dữ liệu xác thực dài hạn."
                    ),
                    **base,
                )

        # 4. Validity period (checked before trust so an expired certificate is named as such).
        validity = cert["tbs_certificate"]["validity"]
        not_before = validity["not_before"].native
        not_after = validity["not_after"].native
        if moment > not_after or (signed_at is not None and signed_at > not_after):
            return _fail(
                "expired",
                gettext("Chứng thư số của người ký đã hết hạn từ ngày %(date)s.")
                % {"date": _format_date(not_after)},
                **base,
            )
        if moment < not_before or (signed_at is not None and signed_at < not_before):
            return _fail(
                "not_yet_valid",
                gettext(
                    "Chứng thư số của người ký chưa có hiệu lực (có hiệu lực từ ngày %(date)s)."
                )
                % {"date": _format_date(not_before)},
                **base,
            )
        # 5. Trust.
        if not anchors:  # never fall back to the machine's own trust store
            return _fail(
                "no_trust_anchors",
                gettext(
                    "Cổng chưa được cấu hình chứng thư gốc tin cậy (DOCUMENT_TRUST_ANCHORS) "
                    "nên không xác minh được người ký."
                ),
                **base,
            )
        if not status.trusted:
            if status.revoked:
                return _fail("revoked", gettext("Chứng thư số của người ký đã bị thu hồi."), **base)
            indic = getattr(status.trust_problem_indic, "name", "")
            if indic in {"EXPIRED", "OUT_OF_BOUNDS_NO_POE", "OUT_OF_BOUNDS_NOT_REVOKED"}:
                return _fail(
                    "chain_expired",
                    gettext("Một chứng thư trong chuỗi chứng thực của người ký đã hết hạn."),
                    **base,
                )
            if (
                indic in {"SIG_CONSTRAINTS_FAILURE", "CHAIN_CONSTRAINTS_FAILURE"}
                and status.validation_path
            ):
                return _fail(
                    "not_for_signing",
                    gettext("Chứng thư số của người ký không được cấp cho việc ký văn bản."),
                    **base,
                )
            return _fail(
                "untrusted",
                gettext(
                    "Chứng thư số của người ký (do %(issuer)s cấp) không thuộc tổ chức chứng thực "
                    "mà cổng tin cậy."
                )
                % {"issuer": certificate_name(cert.issuer)},
                **base,
            )

    # 6. The document the portal issued.
    if expected is not None:
        wanted = expected.sha256.strip().lower()
        reference = expected.reference or f"SHA-256 {wanted[:16]}…"
        try:
            issued_end = ends[base["unsigned_revisions_sha256"].index(wanted)]
        except ValueError:
            return _fail(
                "not_expected_document",
                gettext(
                    "Tệp đã ký không phải là văn bản %(reference)s: phần được ký không bắt đầu "
                    "bằng đúng bản PDF cổng đã phát hành (có thể văn bản đã bị sửa trước khi ký)."
                )
                % {"reference": reference},
                **base,
            )
        try:
            # The issued file's last revision, numbered as pyHanko numbers them (from 0).
            issued = PdfFileReader(io.BytesIO(data[:issued_end]), strict=False)
            base_index = issued.xrefs.total_revisions - 1
            changes = changes_beyond_signing(data[:first_end], base_index)
        except Exception as exc:  # noqa: BLE001 - a revision we cannot compare is not accepted
            changes = [f"unreadable revision ({exc.__class__.__name__})"]
        if changes:
            return _fail(
                "changed_before_signing",
                gettext(
                    "Văn bản %(reference)s đã bị sửa đổi trước khi ký: giữa bản cổng phát hành và "
                    "chữ ký có thay đổi khác ngoài việc thêm ô chữ ký."
                )
                % {"reference": reference},
                **base,
            )
    return VerificationResult(
        valid=True,
        code="ok",
        reason=gettext("Chữ ký số hợp lệ (chưa đối chiếu với bản PDF cổng đã phát hành).")
        if expected is None
        else gettext("Chữ ký số hợp lệ, đúng văn bản %(reference)s do cổng phát hành.")
        % {"reference": expected.reference or f"SHA-256 {expected.sha256.strip().lower()[:16]}…"},
        **base,
    )
