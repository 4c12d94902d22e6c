"""Whom a mirror trusts: the keys that may sign what a source node serves (docs/federation.md,
"Trust"), kept per source in `directory.models.TrustedKeySet`.

Trust starts out of band or with the operator, never from the network alone:

- a **trust anchor** (`sync_directory --trust-anchor FILE`): the source's key set as JWKS, or
  its keys' SHA-256 fingerprints (RFC 7638 thumbprints, which are the `kid`s, or the SHA-256 of
  their certificates), one a line, handed over by the source's operator; with fingerprints, the
  keys the source publishes that match them are pinned;
- or, on **first contact**, the key set the source publishes, shown to the operator and pinned
  only when the operator confirms it (interactively, or with `--accept-keys` after comparing).

Later, when a page names a key not trusted here, the source's key set is read again: it is taken
when a key already trusted signed it (a rotation, fitstore.signing.key_set_signer); otherwise the
operator must confirm it again.
"""
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from fitstore import audit, signing
from fitstore.choices import AuditAction

from ..choices import TrustBasis
from ..models import TrustedKeySet
from . import remote
from .remote import TrustError

Confirm = Callable[[], bool]
Notice = Callable[[str], None]


@dataclass
class Anchor:
    """A trust anchor file: keys (a JWKS), or fingerprints of keys."""

    path: str
    sha256: str
    keys: list[dict] = field(default_factory=list)
    fingerprints: set[str] = field(default_factory=set)


def _public(key: dict) -> dict:
    if not isinstance(key, dict) or "d" in key:
        raise ValueError("it holds a private key; hand over the public keys only")
    signing.public_key_of(key)
    if not key.get("kid"):
        raise ValueError("a key has no kid")
    return key


def published_keys(document: dict) -> list[dict]:
    """The usable keys of a key set; SignatureError/ValueError for a key that is not one."""
    return [_public(key) for key in document.get("keys") or []]


def _fingerprint(text: str) -> str | None:
    text = text.strip()
    bare = text.replace(":", "").lower()
    if len(bare) == 64 and all(char in "0123456789abcdef" for char in bare):
        return bare
    if len(text) == 43 and all(char.isalnum() or char in "-_" for char in text):
        return text
    return None


def read_anchor(path: str) -> Anchor:
    """The trust anchor in the file `path`: a JWKS, or fingerprints one a line (# comments)."""
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise TrustError(f"the trust anchor {path} cannot be read: {error.strerror}") from None
    anchor = Anchor(path=path, sha256=hashlib.sha256(raw).hexdigest())
    text = raw.decode("utf-8", errors="replace")
    if text.lstrip().startswith("{"):
        try:
            anchor.keys = published_keys(json.loads(text))
        except (ValueError, signing.SignatureError) as error:
            raise TrustError(f"the trust anchor {path} is not a usable key set: {error}") from None
        if not anchor.keys:
            raise TrustError(f"the trust anchor {path} holds no keys")
        return anchor
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        fingerprint = _fingerprint(line)
        if fingerprint is None:
            raise TrustError(f"the trust anchor {path}, line {number}: not a SHA-256 fingerprint (64 hex digits) "
                             "nor a key id (43 characters, RFC 7638)")
        anchor.fingerprints.add(fingerprint)
    if not anchor.fingerprints:
        raise TrustError(f"the trust anchor {path} holds neither keys nor fingerprints")
    return anchor


def matches(key: dict, fingerprints: set[str]) -> bool:
    return signing.thumbprint(key) in fingerprints or key.get("kid") in fingerprints or \
        (signing.certificate_sha256(key) or None) in fingerprints


def describe(keys: list[dict]) -> list[str]:
    """One line per key for the operator to compare with the source's operator."""
    lines = []
    for key in keys:
        try:
            certificate = signing.certificate_of(key)
        except ValueError:
            certificate = None
        about = (f"subject {certificate.subject.rfc4514_string()}, valid until {certificate.not_valid_after_utc:%Y-%m-%d}"
                 if certificate is not None else "no certificate")
        lines.append(f"  key {key.get('kid')}  certificate sha256 {signing.certificate_sha256(key) or '-'}  ({about})")
    return lines


