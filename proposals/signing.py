"""Digital signatures of issued documents: PAdES, with pyHanko and the issuing body's certificate.

Each authority's certificate is a PKCS#12 file in `DOCUMENT_SIGNING_DIR` named after the unit's code
(`so-xay-dung.p12`), its passphrase in the secrets file beside it (`so-xay-dung.passphrase`) or in the environment
(`PORTAL_SIGNING_PASSPHRASE_SO_XAY_DUNG`); nothing of it is in the database. The certificates that make a signature
trusted (the CA's) are the PEM files of `DOCUMENT_SIGNING_TRUST`. An authority without a certificate issues its
documents unsigned, and they say so (templates/proposals/documents/signature.html). docs/lifecycle.md, "Signatures".
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import logging
import os
import re
from pathlib import Path

from django.conf import settings

from accounts.models import OrganisationUnit
from proposals.errors import SigningFailed

logger = logging.getLogger(__name__)

SIGNATURE_FIELD = "ChuKySo"


@dataclasses.dataclass(frozen=True)
class Credentials:
    pkcs12: Path
    passphrase: bytes


def credentials(authority: OrganisationUnit) -> Credentials | None:
    """The authority's certificate and its passphrase, or None when it has none."""
    folder = settings.DOCUMENT_SIGNING_DIR
    if not folder:
        return None
    pkcs12 = Path(folder) / f"{authority.code}.p12"
    if not pkcs12.is_file():
        return None
    variable = "PORTAL_SIGNING_PASSPHRASE_" + re.sub(r"[^A-Z0-9]", "_", authority.code.upper())
    secret = pkcs12.with_suffix(".passphrase")
    if variable in os.environ:
        passphrase = os.environ[variable]
    elif secret.is_file():
        passphrase = secret.read_text().strip()
    else:
        return None
    return Credentials(pkcs12=pkcs12, passphrase=passphrase.encode())


def document_sign(pdf: bytes, *, authority: OrganisationUnit, reason: str, location: str) -> bytes:
    """The PDF signed by the authority (PAdES baseline B), or unchanged when it has no certificate."""
    found = credentials(authority)
    if found is None:
        return pdf
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    try:
        signer = signers.SimpleSigner.load_pkcs12(pfx_file=str(found.pkcs12), passphrase=found.passphrase)
    except (OSError, ValueError):
        signer = None
    if signer is None:
        logger.error("The signing certificate of %s (%s) cannot be read with its passphrase.", authority.code,
                     found.pkcs12)
        raise SigningFailed(authority=authority.name)
    metadata = signers.PdfSignatureMetadata(field_name=SIGNATURE_FIELD, reason=reason, location=location,
                                            subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256")
    return signers.sign_pdf(IncrementalPdfFileWriter(io.BytesIO(pdf)), metadata, signer=signer).getvalue()


@dataclasses.dataclass(frozen=True)
class SignatureStatus:
    signed: bool
    signer: str = ""
    signed_at: datetime.datetime | None = None
    #: The document is unchanged since it was signed, and the signature is mathematically sound.
    intact: bool = False
    #: The signer's certificate leads to one of the trusted certificates.
    trusted: bool = False

    @property
    def valid(self) -> bool:
        return self.intact and self.trusted


def _trust_roots() -> list:
    from asn1crypto import pem, x509

    roots = []
    for name in settings.DOCUMENT_SIGNING_TRUST:
        data = Path(name).read_bytes()
        for _kind, _headers, der in pem.unarmor(data, multiple=True) if pem.detect(data) else [(0, 0, data)]:
            roots.append(x509.Certificate.load(der))
    return roots


def signature_status(pdf: bytes) -> SignatureStatus:
    """Who signed the PDF, when, and whether the signature holds (checked against the trusted certificates)."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        signatures = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    except Exception:  # not a PDF pyHanko can read: certainly not a valid signature
        return SignatureStatus(signed=False)
    if not signatures:
        return SignatureStatus(signed=False)
    context = ValidationContext(trust_roots=_trust_roots(), allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[0], context)
    except Exception:
        return SignatureStatus(signed=True)
    return SignatureStatus(
        signed=True, signer=status.signing_cert.subject.native.get("common_name", ""),
        signed_at=status.signer_reported_dt, intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted))
