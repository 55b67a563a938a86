"""A throw-away PKI made at test time: root CA, intermediate, signers, a PKCS#12 file, a SoftHSM token.

Nothing here is committed key material: every key is generated when the tests run, in a temp dir.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

SOFTHSM_MODULE = "/usr/lib/softhsm/libsofthsm2.so"
PIN = "246810"
SO_PIN = "13579111"
PASSPHRASE = "mat-khau-thu"


def _name(cn: str, org: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, org),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class Identity:
    key: rsa.RSAPrivateKey
    cert: x509.Certificate

    def cert_pem(self) -> bytes:
        return self.cert.public_bytes(serialization.Encoding.PEM)


def _issue(subject, key, issuer: Identity | None, *, ca: bool, not_before, not_after) -> Identity:
    issuer_name = issuer.cert.subject if issuer else subject
    signing_key = issuer.key if issuer else key
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer_name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
    )
    if issuer:
        builder = builder.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.key.public_key()),
            critical=False,
        )
    if ca:
        usage = dict(
            key_cert_sign=True, crl_sign=True, digital_signature=False, content_commitment=False
        )
    else:
        usage = dict(
            key_cert_sign=False, crl_sign=False, digital_signature=True, content_commitment=True
        )
    builder = builder.add_extension(
        x509.KeyUsage(
            key_encipherment=False,
            data_encipherment=False,
            key_agreement=False,
            encipher_only=False,
            decipher_only=False,
            **usage,
        ),
        critical=True,
    )
    return Identity(key=key, cert=builder.sign(signing_key, hashes.SHA256()))


@dataclass
class TestPki:
    """Files of the PKI under `folder`; `trusted_root` is what the operator would configure."""

    folder: Path
    root: Identity
    intermediate: Identity
    signer: Identity
    expired_signer: Identity
    untrusted_root: Identity
    untrusted_signer: Identity

    def write_p12(self, name: str, who: Identity, chain: list[Identity]) -> Path:
        path = self.folder / name
        path.write_bytes(
            pkcs12.serialize_key_and_certificates(
                b"signer",
                who.key,
                who.cert,
                [c.cert for c in chain],
                serialization.BestAvailableEncryption(PASSPHRASE.encode()),
            )
        )
        return path

    def write_pem(self, name: str, *who: Identity) -> Path:
        path = self.folder / name
        path.write_bytes(b"".join(w.cert_pem() for w in who))
        return path


def make_pki(folder: Path) -> TestPki:
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    year = dt.timedelta(days=365)
    org = "Ban Tuyên giáo và Dân vận Tỉnh ủy Lâm Đồng"
    root_key, inter_key = _key(), _key()
    root = _issue(
        _name("CA gốc thử nghiệm", "Cơ quan chứng thực thử"),
        root_key,
        None,
        ca=True,
        not_before=now - 5 * year,
        not_after=now + 10 * year,
    )
    intermediate = _issue(
        _name("CA trung gian thử nghiệm", "Cơ quan chứng thực thử"),
        inter_key,
        root,
        ca=True,
        not_before=now - 4 * year,
        not_after=now + 8 * year,
    )
    signer = _issue(
        _name("Nguyễn Văn Thành", org),
        _key(),
        intermediate,
        ca=False,
        not_before=now - year,
        not_after=now + 2 * year,
    )
    expired = _issue(
        _name("Trần Thị Hết Hạn", org),
        _key(),
        intermediate,
        ca=False,
        not_before=now - 3 * year,
        not_after=now - dt.timedelta(days=30),
    )
    other_root = _issue(
        _name("CA lạ", "Tổ chức không được tin cậy"),
        _key(),
        None,
        ca=True,
        not_before=now - 5 * year,
        not_after=now + 10 * year,
    )
    stranger = _issue(
        _name("Lê Văn Lạ", "Tổ chức không được tin cậy"),
        _key(),
        other_root,
        ca=False,
        not_before=now - year,
        not_after=now + 2 * year,
    )
    return TestPki(folder, root, intermediate, signer, expired, other_root, stranger)


@dataclass
class SoftHsmToken:
    conf: Path
    module: str
    label: str
    pin: str
    key_label: str


def make_softhsm_token(
    folder: Path, who: Identity, chain: list[Identity], label="dvk-thu"
) -> SoftHsmToken:
    """A SoftHSM2 token in `folder` holding `who`'s key and certificate and the chain certificates.

    SOFTHSM2_CONF is set in os.environ: SoftHSM reads it when the module is first initialised.
    """
    if not (shutil.which("softhsm2-util") and Path(SOFTHSM_MODULE).exists()):
        raise RuntimeError("softhsm2 is not installed (scripts/services.sh installs it)")
    tokens = folder / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = folder / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n"
    )
    env = {**os.environ, "SOFTHSM2_CONF": str(conf)}
    os.environ["SOFTHSM2_CONF"] = str(conf)
    run = dict(check=True, env=env, capture_output=True)
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            label,
            "--pin",
            PIN,
            "--so-pin",
            SO_PIN,
        ],
        **run,
    )
    key_file = folder / "signer-key.pem"
    key_file.write_bytes(
        who.key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    try:
        subprocess.run(
            [
                "softhsm2-util",
                "--import",
                str(key_file),
                "--token",
                label,
                "--label",
                "signer",
                "--id",
                "01",
                "--pin",
                PIN,
            ],
            **run,
        )
    finally:
        key_file.unlink()
    import pkcs11
    from pkcs11 import Attribute, CertificateType, ObjectClass

    lib = pkcs11.lib(SOFTHSM_MODULE)
    token = lib.get_token(token_label=label)
    with token.open(rw=True, user_pin=PIN) as session:
        for index, (cert_label, ident) in enumerate(
            [("signer", who)] + [(f"ca-{n}", c) for n, c in enumerate(chain)]
        ):
            session.create_object(
                {
                    Attribute.CLASS: ObjectClass.CERTIFICATE,
                    Attribute.CERTIFICATE_TYPE: CertificateType.X_509,
                    Attribute.TOKEN: True,
                    Attribute.LABEL: cert_label,
                    Attribute.ID: bytes([index + 1]) if index == 0 else bytes([0x10 + index]),
                    Attribute.SUBJECT: ident.cert.subject.public_bytes(),
                    Attribute.VALUE: ident.cert.public_bytes(serialization.Encoding.DER),
                }
            )
    return SoftHsmToken(conf=conf, module=SOFTHSM_MODULE, label=label, pin=PIN, key_label="signer")


ISSUED_HTML = """<!doctype html><html lang="vi"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 20mm 20mm 20mm 30mm; }}
body {{ font-family: "Liberation Serif", "DejaVu Serif", serif; font-size: 14pt; }}
</style></head><body>
<p>TỈNH ỦY LÂM ĐỒNG<br><b>BAN TUYÊN GIÁO VÀ DÂN VẬN</b><br>Số 12-QĐ/BTGDVTU</p>
<h1>QUYẾT ĐỊNH</h1>
<p>Về việc khen thưởng điển hình “Dân vận khéo” năm 2025</p>
<p>Khen thưởng {name}, đã có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo”.</p>
</body></html>"""


def render_pdf(name: str) -> bytes:
    import weasyprint

    return weasyprint.HTML(string=ISSUED_HTML.format(name=name)).write_pdf()


def sign(pdf, key, **kwargs):
    from documents.signing import sign_pdf

    kwargs.setdefault("signer_name", "Nguyễn Văn Thành")
    kwargs.setdefault("signer_title", "Trưởng ban")
    return sign_pdf(pdf, key=key, reason="Ban hành quyết định", location="Đà Lạt", **kwargs)
