"""Fixtures of the directory's tests: X.509 certificates made with `cryptography` and a small
directory on real ARS of the Gemeindeverzeichnis, written through the services.

Imported by the conftest.py of tests/directory/ and tests/api/directory/.
"""
import datetime
import uuid
from dataclasses import dataclass

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

WOHNGELD = "99107023000000"  # LeiKa: Wohngeld (online service "wohngeld", provider MV)
ELTERNGELD = "99041006000000"  # LeiKa: Elterngeld (online service "elterngeld", provider HB)
BERG = "091880113113"  # Berg, Landkreis Starnberg (BY)
STARNBERG_CITY = "091880139139"  # Starnberg, Stadt (BY)
STARNBERG_DISTRICT = "09188"
SAMTGEMEINDE_BROME = "031515402"  # Samtgemeinde Brome, Landkreis Gifhorn (NI)
BROME_MEMBERS = ("031515402003", "031515402005", "031515402008", "031515402021")  # Bergfeld, Brome, Ehra-Lessien, Parsau
SCHWERIN = "130040000000"  # Schwerin (MV)


@dataclass(frozen=True)
class Certificates:
    valid: str
    expired: str
    garbage: str
    valid_fingerprint: str


def _certificate(key, *, not_before, not_after, common_name) -> x509.Certificate:
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "DE"), x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    return (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after)
        .sign(key, hashes.SHA256())
    )


@pytest.fixture(scope="session")
def certificates() -> Certificates:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.datetime.now(datetime.timezone.utc)
    valid = _certificate(key, not_before=now - datetime.timedelta(days=1), not_after=now + datetime.timedelta(days=365),
                         common_name="osci.lra-starnberg.example")
    expired = _certificate(key, not_before=now - datetime.timedelta(days=400), not_after=now - datetime.timedelta(days=1),
                           common_name="old.lra-starnberg.example")
    pem = lambda certificate: certificate.public_bytes(serialization.Encoding.PEM).decode()  # noqa: E731
    return Certificates(
        valid=pem(valid), expired=pem(expired),
        garbage="-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n",
        valid_fingerprint=valid.fingerprint(hashes.SHA256()).hex(),
    )


class Directory:
    """Builds directory entries through the services (actor "test")."""

    def authority(self, identifier, *, name=None, state="BY", ars=STARNBERG_DISTRICT, kind="DISTRICT"):
        from directory import services

        return services.register_authority(identifier=identifier, name=name or identifier, state_code=state, ars=ars,
                                           kind=kind, actor="test")

    def endpoint(self, authority, *, kind="FIT_CONNECT", address=None, destination_id=None, **extra):
        from directory import services

        if kind == "FIT_CONNECT" and destination_id is None:
            destination_id = str(uuid.uuid4())
        address = address or f"https://submission.example.org/{authority.identifier.replace(':', '-')}/{uuid.uuid4().hex[:6]}"
        return services.register_endpoint(authority, kind=kind, address=address, destination_id=destination_id,
                                          actor="test", **extra)

    def responsible(self, authority, leika_key, *ars):
        from directory import services

        return services.assign_responsibility(authority, leika_key=leika_key, ars=list(ars), actor="test")


@pytest.fixture
def directory(db) -> Directory:
    return Directory()


@pytest.fixture
def samtgemeinde(db):
    """A Samtgemeinde of Lower Saxony with its member municipalities, found in the reference data."""
    from directory.models import Region

    region = Region.objects.get(ars=SAMTGEMEINDE_BROME)
    assert region.state.code == "NI" and region.level == "MUNICIPAL_ASSOCIATION" and "Samtgemeinde" in region.kind
    return region
