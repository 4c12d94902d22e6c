"""`manage.py signing_keys [list | add | activate | retire]` — the directory's key set and its
rotation without downtime (docs/federation.md, "Keys and their rotation"):

    signing_keys                       # the keys, their states, fingerprints and certificates
    signing_keys add [--private-key PEM --certificate PEM] [--valid-days 730]
                                       # a next key, published at once, not yet signing
    signing_keys activate [--kid KID] [--overlap SECONDS]
                                       # after the overlap: the next key signs, the old one stays published
    signing_keys retire [--kid KID] [--overlap SECONDS]
                                       # after the overlap: the old key leaves the key set

Each step is a service (fitstore.services) with its audit row; every process of the node follows
at once, because the states live in the database.
"""
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fitstore import services, signing
from fitstore.choices import SigningKeyState
from fitstore.middleware import command_request_id
from fitstore.models import SigningKey

ACTOR = "system:signing_keys"


class Command(BaseCommand):
    help = "Show and rotate the directory's signing keys (add a next key, activate it, retire the old one)."

    def add_arguments(self, parser):
        parser.add_argument("action", nargs="?", default="list", choices=["list", "add", "activate", "retire"])
        parser.add_argument("--kid", default="", help="The key to activate or retire (default: the only candidate).")
        parser.add_argument("--private-key", metavar="PEM", help="add: take this RSA key (PEM file) instead of a new one.")
        parser.add_argument("--certificate", metavar="PEM",
                            help="add: a certificate for the key (PEM file, then its issuers), e.g. from the state's CA.")
        parser.add_argument("--valid-days", type=int, default=730, help="add: validity of the self-signed certificate.")
        parser.add_argument("--overlap", type=int, default=None, metavar="SECONDS",
                            help="activate/retire: the overlap to respect (default DIRECTORY_KEY_OVERLAP_SECONDS).")

    def handle(self, *args, action, kid, private_key, certificate, valid_days, overlap, **options):
        with command_request_id("signing_keys"):
            try:
                if action == "add":
                    key = services.add_signing_key(private_key_pem=_read(private_key), certificate_pem=_read(certificate),
                                                   valid_days=valid_days, actor=ACTOR)
                    self.stdout.write(f"signing_keys: added the next key {key.kid}; it is published now and signs "
                                      "after `signing_keys activate`")
                elif action == "activate":
                    key = services.activate_signing_key(_chosen(kid, SigningKeyState.NEXT), overlap_seconds=overlap,
                                                        actor=ACTOR)
                    self.stdout.write(f"signing_keys: {key.kid} signs now; the previous key stays published until "
                                      "`signing_keys retire`")
                elif action == "retire":
                    key = services.retire_signing_key(_chosen(kid, SigningKeyState.PREVIOUS, SigningKeyState.NEXT),
                                                      overlap_seconds=overlap, actor=ACTOR)
                    self.stdout.write(f"signing_keys: retired {key.kid}; it is no longer published")
            except ValidationError as error:
                raise CommandError(f"signing_keys {action}: " + " ".join(error.messages)) from None
        self._list()

    def _list(self):
        stored = {key.kid: key for key in SigningKey.objects.all()}
        published = signing.published_keys()
        if not stored:
            self.stdout.write("key store empty: the key of DIRECTORY_SIGNING_KEY (or the development key) signs")
        rows = [(key.kid, key.state, key.jwk, key.has_private_key()) for key in published]
        rows += [(kid, key.state, key.public_jwk, False) for kid, key in stored.items()
                 if key.state == SigningKeyState.RETIRED]
        for kid, state, jwk, private in rows:
            certificate = signing.certificate_of(jwk)
            key = stored.get(kid)
            moments = ", ".join(f"{label} {value:%Y-%m-%d %H:%M}" for label, value in (
                ("added", key and key.created_at), ("signing since", key and key.activated_at),
                ("until", key and key.deactivated_at), ("retired", key and key.retired_at)) if value)
            self.stdout.write(
                f"{state:<8} kid {kid}\n"
                f"         certificate sha256 {signing.certificate_sha256(jwk)}\n"
                f"         subject {certificate.subject.rfc4514_string()}, issuer {certificate.issuer.rfc4514_string()}, "
                f"valid until {certificate.not_valid_after_utc:%Y-%m-%d}\n"
                f"         private key here: {'yes' if private else 'no'}{'; ' + moments if moments else ''}"
            )


def _read(path: str | None) -> str:
    if not path:
        return ""
    try:
        return Path(path).read_text()
    except OSError as error:
        raise CommandError(f"signing_keys: {path} cannot be read: {error.strerror}") from None


def _chosen(kid: str, *states: str) -> SigningKey:
    candidates = SigningKey.objects.filter(state__in=states)
    if kid:
        candidates = candidates.filter(kid=kid)
    found = list(candidates[:2])
    if len(found) != 1:
        wanted = " or ".join(state.lower() for state in states)
        raise CommandError(f"signing_keys: no {wanted} key {kid}" if kid or not found else
                           f"signing_keys: several {wanted} keys; choose one with --kid")
    return found[0]
