"""`manage.py directory_digest [--state CODE] [--signed | --verify JWS --source URL]` — a SHA-256
content hash of the directory (authorities, endpoints, responsibilities in canonical order,
without ids, timestamps and origin), printed as the last word: a source and its mirror print the
same after a sync.

`--signed` prints, as the last word, a JWS of the digest signed with this node's directory key;
`--verify JWS` (or a file holding it) on another node checks it against the keys trusted for
`--source` (pinned by `sync_directory`) or a `--trust-anchor FILE` (a JWKS) and compares it with
this node's own digest of the same part: exit status 0 only when the signature holds and the
digests are equal."""
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from directory.federation import feed, trust
from directory.federation.remote import SyncError, normalise_source
from directory.models import State, TrustedKeySet


class Command(BaseCommand):
    help = "Print a SHA-256 content hash of the directory (or one state's part) as the last word; sign or verify it."

    def add_arguments(self, parser):
        parser.add_argument("--state", default="", help="Only this state's authorities (code, e.g. BY).")
        parser.add_argument("--signed", action="store_true", help="Print the digest signed with this node's key (JWS).")
        parser.add_argument("--verify", metavar="JWS", default="",
                            help="Check another node's signed digest (the JWS, or a file holding it) against this node's.")
        parser.add_argument("--source", default="", help="--verify: the node that signed it (its keys as trusted here).")
        parser.add_argument("--trust-anchor", metavar="FILE", default="", help="--verify: the signer's keys (JWKS).")

    def handle(self, *args, state, signed, verify, source, trust_anchor, **options):
        code = state.strip().upper()
        if code and State.objects.by_code(code) is None:
            raise CommandError(f"directory_digest: unknown state code {state!r}")
        if verify:
            return self._verify(verify, source, trust_anchor)
        label = f"directory_digest{' ' + code if code else ''}"
        if signed:
            value, lines, token = feed.sign_digest(code or None)
            self.stdout.write(f"{label}: {lines} entries, sha256 {value}, signed:\n{token}")
            return
        value, lines = feed.digest(code or None)
        self.stdout.write(f"{label}: {lines} entries, sha256 {value}")

    def _verify(self, given: str, source: str, trust_anchor: str):
        if given.strip().count(".") == 2 and "/" not in given:
            token = given.strip()
        else:
            try:
                token = Path(given).read_text().split()[-1]
            except (OSError, IndexError):
                raise CommandError(f"directory_digest: --verify takes a signed digest (JWS) or a file holding one; "
                                   f"{given!r} is neither") from None
        keys = self._keys(source, trust_anchor)
        try:
            header, claims = feed.verify_digest(token, keys)
        except feed.StatementRefused as error:
            raise CommandError(f"directory_digest: the signed digest does not hold: {error}") from None
        code = claims.get("state") or None
        value, lines = feed.digest(code)
        part = f" of {code}" if code else ""
        said = f"{claims.get('iss')} (key {header['kid']}) signed{part}: {claims.get('entries')} entries, sha256 {claims.get('sha256')}"
        if (claims.get("sha256"), claims.get("entries")) != (value, lines):
            raise CommandError(f"directory_digest: {said}; this node holds {lines} entries, sha256 {value}: they differ")
        self.stdout.write(f"directory_digest: {said}; this node holds the same, sha256 {value}")

    @staticmethod
    def _keys(source: str, trust_anchor: str) -> list[dict]:
        if trust_anchor:
            try:
                anchor = trust.read_anchor(trust_anchor)
            except SyncError as error:
                raise CommandError(f"directory_digest: {error}") from None
            if not anchor.keys:
                raise CommandError("directory_digest: --trust-anchor must be a key set (JWKS) to verify with")
            return anchor.keys
        if not source:
            raise CommandError("directory_digest: --verify needs --source (keys trusted by sync_directory) or "
                               "--trust-anchor FILE")
        try:
            trusted = TrustedKeySet.objects.filter(source=normalise_source(source)).first()
        except SyncError as error:
            raise CommandError(f"directory_digest: {error}") from None
        if trusted is None:
            raise CommandError(f"directory_digest: no keys of {source} are trusted here; mirror it first "
                               "(sync_directory), or give --trust-anchor FILE")
        return trusted.keys
