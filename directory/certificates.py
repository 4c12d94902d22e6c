"""X.509 certificates of endpoints (OSCI/XTA as in the DVDV): parsed with `cryptography` into
the facts the directory shows and routes by."""
import datetime
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import hashes


class CertificateError(ValueError):
    """The text is not one PEM-encoded X.509 certificate."""


@dataclass(frozen=True)
class CertificateInfo:
    subject: str
    issuer: str
    serial: str  # lowercase hex, as openssl prints it without colons
    not_before: datetime.datetime
    not_after: datetime.datetime
    fingerprint_sha256: str  # 64 lowercase hex digits

    def expired(self, now: datetime.datetime) -> bool:
        return self.not_after <= now

    def not_yet_valid(self, now: datetime.datetime) -> bool:
        return self.not_before > now


def parse_certificate(pem: str) -> CertificateInfo:
    """The first certificate of `pem`; CertificateError when there is none or it is malformed."""
    if not isinstance(pem, str) or "-----BEGIN CERTIFICATE-----" not in pem:
        raise CertificateError("no PEM certificate block")
    try:
        certificate = x509.load_pem_x509_certificate(pem.strip().encode("ascii"))
        return CertificateInfo(
            subject=certificate.subject.rfc4514_string(),
            issuer=certificate.issuer.rfc4514_string(),
            serial=format(certificate.serial_number, "x"),
            not_before=certificate.not_valid_before_utc,
            not_after=certificate.not_valid_after_utc,
            fingerprint_sha256=certificate.fingerprint(hashes.SHA256()).hex(),
        )
    except (ValueError, UnicodeEncodeError, TypeError) as error:
        raise CertificateError(str(error)) from None
