"""Sign a PDF with the operator's key: a PAdES baseline (B-B) signature with a visible block."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from . import appearance
from .keys import Pkcs11KeySource, Pkcs12KeySource, SigningKeyUnavailable, key_source_from_settings
from .loops import outside_event_loop
from .names import certificate_name, person_name

SIGNATURE_FIELD = "ChuKySo"


class SigningFailed(Exception):
    """pyHanko could not sign the PDF (unreadable PDF, token refused the operation…)."""


@dataclass(frozen=True)
class SignedPdf:
    """What signing returns: the bytes to keep in the register, their hash and who signed."""

    content: bytes
    sha256: str
    signed_at: datetime
    signer_name: str  # the name written in the block (from the register entry)
    certificate_signer: str  # the name the certificate was issued to (its CN)
    certificate_subject: str
    certificate_issuer: str


@outside_event_loop
def sign_pdf(
    pdf: bytes,
    *,
    signer_name: str,
    signer_title: str = "",
    reason: str = "",
    location: str = "",
    key: Pkcs12KeySource | Pkcs11KeySource | None = None,
    page: int = -1,
    box: tuple[int, int, int, int] = appearance.DEFAULT_BOX,
    field_name: str = SIGNATURE_FIELD,
) -> SignedPdf:
    """Sign `pdf` (bytes of the issued, unsigned PDF) and return the signed bytes and their SHA-256.

    The signature is an incremental update: the signed file begins with the unsigned bytes
    unchanged, which is what `verify_pdf(expected=...)` relies on. `key` defaults to the
    operator's settings (SigningNotConfigured when there is none). `page` and `box` (points,
    x1 y1 x2 y2 from the bottom-left) place the visible block; -1 is the last page.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.sign import fields, signers

    key = key or key_source_from_settings()
    # The block's time; pyHanko stamps the CMS signing time from the same clock a moment later.
    moment = timezone.now()
    text = appearance.block_text(
        signer_name=signer_name, signer_title=signer_title, signed_at=moment
    )
    output = io.BytesIO()
    with key.open() as signer:
        cert = signer.signing_cert
        if cert is None:
            raise SigningKeyUnavailable("the key has no certificate")
        meta = signers.PdfSignatureMetadata(
            field_name=field_name,
            md_algorithm="sha256",
            subfilter=fields.SigSeedSubFilter.PADES,
            reason=reason or None,
            location=location or None,
            name=signer_name,
        )
        pdf_signer = signers.PdfSigner(
            meta,
            signer=signer,
            stamp_style=appearance.stamp_style(),
            new_field_spec=fields.SigFieldSpec(field_name, on_page=page, box=box),
        )
        try:
            writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
            pdf_signer.sign_pdf(writer, output=output, appearance_text_params={"text": text})
        except (PdfError, ValueError) as exc:
            raise SigningFailed(str(exc)) from exc
        except SigningKeyUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 - token errors come from python-pkcs11
            if exc.__class__.__module__.startswith("pkcs11"):
                raise SigningKeyUnavailable(f"{exc.__class__.__name__} {exc}") from exc
            raise
    content = output.getvalue()
    return SignedPdf(
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        signed_at=moment,
        signer_name=signer_name,
        certificate_signer=person_name(cert),
        certificate_subject=certificate_name(cert.subject),
        certificate_issuer=certificate_name(cert.issuer),
    )
