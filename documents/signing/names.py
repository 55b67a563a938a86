"""Names on certificates as people read them ('CN=…, O=…, C=VN', Vietnamese letters kept)."""

from __future__ import annotations

from asn1crypto import x509

SHORT = {
    "common_name": "CN",
    "organizational_unit_name": "OU",
    "organization_name": "O",
    "locality_name": "L",
    "state_or_province_name": "ST",
    "country_name": "C",
    "email_address": "E",
    "serial_number": "SERIALNUMBER",
    "title": "T",
    "given_name": "GN",
    "surname": "SN",
    "user_id": "UID",
}


def certificate_name(name: x509.Name) -> str:
    """The name most specific first, as signing tools show it: 'CN=Nguyễn Văn A, O=…, C=VN'."""
    parts = []
    for rdn in reversed(list(name.chosen)):
        for type_and_value in rdn:
            key = type_and_value["type"].native
            parts.append(f"{SHORT.get(key, key)}={type_and_value['value'].native}")
    return ", ".join(parts)


def person_name(cert: x509.Certificate) -> str:
    """The certificate's common name (the signer, for a personal certificate)."""
    return cert.subject.native.get("common_name") or certificate_name(cert.subject)
