"""`manage.py check`: say at start-up when the configured signing key or trust anchors are unusable.

Errors, not warnings, for a backend the operator chose but that cannot sign (a portal that shows a
"Ký số" button that always fails is worse than one that refuses to start); warnings for
verification that cannot trust anyone.
"""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register


@register("documents")
def check_document_signing(app_configs=None, **kwargs):
    from .appearance import NoVietnameseFont, signature_font
    from .keys import (
        SigningKeyUnavailable,
        SigningNotConfigured,
        key_source_from_settings,
        trust_anchors_from_settings,
    )

    problems = []
    backend = (getattr(settings, "DOCUMENT_SIGNING_BACKEND", "none") or "none").lower()
    if backend not in ("none", ""):
        try:
            # PKCS#11: without the PIN (see Pkcs11KeySource.probe); PKCS#12: opens the file.
            key_source_from_settings().probe()
        except (SigningNotConfigured, SigningKeyUnavailable) as exc:
            problems.append(
                Error(
                    f"Document signing backend {backend!r} is configured but unusable: {exc}",
                    hint="Fix DOCUMENT_SIGNING_* (see .env.example) or set DOCUMENT_SIGNING_BACKEND=none.",
                    id="documents.E001",
                )
            )
        except Exception as exc:  # noqa: BLE001 - a broken token can raise anything
            problems.append(
                Error(
                    f"Document signing backend {backend!r} failed to open: {exc.__class__.__name__}: {exc}",
                    hint="Check the PKCS#11 module, token label, PIN and key label.",
                    id="documents.E001",
                )
            )
        try:
            signature_font()
        except NoVietnameseFont as exc:
            problems.append(
                Error(
                    f"No font with Vietnamese letters for the visible signature block: {exc}",
                    hint="Install fonts-liberation2 or set DOCUMENT_SIGNING_FONT to such a TTF.",
                    id="documents.E002",
                )
            )
    paths = getattr(settings, "DOCUMENT_TRUST_ANCHORS", []) or []
    if paths:
        try:
            if not trust_anchors_from_settings():
                raise ValueError("no certificate in the files")
        except Exception as exc:  # noqa: BLE001
            problems.append(
                Error(
                    f"DOCUMENT_TRUST_ANCHORS cannot be read: {exc}",
                    hint="Give PEM or DER files of the root CA certificates, comma-separated.",
                    id="documents.E003",
                )
            )
    elif backend not in ("none", ""):
        problems.append(
            Warning(
                "Documents are signed but DOCUMENT_TRUST_ANCHORS is empty: no uploaded or "
                "portal-signed PDF can be verified as trusted.",
                hint="Set DOCUMENT_TRUST_ANCHORS to the root CA certificate(s) of the signers.",
                id="documents.W001",
            )
        )
    return problems
