"""Signing fixtures (imported by test_signing.py): a PKI, a PKCS#12 file and a SoftHSM2 token made at run time, and an issued PDF.

Signing costs a few seconds (font shaping and subsetting), so each signed file is made once per
session and shared by the tests that only read it.
"""

import hashlib
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.documents.signing_pki import (
    PASSPHRASE,
    make_pki,
    make_softhsm_token,
    render_pdf,
    sign,
)


@pytest.fixture(scope="session")
def pki(tmp_path_factory):
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture(scope="session")
def root_pem(pki) -> Path:
    return pki.write_pem("trusted-root.pem", pki.root)


@pytest.fixture(scope="session")
def anchors(root_pem):
    from documents.signing.keys import load_certificates

    return load_certificates([root_pem])


@pytest.fixture(scope="session")
def issued_pdf() -> bytes:
    """The unsigned PDF the portal issued for register entry 12-QĐ/BTGDVTU."""
    return render_pdf("Chi bộ thôn Đông Giang")


@pytest.fixture(scope="session")
def issued_sha256(issued_pdf) -> str:
    return hashlib.sha256(issued_pdf).hexdigest()


def p12_source(pki, name, who, chain):
    from documents.signing import Pkcs12KeySource

    return Pkcs12KeySource(path=str(pki.write_p12(name, who, chain)), passphrase=PASSPHRASE)


@pytest.fixture(scope="session")
def p12_key(pki):
    return p12_source(pki, "signer.p12", pki.signer, [pki.intermediate])


@pytest.fixture(scope="session")
def softhsm_token(pki, tmp_path_factory):
    return make_softhsm_token(tmp_path_factory.mktemp("softhsm"), pki.signer, [pki.intermediate])


@pytest.fixture(scope="session")
def signed_p12(issued_pdf, p12_key):
    return sign(issued_pdf, p12_key)


@pytest.fixture(scope="session")
def signed_expired(issued_pdf, pki):
    return sign(
        issued_pdf,
        p12_source(pki, "expired.p12", pki.expired_signer, [pki.intermediate]),
        signer_name="Trần Thị Hết Hạn",
    )


@pytest.fixture(scope="session")
def signed_untrusted(issued_pdf, pki):
    return sign(
        issued_pdf,
        p12_source(pki, "stranger.p12", pki.untrusted_signer, [pki.untrusted_root]),
        signer_name="Lê Văn Lạ",
    )


@pytest.fixture(scope="session")
def nss_db(tmp_path_factory, root_pem):
    """An NSS database trusting the test root, for poppler's pdfsig (it verifies through NSS)."""
    if not shutil.which("certutil"):
        pytest.fail("certutil (libnss3-tools) is missing: scripts/services.sh installs it")
    folder = tmp_path_factory.mktemp("nss")
    subprocess.run(["certutil", "-N", "-d", f"sql:{folder}", "--empty-password"], check=True)
    subprocess.run(
        [
            "certutil",
            "-A",
            "-d",
            f"sql:{folder}",
            "-n",
            "dvk-test-root",
            "-t",
            "CT,C,C",
            "-i",
            str(root_pem),
        ],
        check=True,
    )
    return folder


@pytest.fixture
def pdfsig(nss_db, tmp_path):
    """Run poppler's pdfsig on PDF bytes; returns its output (stdout and stderr together)."""
    if not shutil.which("pdfsig"):
        pytest.fail("pdfsig (poppler-utils) is missing: scripts/services.sh installs it")

    def run(data: bytes) -> str:
        path = tmp_path / "checked.pdf"
        path.write_bytes(data)
        done = subprocess.run(
            ["pdfsig", "-nssdir", f"sql:{nss_db}", str(path)], capture_output=True, text=True
        )
        return done.stdout + done.stderr

    return run
