"""The directory's signatures verify with the published JWKS, by an independent JOSE library."""
import hashlib
import json

import jwt
import pytest

from fitstore import signing

PAYLOAD = {
    "submissionHost": "submission-api.fit-connect.example",
    "iss": "https://fitstore.example.org",
    "services": [{
        "gebietIDs": ["urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs:091880113113"],
        "leistungIDs": ["urn:de:fim:leika:leistung:99001001000000"],
    }],
    "destinationId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "iat": 1764300000,
}


def published_key(client):
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    (key,) = response.json()["keys"]
    assert key["kty"] == "RSA" and key["alg"] == "PS512" and key["use"] == "sig" and "d" not in key
    return key


@pytest.mark.django_db
def test_signature_verifies_with_the_published_jwks(client):
    token = signing.sign(PAYLOAD)
    key = published_key(client)

    header = jwt.get_unverified_header(token)
    claims = jwt.decode(token, jwt.PyJWK(key).key, algorithms=["PS512"], options={"verify_iat": False})

    assert header == {"alg": "PS512", "kid": key["kid"], "typ": "JWT"}
    assert claims == PAYLOAD


@pytest.mark.django_db
def test_a_changed_payload_does_not_verify(client):
    header, payload, signature = signing.sign(PAYLOAD).split(".")
    forged = dict(PAYLOAD, destinationId="00000000-0000-0000-0000-000000000000")
    forged_payload = signing.b64url(json.dumps(forged, separators=(",", ":")).encode())

    with pytest.raises(jwt.InvalidSignatureError):
        jwt.decode(f"{header}.{forged_payload}.{signature}", jwt.PyJWK(published_key(client)).key, algorithms=["PS512"])


@pytest.mark.django_db
def test_kid_is_the_rfc7638_thumbprint():
    key = signing.public_jwk()
    required = json.dumps({"e": key["e"], "kty": "RSA", "n": key["n"]}, separators=(",", ":"))  # lexical order

    assert key["kid"] == signing.b64url(hashlib.sha256(required.encode()).digest())
