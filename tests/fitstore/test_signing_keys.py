"""The directory's key store and its rotation: a next key is published ahead of use, signing
switches after an overlap, the old key is retired after another; every published key carries a
certificate (`x5c`) as FITKO's `jwk` schema requires."""
import base64
import datetime
from pathlib import Path

import jwt
import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from django.core.exceptions import ValidationError
from django.core.management import call_command

from fitstore import services, signing
from fitstore.choices import SigningKeyState
from fitstore.models import SigningKey

pytestmark = pytest.mark.django_db
SPEC = Path(__file__).resolve().parents[3] / "shared" / "data" / "fitconnect" / "routing-api.yaml"


@pytest.fixture(autouse=True)
def key_dir(settings, tmp_path):
    settings.DIRECTORY_SIGNING_KEY_DIR = tmp_path / "keys"
    return settings.DIRECTORY_SIGNING_KEY_DIR


def _pem(bits=2048) -> str:
    return signing.private_pem(rsa.generate_private_key(public_exponent=65537, key_size=bits)).decode()


def _codes(error: ValidationError) -> dict:
    return {field: [item.code for item in items] for field, items in error.error_dict.items()}


def _published(client) -> list[str]:
    return [key["kid"] for key in client.get("/.well-known/jwks.json").json()["keys"]]


def test_a_next_key_is_published_ahead_of_use_and_the_configured_key_keeps_signing(client, key_dir):
    configured = signing.current_key().kid

    added = services.add_signing_key(private_key_pem=_pem(), actor="test")

    assert added.state == SigningKeyState.NEXT
    assert SigningKey.objects.get(kid=configured).state == SigningKeyState.CURRENT  # taken into the store
    assert _published(client) == [configured, added.kid]
    assert jwt.get_unverified_header(signing.sign({"x": 1}))["kid"] == configured
    assert sorted(path.name for path in key_dir.iterdir()) == sorted([f"{configured}.pem", f"{added.kid}.pem"])
    assert oct(key_dir.stat().st_mode & 0o777) == "0o700"
    assert all(oct(path.stat().st_mode & 0o777) == "0o600" for path in key_dir.iterdir())
    document = client.get("/.well-known/jwks.json").json()
    for jwk in document["keys"]:  # each certificate certifies its key
        certificate = x509.load_der_x509_certificate(base64.b64decode(jwk["x5c"][0]))
        assert signing.public_jwk_of(certificate.public_key(), [])["kid"] == jwk["kid"]
    assert len(document["signatures"]) == 2
    assert signing.key_set_signer(document, [document["keys"][0]])["kid"] == configured

    with pytest.raises(ValidationError) as refused:
        services.add_signing_key(private_key_pem=_pem(), actor="test")
    assert _codes(refused.value) == {"state": ["KEY_STATE"]}


def test_signing_switches_after_the_overlap_and_the_old_key_leaves_after_another(client, key_dir,
                                                                                django_capture_on_commit_callbacks):
    old = signing.current_key().kid
    new = services.add_signing_key(private_key_pem=_pem(), actor="test")
    signed_before = signing.sign({"n": 1})

    with pytest.raises(ValidationError) as early:
        services.activate_signing_key(new, actor="test")  # DIRECTORY_KEY_OVERLAP_SECONDS: a day
    assert _codes(early.value) == {"key": ["TOO_EARLY"]}

    services.activate_signing_key(new, overlap_seconds=0, actor="test")
    assert jwt.get_unverified_header(signing.sign({"n": 2}))["kid"] == new.kid
    assert _published(client) == [new.kid, old]  # what the old key signed still verifies
    (old_jwk,) = [key for key in client.get("/.well-known/jwks.json").json()["keys"] if key["kid"] == old]
    assert jwt.decode(signed_before, jwt.PyJWK(old_jwk).key, algorithms=["PS512"]) == {"n": 1}

    previous = SigningKey.objects.get(kid=old)
    with pytest.raises(ValidationError) as early:
        services.retire_signing_key(previous, actor="test")
    assert _codes(early.value) == {"key": ["TOO_EARLY"]}
    with django_capture_on_commit_callbacks(execute=True):
        services.retire_signing_key(previous, overlap_seconds=0, actor="test")
    assert _published(client) == [new.kid]
    assert not (key_dir / f"{old}.pem").exists() and (key_dir / f"{new.kid}.pem").exists()
    with pytest.raises(ValidationError):
        services.retire_signing_key(SigningKey.objects.get(kid=new.kid), overlap_seconds=0, actor="test")


def test_a_certificate_from_the_states_ca_is_published_as_the_chain(tmp_path):
    now = datetime.datetime.now(datetime.timezone.utc)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Landes-CA Test")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(1).not_valid_before(now).not_valid_after(now + datetime.timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True).sign(ca_key, hashes.SHA256()))
    pem = _pem()
    key = signing.load_private_key(pem.encode())
    issued = (x509.CertificateBuilder().subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "fitstore.by")]))
              .issuer_name(ca_name).public_key(key.public_key()).serial_number(2).not_valid_before(now)
              .not_valid_after(now + datetime.timedelta(days=30)).sign(ca_key, hashes.SHA256()))
    chain = "".join(item.public_bytes(serialization.Encoding.PEM).decode() for item in (issued, ca))

    added = services.add_signing_key(private_key_pem=pem, certificate_pem=chain, actor="test")

    assert len(added.public_jwk["x5c"]) == 2
    assert signing.certificate_of(added.public_jwk).issuer.rfc4514_string() == "CN=Landes-CA Test"
    with pytest.raises(ValidationError) as refused:
        services.retire_signing_key(added, overlap_seconds=0, actor="test")
        services.add_signing_key(private_key_pem=_pem(), certificate_pem=chain, actor="test")  # not its certificate
    assert _codes(refused.value) == {"certificate": ["INVALID"]}


@pytest.mark.skipif(not SPEC.exists(), reason="../shared/data/fitconnect/routing-api.yaml is not beside this checkout")
def test_a_generated_key_conforms_to_fitkos_jwk_schema():
    import jsonschema_rs

    schema = yaml.safe_load(SPEC.read_text())["components"]["schemas"]["jwk"]
    added = services.add_signing_key(actor="test")  # 4096 bits, self-signed certificate

    assert jsonschema_rs.validator_for(schema).is_valid(added.public_jwk)
    certificate = signing.certificate_of(added.public_jwk)
    assert certificate.public_key().key_size == 4096
    assert certificate.not_valid_after_utc - certificate.not_valid_before_utc > datetime.timedelta(days=700)


def test_the_command_shows_and_rotates_the_keys(capsys):
    call_command("signing_keys")
    assert "key store empty" in capsys.readouterr().out
    call_command("signing_keys", "add")
    shown = capsys.readouterr().out
    assert "added the next key" in shown and shown.count("private key here: yes") == 2
    assert "NEXT" in shown and "CURRENT" in shown
    call_command("signing_keys", "activate", "--overlap", "0")
    shown = capsys.readouterr().out
    assert "signs now" in shown and "PREVIOUS" in shown
    call_command("signing_keys", "retire", "--overlap", "0")
    shown = capsys.readouterr().out
    assert "retired" in shown and "RETIRED" in shown and "PREVIOUS" not in shown