def _pin(source: str, keys: list[dict], basis: str, *, actor, anchor_sha256: str | None = None,
         note: str = "") -> TrustedKeySet:
    with transaction.atomic():
        trust = TrustedKeySet.objects.select_for_update().filter(source=source).first()
        if trust is None:
            trust = TrustedKeySet.objects.create(source=source, keys=keys, basis=basis, anchor_sha256=anchor_sha256 or "")
            audit.record("trust_source_keys", trust, actor=actor, action=AuditAction.CREATED, note=note)
            return trust
        before = audit.snapshot(trust)
        trust.keys, trust.basis, trust.updated_at = keys, basis, timezone.now()
        if anchor_sha256 is not None:
            trust.anchor_sha256 = anchor_sha256
        trust.save(update_fields=["keys", "basis", "anchor_sha256", "updated_at"])
        audit.record("trust_source_keys", trust, actor=actor, before=before, note=note)
        return trust


def _read_key_set(source: str) -> tuple[dict, list[dict]]:
    document = remote.key_set(source)
    try:
        return document, published_keys(document)
    except (ValueError, signing.SignatureError) as error:
        raise TrustError(f"{source} publishes an unusable key set: {error}") from None


def _confirmed(source: str, keys: list[dict], why: str, *, confirm: Confirm | None, notice: Notice | None,
               actor) -> TrustedKeySet:
    if notice:
        notice(f"{why}; {source} publishes these keys:")
        for line in describe(keys):
            notice(line)
    if confirm is None or not confirm():
        raise TrustError(f"{why}. Compare the keys' fingerprints with {source}'s operator (`manage.py signing_keys` "
                         "there), then run once more with --accept-keys, or hand over its keys with --trust-anchor FILE")
    return _pin(source, keys, TrustBasis.CONFIRMED, actor=actor, note=why)


def establish_trust(source: str, *, anchor_path: str | None = None, confirm: Confirm | None = None,
                    notice: Notice | None = None, actor) -> TrustedKeySet:
    """The keys this node trusts for `source`: as pinned before; or from a trust anchor that
    differs from the one last applied; or, on first contact, the source's published keys once
    `confirm()` says yes. TrustError when there are none; one audit row when the trust changes."""
    trust = TrustedKeySet.objects.filter(source=source).first()
    if anchor_path:
        anchor = read_anchor(anchor_path)
        if trust is not None and trust.anchor_sha256 == anchor.sha256:
            return trust
        keys = anchor.keys
        if not keys:
            _document, published = _read_key_set(source)
            keys = [key for key in published if matches(key, anchor.fingerprints)]
            if not keys:
                raise TrustError(f"none of the keys {source} publishes has a fingerprint of the trust anchor "
                                 f"{anchor_path}: " + "; ".join(line.strip() for line in describe(published)))
        return _pin(source, keys, TrustBasis.ANCHOR, anchor_sha256=anchor.sha256, actor=actor,
                    note=f"trust anchor {anchor_path}")
    if trust is not None:
        return trust
    _document, keys = _read_key_set(source)
    return _confirmed(source, keys, "first contact with the source", confirm=confirm, notice=notice, actor=actor)


def renew_trust(trust: TrustedKeySet, *, confirm: Confirm | None = None, notice: Notice | None = None,
                actor) -> TrustedKeySet:
    """Read the source's key set again (a page named a key not trusted here): take it when a
    trusted key signed it (rotation), else only when `confirm()` says yes; TrustError otherwise.
    Unchanged when the source publishes the keys trusted already."""
    document, keys = _read_key_set(trust.source)
    if sorted(key["kid"] for key in keys) == sorted(key.get("kid") for key in trust.keys):
        return trust
    signer = signing.key_set_signer(document, trust.keys)
    if signer is not None:
        return _pin(trust.source, keys, TrustBasis.ROTATED, actor=actor,
                    note=f"key set signed by the trusted key {signer['kid']}")
    return _confirmed(trust.source, keys, "the source's keys changed and no key trusted here signed the new key set",
                      confirm=confirm, notice=notice, actor=actor)
