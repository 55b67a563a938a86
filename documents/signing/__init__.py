"""Digital signatures of the portal's documents (PAdES, with pyHanko).

Sign with the operator's key (PKCS#12 file or PKCS#11 token/HSM, from settings):

    signed = sign_pdf(pdf_bytes, signer_name="Nguyễn Văn A", signer_title="Trưởng ban")
    signed.content, signed.sha256, signed.signed_at

Verify an uploaded PDF against the unsigned PDF the portal issued for a register entry:

    result = verify_pdf(upload, expected=ExpectedDocument(sha256=entry.pdf_sha256,
                                                          reference="Số 12-QĐ/BTGDVTU"))
    result.valid, result.reason, result.signer_name, result.signed_at

See README.md beside this file for the integration with the `documents` app.
"""

from .keys import (
    Pkcs11KeySource,
    Pkcs12KeySource,
    SigningKeyUnavailable,
    SigningNotConfigured,
    key_source_from_settings,
    signing_enabled,
    trust_anchors_from_settings,
)
from .sign import SignedPdf, SigningFailed, sign_pdf
from .verify import ExpectedDocument, VerificationResult, verify_pdf

__all__ = [
    "ExpectedDocument",
    "Pkcs11KeySource",
    "Pkcs12KeySource",
    "SignedPdf",
    "SigningFailed",
    "SigningKeyUnavailable",
    "SigningNotConfigured",
    "VerificationResult",
    "key_source_from_settings",
    "sign_pdf",
    "signing_enabled",
    "trust_anchors_from_settings",
    "verify_pdf",
]
