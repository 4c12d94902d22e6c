"""The directory's signing keys and its signatures: JWS (PS512, RFC 7515/7518) over routing answers
(`destinationSignature`), the change feed's pages, digests and the key set itself, published as
JWKS (RFC 7517) at `/.well-known/jwks.json`.

**Keys** (docs/federation.md, "Keys and their rotation"). The key store holds several keys, each
NEXT (published ahead of use), CURRENT (signs; exactly one), PREVIOUS (published after a switch,
so that what it signed still verifies) or RETIRED (no longer published, its private key deleted).
Their states and public parts live in the database (`fitstore.models.SigningKey`, changed by the
services `add_signing_key`, `activate_signing_key`, `retire_signing_key` and the command
`signing_keys`), so every process and server of a node switches at once; each private key is the
file `<kid>.pem` in DIRECTORY_SIGNING_KEY_DIR (mode 0600). While the store is empty, the key of the
setting DIRECTORY_SIGNING_KEY (a PEM, or a path to one), else a development key generated once
into var/, is the current key (deploy check fitstore.W003); the first `signing_keys add` takes it
into the store.

**Certificates.** Every published key carries `x5c`, as FITKO's `jwk` schema requires: a
certificate for the key, self-signed by default, or issued by the operator's CA where one is
given to `signing_keys add --certificate`. Trust between nodes does not rest on it (a mirror
trusts keys pinned out of band, docs/federation.md); it lets a state's PKI vouch for the key too.

**Canonical JSON** (`canonical_json`): sorted keys, no white space, UTF-8, only the escapes JSON
requires — RFC 8785 (JCS) for the values signed here, which hold no floating-point numbers. What
is signed over content that travels beside the signature (a feed page, a key set) signs the
SHA-256 of its canonical JSON, so both sides compute the same bytes from the same data.
"""
import base64
import copy
import datetime
import hashlib
import json
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.core.cache import cache

from .choices import SigningKeyState
from .files import create_once
from .models import SigningKey

ALGORITHM = "PS512"
KEY_SIZE = 4096  # FITKO's jwk schema: `n` of at least 683 characters
KEY_SET_TYPE = "fitstore-key-set+jwt"
KEY_SET_SECONDS = 24 * 3600  # how long a signed key set may be presented
_PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64)  # RFC 7518 3.5: salt = hash length


class SignatureError(ValueError):
    """A JWS that does not verify. `code`: MALFORMED, UNKNOWN_KEY, BAD_SIGNATURE, WRONG_TYPE,
    EXPIRED, NOT_YET_VALID."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


# --- encodings ----------------------------------------------------------------------------------------

def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _int_bytes(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


def canonical_json(value) -> bytes:
    """The canonical JSON of `value` (see the module's docstring)."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def content_sha256(value) -> str:
    """SHA-256 (hex) of the canonical JSON of `value`: what a signature says about content beside it."""
    return hashlib.sha256(canonical_json(value)).hexdigest()


# --- keys ---------------------------------------------------------------------------------------------

def thumbprint(jwk: dict) -> str:
    """RFC 7638 thumbprint (SHA-256, base64url) of an RSA JWK: its `kid`."""
    members = {"e": jwk["e"], "kty": "RSA", "n": jwk["n"]}
    return b64url(hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode()).digest())


def certificate_sha256(jwk: dict) -> str:
    """SHA-256 (hex) of the key's certificate (`x5c[0]`), as `openssl x509 -fingerprint -sha256` shows it."""
    chain = jwk.get("x5c") or []
    return hashlib.sha256(base64.b64decode(chain[0])).hexdigest() if chain else ""


def chain_of(jwk: dict) -> list[bytes]:
    """The certificate chain (DER) of a published JWK."""
    return [base64.b64decode(item) for item in jwk.get("x5c") or []]


def certificate_of(jwk: dict) -> x509.Certificate | None:
    chain = jwk.get("x5c") or []
    return x509.load_der_x509_certificate(base64.b64decode(chain[0])) if chain else None


def public_key_of(jwk: dict) -> rsa.RSAPublicKey:
    """The RSA public key of a JWK; SignatureError (MALFORMED) for anything else."""
    try:
        if jwk.get("kty") != "RSA" or "d" in jwk:
            raise ValueError("not a public RSA key")
        numbers = rsa.RSAPublicNumbers(int.from_bytes(b64url_decode(jwk["e"]), "big"),
                                       int.from_bytes(b64url_decode(jwk["n"]), "big"))
        key = numbers.public_key()
    except (KeyError, TypeError, ValueError) as error:
        raise SignatureError("MALFORMED", f"a key of the key set is unusable: {error}") from None
    if key.key_size < 2048:
        raise SignatureError("MALFORMED", "a key of the key set is shorter than 2048 bits")
    return key


def public_jwk_of(public_key: rsa.RSAPublicKey, chain: list[bytes]) -> dict:
    """The published JWK of a key with its certificate chain (DER, the key's certificate first)."""
    numbers = public_key.public_numbers()
    members = {"e": b64url(_int_bytes(numbers.e)), "kty": "RSA", "n": b64url(_int_bytes(numbers.n))}
    return {**members, "kid": thumbprint(members), "alg": ALGORITHM, "use": "sig", "key_ops": ["verify"],
            "x5c": [base64.b64encode(der).decode("ascii") for der in chain]}


