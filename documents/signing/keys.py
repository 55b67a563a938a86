"""Where the signing key and the trust anchors come from: the operator's settings, never the repo.

A key source is opened for one signature and closed after it (a PKCS#11 session is a resource on
the token); `open()` is a context manager that yields a pyHanko `Signer`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from asn1crypto import x509
from django.conf import settings


class SigningNotConfigured(Exception):
    """The portal has no usable signing key (backend "none", or a setting is missing)."""


class SigningKeyUnavailable(Exception):
    """The configured key cannot be opened: wrong passphrase/PIN, missing file, token or key."""


def load_certificates(paths: Sequence[str | Path]) -> list[x509.Certificate]:
    """Certificates from PEM or DER files (a PEM file may hold several)."""
    from pyhanko.keys import load_certs_from_pemder

    return list(load_certs_from_pemder([str(p) for p in paths]))


@dataclass(frozen=True)
class Pkcs12KeySource:
    """A key and certificate in a PKCS#12 (.p12/.pfx) file the operator keeps outside the repo."""

    path: str
    passphrase: str = ""
    chain: tuple[str, ...] = ()

    def describe(self) -> str:
        return f"PKCS#12 {self.path}"

    def probe(self) -> None:
        """Check that the file opens with the passphrase (no retry counter to exhaust here)."""
        with self.open():
            pass

    @contextlib.contextmanager
    def open(self) -> Iterator[object]:
        from pyhanko.sign import signers

        try:
            data = Path(self.path).read_bytes()
        except OSError as exc:
            raise SigningKeyUnavailable(f"cannot read {self.path}: {exc.strerror}") from exc
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(
                data,
                other_certs=load_certificates(self.chain),
                passphrase=self.passphrase.encode() if self.passphrase else None,
            )
        except ValueError as exc:
            raise SigningKeyUnavailable(
                f"cannot load the key from {self.path} (wrong passphrase or not PKCS#12)"
            ) from exc
        yield signer


@dataclass(frozen=True)
class Pkcs11KeySource:
    """A key on a PKCS#11 token or HSM (USB token of the government CA, SoftHSM in tests)."""

    module: str
    pin: str
    token_label: str = ""
    key_label: str = ""
    cert_label: str = ""
    chain: tuple[str, ...] = field(default=())

    def describe(self) -> str:
        return f"PKCS#11 {self.module} token={self.token_label or '*'} key={self.key_label or '*'}"

    def probe(self) -> None:
        """Check the module, the token and the certificate without logging in.

        A start-up check must not present the PIN: a wrong PIN in the settings would use up the
        token's retries at every `manage.py` run and lock it. A wrong PIN shows at the first
        signature instead (SigningKeyUnavailable).
        """
        from pkcs11 import Attribute, ObjectClass
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11 as p11

        if not Path(self.module).exists():
            raise SigningKeyUnavailable(f"PKCS#11 module not found: {self.module}")
        try:
            session = p11.open_pkcs11_session(
                self.module,
                token_criteria=TokenCriteria(label=self.token_label) if self.token_label else None,
            )
        except Exception as exc:  # noqa: BLE001
            raise SigningKeyUnavailable(
                f"cannot open the PKCS#11 token: {exc.__class__.__name__} {exc}"
            ) from exc
        try:
            label = self.cert_label or self.key_label
            found = list(
                session.get_objects(
                    {Attribute.CLASS: ObjectClass.CERTIFICATE, Attribute.LABEL: label}
                )
            )
            if not found:
                raise SigningKeyUnavailable(f"no certificate labelled {label!r} on the token")
        finally:
            with contextlib.suppress(Exception):
                session.close()

    @contextlib.contextmanager
    def open(self) -> Iterator[object]:
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign import pkcs11 as p11

        if not Path(self.module).exists():
            raise SigningKeyUnavailable(f"PKCS#11 module not found: {self.module}")
        try:
            session = p11.open_pkcs11_session(
                self.module,
                token_criteria=TokenCriteria(label=self.token_label) if self.token_label else None,
                user_pin=self.pin or None,
            )
        except Exception as exc:  # noqa: BLE001 - python-pkcs11 raises many kinds (PinIncorrect…)
            raise SigningKeyUnavailable(
                f"cannot open the PKCS#11 token: {exc.__class__.__name__} {exc}"
            ) from exc
        try:
            key_label = self.key_label or None
            cert_label = self.cert_label or self.key_label or None
            signer = p11.PKCS11Signer(
                session,
                cert_label=cert_label,
                key_label=key_label,
                ca_chain=load_certificates(self.chain) or None,
                # Intermediates stored on the token are embedded too (None pulls them all).
                other_certs_to_pull=None,
            )
            yield signer
        finally:
            with contextlib.suppress(Exception):
                session.close()


def key_source_from_settings() -> Pkcs12KeySource | Pkcs11KeySource:
    """The key source the operator configured (DOCUMENT_SIGNING_*), or SigningNotConfigured."""
    backend = (getattr(settings, "DOCUMENT_SIGNING_BACKEND", "none") or "none").lower()
    chain = tuple(getattr(settings, "DOCUMENT_SIGNING_CHAIN", ()) or ())
    if backend == "pkcs12":
        path = settings.DOCUMENT_SIGNING_PKCS12_PATH
        if not path:
            raise SigningNotConfigured("DOCUMENT_SIGNING_PKCS12_PATH is empty")
        return Pkcs12KeySource(
            path=path, passphrase=settings.DOCUMENT_SIGNING_PKCS12_PASSPHRASE, chain=chain
        )
    if backend == "pkcs11":
        module = settings.DOCUMENT_SIGNING_PKCS11_MODULE
        if not module:
            raise SigningNotConfigured("DOCUMENT_SIGNING_PKCS11_MODULE is empty")
        if not (
            settings.DOCUMENT_SIGNING_PKCS11_KEY_LABEL
            or settings.DOCUMENT_SIGNING_PKCS11_CERT_LABEL
        ):
            raise SigningNotConfigured("DOCUMENT_SIGNING_PKCS11_KEY_LABEL is empty")
        return Pkcs11KeySource(
            module=module,
            pin=settings.DOCUMENT_SIGNING_PKCS11_PIN,
            token_label=settings.DOCUMENT_SIGNING_PKCS11_TOKEN_LABEL,
            key_label=settings.DOCUMENT_SIGNING_PKCS11_KEY_LABEL,
            cert_label=settings.DOCUMENT_SIGNING_PKCS11_CERT_LABEL,
            chain=chain,
        )
    if backend in ("", "none"):
        raise SigningNotConfigured("DOCUMENT_SIGNING_BACKEND is none")
    raise SigningNotConfigured(f"unknown DOCUMENT_SIGNING_BACKEND {backend!r} (none|pkcs12|pkcs11)")


def signing_enabled() -> bool:
    """Whether the operator configured a signing backend (the key itself may still fail to open)."""
    try:
        key_source_from_settings()
    except SigningNotConfigured:
        return False
    return True


def trust_anchors_from_settings() -> list[x509.Certificate]:
    """The root certificates of DOCUMENT_TRUST_ANCHORS (empty list when none are configured)."""
    return load_certificates(getattr(settings, "DOCUMENT_TRUST_ANCHORS", ()) or ())
