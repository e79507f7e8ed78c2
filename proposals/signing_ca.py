"""A throw-away certificate authority and a certificate per authority, for the demo (`manage.py signing_demo_ca`)
and the tests: never for production, where each body's certificate comes from a licensed CA."""

from __future__ import annotations

import datetime
import secrets
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_FILE = "demo-ca.pem"


def _name(common_name: str) -> x509.Name:
    # A common name holds at most 64 bytes (cryptography counts UTF-8); some bodies' names are longer.
    while len(common_name.encode()) > 64:
        common_name = common_name[:-1]
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "VN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Cổng đề xuất đổi mới (thử nghiệm)"),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name.strip())])


def _validity(builder: x509.CertificateBuilder, days: int) -> x509.CertificateBuilder:
    now = datetime.datetime.now(datetime.UTC)
    return builder.not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=days))


def ca_create(folder: Path) -> tuple[x509.Certificate, ec.EllipticCurvePrivateKey]:
    """A CA in `folder` (its certificate as demo-ca.pem); its key is kept only in memory, to sign what follows."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name("CA thử nghiệm của Cổng đề xuất đổi mới")
    certificate = _validity(x509.CertificateBuilder().subject_name(name).issuer_name(name)
                            .public_key(key.public_key()).serial_number(x509.random_serial_number()), 3650) \
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True) \
        .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=True, encipher_only=False, decipher_only=False), critical=True) \
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False) \
        .sign(key, hashes.SHA256())
    folder.mkdir(parents=True, exist_ok=True)
    (folder / CA_FILE).write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate, key


def signer_create(folder: Path, *, code: str, common_name: str, ca: x509.Certificate,
                  ca_key: ec.EllipticCurvePrivateKey) -> None:
    """`<code>.p12` and `<code>.passphrase` in `folder`: a signing certificate for the body, issued by `ca`."""
    key = ec.generate_private_key(ec.SECP256R1())
    certificate = _validity(x509.CertificateBuilder().subject_name(_name(common_name)).issuer_name(ca.subject)
                            .public_key(key.public_key()).serial_number(x509.random_serial_number()), 730) \
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True) \
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True) \
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False) \
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False) \
        .sign(ca_key, hashes.SHA256())
    passphrase = secrets.token_urlsafe(24)
    bundle = pkcs12.serialize_key_and_certificates(
        code.encode(), key, certificate, [ca], serialization.BestAvailableEncryption(passphrase.encode()))
    (folder / f"{code}.p12").write_bytes(bundle)
    secret = folder / f"{code}.passphrase"
    secret.write_text(passphrase + "\n")
    secret.chmod(0o600)