def new_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)


def private_pem(key: rsa.RSAPrivateKey) -> bytes:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


def load_private_key(pem: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < 2048:
        raise ValueError("the directory's signing key must be an RSA key of at least 2048 bits")
    return key


def issuer_name() -> x509.Name:
    host = urlsplit(settings.DIRECTORY_ISSUER).hostname or "fitstore"
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, host),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "FIT-Store directory")])


def self_signed_certificate(key: rsa.RSAPrivateKey, *, not_before: datetime.datetime,
                            not_after: datetime.datetime, serial: int | None = None) -> bytes:
    """A self-signed certificate (DER) for a signing key: digital signatures only, no CA. Signed
    with PKCS #1 v1.5, which is deterministic: the same arguments give the same certificate."""
    name = issuer_name()
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(serial or x509.random_serial_number())
               .not_valid_before(not_before).not_valid_after(not_after)
               .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
               .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=False, key_encipherment=False,
                                            data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                            crl_sign=False, encipher_only=False, decipher_only=False), critical=True))
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.DER)


def certificate_chain(pem: str, key: rsa.RSAPrivateKey) -> list[bytes]:
    """The certificates of a PEM bundle (DER), the key's own first; ValueError when the first is
    not a certificate for `key`."""
    certificates = x509.load_pem_x509_certificates(pem.encode())
    if certificates[0].public_key().public_numbers() != key.public_key().public_numbers():
        raise ValueError("the first certificate is not a certificate for this key")
    return [certificate.public_bytes(serialization.Encoding.DER) for certificate in certificates]


def key_dir() -> Path:
    return Path(settings.DIRECTORY_SIGNING_KEY_DIR)


def private_key_path(kid: str) -> Path:
    return key_dir() / f"{kid}.pem"


@dataclass(frozen=True)
class Key:
    """A published key: its JWK, its state, and where its private key is."""

    kid: str
    state: str
    jwk: dict
    pem: bytes | None = None  # the key in use before the store (DIRECTORY_SIGNING_KEY or the development key)

    def has_private_key(self) -> bool:
        return self.pem is not None or private_key_path(self.kid).exists()

    def private_key(self) -> rsa.RSAPrivateKey:
        if self.pem is not None:
            return _private_key(self.pem)
        path = private_key_path(self.kid)
        try:
            return _private_key(path.read_bytes())
        except FileNotFoundError:
            raise RuntimeError(f"the private key of signing key {self.kid} is missing here ({path}); copy it from "
                               "the server where `signing_keys add` made it") from None


@lru_cache(maxsize=16)
def _private_key(pem: bytes) -> rsa.RSAPrivateKey:
    return load_private_key(pem)


def _load_pem() -> bytes:
    return _pem(settings.DIRECTORY_SIGNING_KEY, settings.VAR_DIR)


_generating = threading.Lock()


@lru_cache(maxsize=4)
def _pem(configured: str, var_dir) -> bytes:
    """Read once per setting: signing sits on the routing answer's path."""
    if configured:
        return configured.encode() if configured.lstrip().startswith("-----BEGIN") else Path(configured).read_bytes()
    with _generating:  # one thread of the process spends the seconds a key takes; the others then read its file
        return create_once(var_dir / "directory-signing-key.pem", lambda: private_pem(new_private_key()))


def configured_key() -> Key:
    """The key in use while the store is empty, with a deterministic self-signed certificate, so
    that every process of the node publishes the same JWK."""
    return _configured_key(_load_pem(), settings.DIRECTORY_ISSUER)


@lru_cache(maxsize=4)
def _configured_key(pem: bytes, issuer: str) -> Key:
    key = load_private_key(pem)
    serial = int.from_bytes(hashlib.sha256(pem).digest()[:16], "big") or 1
    certificate = self_signed_certificate(
        key, not_before=datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc),
        not_after=datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=datetime.timezone.utc),  # RFC 5280: no end
        serial=serial)
    jwk = public_jwk_of(key.public_key(), [certificate])
    return Key(kid=jwk["kid"], state=SigningKeyState.CURRENT, jwk=jwk, pem=pem)


_ORDER = {SigningKeyState.CURRENT: 0, SigningKeyState.NEXT: 1, SigningKeyState.PREVIOUS: 2}


def published_keys() -> list[Key]:
    """The keys of the key set, the current one first (one query)."""
    rows = SigningKey.objects.filter(state__in=SigningKeyState.published()).values_list("kid", "state", "public_jwk")
    keys = sorted((Key(kid=kid, state=state, jwk=jwk) for kid, state, jwk in rows), key=lambda key: _ORDER[key.state])
    return keys or [configured_key()]


def current_key() -> Key:
    return published_keys()[0]


def public_jwk() -> dict:
    """The current key's JWK (with `x5c`); its `kid` is its RFC 7638 thumbprint (a copy: callers may change it)."""
    return copy.deepcopy(current_key().jwk)


