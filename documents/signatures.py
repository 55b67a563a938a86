"""Digital signatures of register lines: sign in the portal, or keep a PDF the signer signed elsewhere.

Both ways end in one `DocumentSignature` per line, kept only after `verify_pdf` has found the file to
be the very PDF the portal issued for that line (its unsigned SHA-256), intact, covering the whole
file and chaining to the operator's trust anchors. Signing holds the line's row lock, so a second
click waits for the first and then finds the line signed: a line is never signed twice.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from portal import permissions as perms

from .models import DocumentSignature, OutgoingDocument
from .signing import (
    ExpectedDocument,
    SigningFailed,
    SigningKeyUnavailable,
    SigningNotConfigured,
    VerificationResult,
    sign_pdf,
    verify_pdf,
)

log = logging.getLogger(__name__)

# Where the visible block goes when the signer's name is not found on the last page (points).
DEFAULT_BOX = (300, 50, 560, 130)
BLOCK_HEIGHT = 62
MIN_BLOCK_HEIGHT = 40


class SigningError(Exception):
    """Signing in the portal did not produce a file that could be kept; the message is for the user."""


@dataclass(frozen=True)
class SignOutcome:
    signature: DocumentSignature
    created: bool  # False: the line was already signed (a second click)


def expected_document(entry: OutgoingDocument) -> ExpectedDocument:
    """What a signed file of this line must contain: the unsigned PDF the portal issued."""
    return ExpectedDocument(sha256=entry.pdf_sha256, reference=f"Số {entry.symbol}")


def unsigned_pdf(entry: OutgoingDocument) -> bytes:
    """The issued, unsigned PDF of a line (rendered and kept once if it is not kept yet)."""
    from .services import document_render, file_of

    path = file_of(entry, "pdf")
    if not entry.pdf_sha256 or path is None or not path.exists():
        entry = document_render(entry=entry)
        path = file_of(entry, "pdf")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != entry.pdf_sha256:
        # The kept file is not the one registered: never sign something other than what was issued.
        raise SigningError(_("Tệp PDF lưu trong sổ không khớp mã SHA-256 đã ghi khi ban hành; không ký."))
    return data


def signature_place(pdf: bytes, entry: OutgoingDocument) -> tuple[int, tuple[int, int, int, int]]:
    """Where the visible block goes (page index, box in points): in the space left for the handwritten
    signature between the authority lines and the signer's name, on the page that carries the name
    (a decision's list of the commended follows it); else the lower right of the last page."""
    import io

    from pypdf import PdfReader

    name = " ".join((entry.signer_name or "").split())
    fallback = (-1, DEFAULT_BOX)
    if not name:
        return fallback
    try:
        pages = PdfReader(io.BytesIO(pdf)).pages
        for index in range(len(pages) - 1, -1, -1):
            found: list[tuple[float, float]] = []
            lines: list[float] = []

            def visit(text, cm, tm, font, size, found=found, lines=lines):
                x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
                if text.strip():
                    lines.append(y)
                if name in " ".join(text.split()):
                    found.append((x, y))

            pages[index].extract_text(visitor_text=visit)
            if found:
                break
        else:
            return fallback
    except Exception:  # a layout we cannot read: the default place is still a valid one
        log.info("signature place: could not read the PDF of %s", entry.symbol, exc_info=True)
        return fallback
    x, y = found[-1]
    above = [t for t in lines if t > y + 2]
    top = (min(above) - 4) if above else y + 12 + BLOCK_HEIGHT
    bottom = y + 14
    if top - bottom < MIN_BLOCK_HEIGHT:
        return fallback
    left = max(int(x) - 40, 300)
    return index, (left, int(bottom), min(left + 250, 575), int(min(top, bottom + BLOCK_HEIGHT)))


def _keep(*, entry: OutgoingDocument, user, content: bytes, method: str, signed_at, signer_name: str,
          subject: str, issuer: str) -> DocumentSignature:
    digest = hashlib.sha256(content).hexdigest()
    signature = DocumentSignature(
        entry=entry, sha256=digest, signed_at=signed_at or timezone.now(), signer_name=signer_name[:200],
        certificate_subject=subject[:500], certificate_issuer=issuer[:500], method=method,
        checked_at=timezone.now(), created_by=user)
    stem = f"{entry.year}-{entry.number}-{entry.doc_type}-{entry.body_code}".replace("/", "-")
    signature.file.save(f"{entry.pk}-{stem}-da-ky.pdf", ContentFile(content), save=False)
    signature._history_user = user  # the history row names who signed or filed it
    signature.save()
    return signature


def _lock_unsigned(entry: OutgoingDocument) -> tuple[OutgoingDocument, DocumentSignature | None]:
    entry = OutgoingDocument.objects.select_for_update(of=("self",)).select_related("signer", "profile").get(pk=entry.pk)
    return entry, DocumentSignature.objects.filter(entry=entry).first()


def _require_signable(entry: OutgoingDocument) -> None:
    if entry.status != OutgoingDocument.Status.ISSUED:
        raise ValidationError(_("Văn bản đã thu hồi không ký số được."))
    if not entry.kind:
        raise ValidationError(_("Văn bản vào sổ thủ công không có bản PDF do cổng phát hành để ký."))


def entry_sign(*, entry: OutgoingDocument, user) -> SignOutcome:
    """Sign a register line's issued PDF with the operator's key, in the name and title of its signer;
    the result is verified against the issued PDF before it is kept. Idempotent."""
    perms.require_may_sign_document(user, entry)
    with transaction.atomic():
        entry, existing = _lock_unsigned(entry)
        if existing is not None:
            return SignOutcome(existing, created=False)
        _require_signable(entry)
        pdf = unsigned_pdf(entry)
        title = " – ".join(entry.authority_lines)
        place = entry.profile.place if entry.profile_id else ""
        page, box = signature_place(pdf, entry)
        try:
            signed = sign_pdf(pdf, signer_name=entry.signer_name, signer_title=title,
                              reason=f"Ban hành văn bản số {entry.symbol}", location=place,
                              page=page, box=box)
        except SigningNotConfigured as exc:
            log.warning("signing %s: not configured: %s", entry.symbol, exc)
            raise SigningError(_("Cổng chưa được cấu hình khóa ký số.")) from exc
        except SigningKeyUnavailable as exc:
            log.error("signing %s: key unavailable: %s", entry.symbol, exc)
            raise SigningError(_("Không mở được khóa ký số (tệp khóa, mật khẩu hoặc thiết bị ký); "
                                 "hãy báo quản trị hệ thống.")) from exc
        except SigningFailed as exc:
            log.error("signing %s failed: %s", entry.symbol, exc)
            raise SigningError(_("Không ký được tệp PDF của văn bản này.")) from exc
        check = verify_pdf(signed.content, expected=expected_document(entry))
        if not check.valid:
            # A key whose chain the portal itself does not trust: nothing is kept.
            log.error("signing %s: own signature refused: %s (%s)", entry.symbol, check.code, check.reason)
            raise SigningError(_("Chữ ký vừa tạo không kiểm tra được: %(reason)s") % {"reason": check.reason})
        signature = _keep(entry=entry, user=user, content=signed.content, method=DocumentSignature.Method.PORTAL,
                          signed_at=check.signed_at or signed.signed_at, signer_name=entry.signer_name,
                          subject=check.certificate_subject, issuer=check.certificate_issuer)
    return SignOutcome(signature, created=True)


def entry_attach_signed(*, entry: OutgoingDocument, user, upload) -> tuple[DocumentSignature | None,
                                                                           VerificationResult | None]:
    """Keep a PDF the signer signed elsewhere for a register line, once it is checked (type by content,
    size, then the signature against the line's issued PDF). Raises ValidationError with the exact
    reason; returns the kept signature and the verification result."""
    from models_registry.uploads import clean_upload

    perms.require_may_sign_document(user, entry, upload=True)
    cleaned = clean_upload(upload)
    if cleaned.kind != "pdf":
        raise ValidationError(_("Hãy tải lên tệp PDF đã ký số."))
    content = cleaned.content.read()
    with transaction.atomic():
        entry, existing = _lock_unsigned(entry)
        if existing is not None:
            raise ValidationError(_("Văn bản này đã có bản ký số (%(name)s, %(when)s).") % {
                "name": existing.signer_name, "when": date_format(timezone.localtime(existing.signed_at), "H:i d/m/Y")})
        _require_signable(entry)
        if not entry.pdf_sha256:
            unsigned_pdf(entry)
            entry.refresh_from_db()
        result = verify_pdf(content, expected=expected_document(entry))
        if not result.valid:
            raise ValidationError(result.reason, code=result.code)
        signature = _keep(entry=entry, user=user, content=content, method=DocumentSignature.Method.UPLOAD,
                          signed_at=result.signed_at, signer_name=result.signer_name,
                          subject=result.certificate_subject, issuer=result.certificate_issuer)
    return signature, result


def entry_for_signed_pdf(result: VerificationResult) -> OutgoingDocument | None:
    """The register line whose issued PDF a signed file contains, if any."""
    if not result.unsigned_revisions_sha256:
        return None
    return (OutgoingDocument.objects.filter(pdf_sha256__in=result.unsigned_revisions_sha256)
            .exclude(pdf_sha256="").order_by("-id").first())


def decision_signature(decision) -> DocumentSignature | None:
    """The signature of a decision's register line (for the public verification page), if signed."""
    if decision is None:
        return None
    return (DocumentSignature.objects.select_related("entry")
            .filter(entry__decision=decision, entry__status=OutgoingDocument.Status.ISSUED).first())


def sign_for_command(pdf: bytes, *, kind: str, params: dict, signer_name: str = "",
                     signer_title: str = "") -> tuple[bytes, str]:
    """`make_report --sign`: a document issued in the register is signed as in the portal (its issued
    PDF, in its signer's name, checked and kept with the line; an already signed line gives its kept
    file); any other rendering is signed in the name given. Returns the signed bytes and a line saying
    who signed; ValueError with the reason when it cannot be signed."""
    from .selectors import issued_entry

    entry = issued_entry(kind, params)
    if entry is not None and not signer_name:
        return _sign_entry_for_command(entry)
    if entry is not None:
        signer_title = signer_title or " – ".join(entry.authority_lines)
    if not signer_name:
        raise ValueError(_("Văn bản chưa ban hành và không có người ký: hãy ghi --signer-name."))
    try:
        signed = sign_pdf(pdf, signer_name=signer_name, signer_title=signer_title)
    except (SigningNotConfigured, SigningKeyUnavailable, SigningFailed) as exc:
        raise ValueError(f"{type(exc).__name__}: {exc}") from exc
    check = verify_pdf(signed.content)
    if not check.valid:
        raise ValueError(check.reason)
    return signed.content, f"{signer_name}, {check.certificate_subject}"


def _sign_entry_for_command(entry: OutgoingDocument) -> tuple[bytes, str]:
    with transaction.atomic():
        entry, existing = _lock_unsigned(entry)
        if existing is None:
            _require_signable(entry)
            pdf = unsigned_pdf(entry)
            page, box = signature_place(pdf, entry)
            try:
                signed = sign_pdf(pdf, signer_name=entry.signer_name, signer_title=" – ".join(entry.authority_lines),
                                  reason=f"Ban hành văn bản số {entry.symbol}", page=page, box=box,
                                  location=entry.profile.place if entry.profile_id else "")
            except (SigningNotConfigured, SigningKeyUnavailable, SigningFailed) as exc:
                raise ValueError(f"{type(exc).__name__}: {exc}") from exc
            check = verify_pdf(signed.content, expected=expected_document(entry))
            if not check.valid:
                raise ValueError(check.reason)
            existing = _keep(entry=entry, user=None, content=signed.content, method=DocumentSignature.Method.PORTAL,
                             signed_at=check.signed_at or signed.signed_at, signer_name=entry.signer_name,
                             subject=check.certificate_subject, issuer=check.certificate_issuer)
    with existing.file.open("rb") as handle:
        content = handle.read()
    return content, f"{existing.signer_name}, {existing.certificate_subject} [{entry.symbol}]"
