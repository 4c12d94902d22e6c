"""The directory's signing key: JWS (PS512) over routing answers, published as JWKS.

FIT-Connect clients check a route's `destinationSignature` against the key set at
`/.well-known/jwks.json` before they send an application to it. The key comes from the setting
DIRECTORY_SIGNING_KEY (a PEM, or a path to one); without it a development key is generated
once into var/ (the deploy check fitstore.W003 warns).

The key and its JWK are kept per process, keyed by the settings they come from; what is kept is
immutable (a PEM, a key object) or handed out as a copy (the JWK).
"""
import base64
import copy
import hashlib
import json
import threading
from functools import lru_cache
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from django.conf import settings

from .files import create_once

ALGORITHM = "PS512"
_PSS = padding.PSS(mgf=padding.MGF1(hashes.SHA512()), salt_length=64)  # RFC 7518 3.5: salt = hash length


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _int_bytes(value: int) -> bytes:
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


def _load_pem() -> bytes:
    return _pem(settings.DIRECTORY_SIGNING_KEY, settings.VAR_DIR)


_generating = threading.Lock()


@lru_cache(maxsize=4)
def _pem(configured: str, var_dir) -> bytes:
    """Read once per setting: signing sits on the routing answer's path."""
    if configured:
        return configured.encode() if configured.lstrip().startswith("-----BEGIN") else Path(configured).read_bytes()
    with _generating:  # one thread of the process spends the seconds a key takes; the others then read its file
        return create_once(var_dir / "directory-signing-key.pem", _new_key_pem)


def _new_key_pem() -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption())


@lru_cache(maxsize=4)
def _signing_key(pem: bytes) -> rsa.RSAPrivateKey:
    key = serialization.load_pem_private_key(pem, password=None)
    if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < 2048:
        raise ValueError("DIRECTORY_SIGNING_KEY must be an RSA key of at least 2048 bits")
    return key


def signing_key() -> rsa.RSAPrivateKey:
    return _signing_key(_load_pem())


def public_jwk() -> dict:
    """The public key as a JWK with its RFC 7638 thumbprint as `kid` (a copy: callers may change it)."""
    return copy.deepcopy(_public_jwk(_load_pem()))


@lru_cache(maxsize=4)
def _public_jwk(pem: bytes) -> dict:
    numbers = _signing_key(pem).public_key().public_numbers()
    members = {"e": b64url(_int_bytes(numbers.e)), "kty": "RSA", "n": b64url(_int_bytes(numbers.n))}
    thumbprint = b64url(hashlib.sha256(json.dumps(members, separators=(",", ":"), sort_keys=True).encode()).digest())
    return {**members, "kid": thumbprint, "alg": ALGORITHM, "use": "sig", "key_ops": ["verify"]}


def jwks() -> dict:
    return {"keys": [public_jwk()]}


def sign(payload: dict) -> str:
    """A compact JWS (RFC 7515) of `payload`, signed with PS512."""
    header = {"alg": ALGORITHM, "kid": public_jwk()["kid"], "typ": "JWT"}
    signing_input = ".".join(
        b64url(json.dumps(part, separators=(",", ":"), ensure_ascii=False).encode()) for part in (header, payload)
    )
    signature = signing_key().sign(signing_input.encode("ascii"), _PSS, hashes.SHA512())
    return f"{signing_input}.{b64url(signature)}"