def sign(payload: dict, *, typ: str = "JWT", key: Key | None = None) -> str:
    """A compact JWS of `payload`, signed with PS512 by `key` (the current key by default)."""
    key = key or current_key()
    header = {"alg": ALGORITHM, "kid": key.kid, "typ": typ}
    signing_input = ".".join(
        b64url(json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode()) for part in (header, payload)
    )
    signature = key.private_key().sign(signing_input.encode("ascii"), _PSS, hashes.SHA512())
    return f"{signing_input}.{b64url(signature)}"


def unverified_header(token: str) -> dict:
    try:
        header = json.loads(b64url_decode(token.split(".")[0]))
    except (ValueError, AttributeError, IndexError):
        raise SignatureError("MALFORMED", "not a JWS in compact serialisation") from None
    if not isinstance(header, dict):
        raise SignatureError("MALFORMED", "the JWS header is not an object")
    return header


def verify(token: str, keys: Iterable[dict], *, typ: str | None = None, now: float | None = None,
           leeway: int = 60) -> tuple[dict, dict]:
    """(header, claims) of a compact JWS signed with PS512 by one of `keys` (JWKs, chosen by
    `kid`); SignatureError otherwise, also when its `typ` is not `typ`, its `exp` has passed or
    its `iat`/`nbf` lies ahead (each with `leeway` seconds for the clocks)."""
    if not isinstance(token, str) or token.count(".") != 2:
        raise SignatureError("MALFORMED", "not a JWS in compact serialisation")
    header = unverified_header(token)
    if header.get("alg") != ALGORITHM:
        raise SignatureError("MALFORMED", f"signed with {header.get('alg')!r}, not {ALGORITHM}")
    if typ is not None and header.get("typ") != typ:
        raise SignatureError("WRONG_TYPE", f"a {header.get('typ')!r}, not a {typ!r}")
    kid = header.get("kid")
    jwk = next((key for key in keys if key.get("kid") == kid), None)
    if jwk is None:
        raise SignatureError("UNKNOWN_KEY", f"signed with the key {kid!r}, which is not trusted here")
    encoded_header, encoded_payload, encoded_signature = token.split(".")
    try:
        signature = b64url_decode(encoded_signature)
        public_key_of(jwk).verify(signature, f"{encoded_header}.{encoded_payload}".encode("ascii"), _PSS,
                                  hashes.SHA512())
        claims = json.loads(b64url_decode(encoded_payload))
    except InvalidSignature:
        raise SignatureError("BAD_SIGNATURE", f"the signature does not verify with the key {kid}") from None
    except (ValueError, UnicodeError):
        raise SignatureError("MALFORMED", "the JWS cannot be decoded") from None
    if not isinstance(claims, dict):
        raise SignatureError("MALFORMED", "the JWS payload is not an object")
    now = time.time() if now is None else now
    if isinstance(claims.get("exp"), (int, float)) and now > claims["exp"] + leeway:
        raise SignatureError("EXPIRED", f"expired {int(now - claims['exp'])} s ago (valid until "
                                        f"{_moment(claims['exp'])})")
    for name in ("iat", "nbf"):
        if isinstance(claims.get(name), (int, float)) and claims[name] > now + leeway:
            raise SignatureError("NOT_YET_VALID", f"dated {_moment(claims[name])}, ahead of this machine's clock")
    return header, claims


def _moment(timestamp: float) -> str:
    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).isoformat(timespec="seconds")


# --- the key set -------------------------------------------------------------------------------------

def jwks() -> dict:
    """The published key set: `keys` (RFC 7517) and `signatures`, one compact JWS per key whose
    private key is here, over the SHA-256 of the canonical `keys` (KEY_SET_TYPE). A mirror takes a
    new key set when a key it already trusts signed it (rotation); clients that do not know the
    member ignore it (RFC 7517, section 5). Cached for five minutes: signing costs."""
    keys = published_keys()
    members = [key.jwk for key in keys]
    cache_key = "signing:jwks:" + content_sha256([settings.DIRECTORY_ISSUER, members])
    document = cache.get(cache_key)
    if document is None:
        now = int(time.time())
        claims = {"iss": settings.DIRECTORY_ISSUER, "iat": now, "exp": now + KEY_SET_SECONDS,
                  "keys": content_sha256(members)}
        signatures = [sign(claims, typ=KEY_SET_TYPE, key=key) for key in keys if key.has_private_key()]
        document = {"keys": members, "signatures": signatures}
        cache.set(cache_key, document, timeout=300)
    return document


def key_set_signer(document: dict, trusted: Iterable[dict]) -> dict | None:
    """The claims of the first signature of a key set `document` (as `jwks()` gives it) made by a
    `trusted` key over exactly its `keys`, with its `kid` added; None when no trusted key signed it."""
    trusted = list(trusted)
    keys = document.get("keys")
    if not isinstance(keys, list):
        return None
    expected = content_sha256(keys)
    for token in document.get("signatures") or []:
        try:
            header, claims = verify(token, trusted, typ=KEY_SET_TYPE)
        except SignatureError:
            continue
        if claims.get("keys") == expected:
            return {**claims, "kid": header["kid"]}
    return None
