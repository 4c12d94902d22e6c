"""`manage.py sync_directory --source URL --token TOKEN [--state CODE] [--follow]` — make this
node a read-only mirror of another node's directory (all of it, or one state's part).

Reads the source's `directoryChanges` over its GraphQL API with a gateway token, verifies each
page against the keys trusted for the source and applies it in one transaction together with the
cursor (directory.models.MirrorState), so that a run that is interrupted resumes where the last
committed page ended. A page that does not verify is refused: nothing of it is applied, the
command says why and exits with status 1. `--follow` keeps polling, backing off while nothing
changes. Whom the mirror trusts: `--trust-anchor FILE` (the source's JWKS, or its keys' SHA-256
fingerprints, handed over out of band), or on first contact the keys the source publishes, shown
and confirmed (interactively, or with `--accept-keys` on one run). See docs/federation.md.
"""
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from directory.federation import mirror as federation
from fitstore.middleware import command_request_id


class Command(BaseCommand):
    help = "Mirror another node's directory (read-only here): apply its directoryChanges from the stored cursor."

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True,
                            help="Base URL of the source node, e.g. https://fitstore.example.org (its GraphQL "
                                 "endpoint's URL is accepted too).")
        parser.add_argument("--trust-anchor", metavar="FILE", default=None,
                            help="The source's keys, handed over out of band: its JWKS, or SHA-256 fingerprints "
                                 "(key ids or certificate hashes), one a line.")
        parser.add_argument("--accept-keys", action="store_true",
                            help="Trust the keys the source publishes, after showing them (first contact, or keys "
                                 "changed without a signature by a trusted key). Not with --follow.")
        parser.add_argument("--token", required=True, help="An API token of a gateway account on the source.")
        parser.add_argument("--state", default="", help="Mirror only this state's part (code, e.g. BY).")
        parser.add_argument("--follow", action="store_true", help="Keep polling for changes (with back-off).")
        parser.add_argument("--page-size", type=int, default=100, help="Changes per request (1 to 100).")
        parser.add_argument("--max-wait", type=float, default=8.0,
                            help="Longest pause between polls with --follow (s); 8 keeps a change within 10 s.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, source, token, state, follow, page_size, max_wait, trust_anchor=None, accept_keys=False,
               verbosity=1, no_progress=False, **options):
        if not 1 <= page_size <= 100:
            raise CommandError("sync_directory: --page-size must lie between 1 and 100")
        if accept_keys and follow:
            raise CommandError("sync_directory: --accept-keys confirms keys on one run; run once without --follow")
        show = verbosity > 0 and not no_progress and sys.stderr.isatty()
        started = time.monotonic()
        with tqdm(unit="changes", desc="sync_directory", disable=not show, file=sys.stderr) as bar, \
                command_request_id("sync_directory"):
            def on_page(pages, changes, cursor):
                bar.update(changes)
                if verbosity > 1 or not show and verbosity > 0:
                    self.stdout.write(f"sync_directory: page {pages} applied ({changes} changes), cursor {cursor}")
                    self.stdout.flush()

            def notice(line):
                self.stdout.write(f"sync_directory: {line}" if not line.startswith(" ") else line)
                self.stdout.flush()

            def confirm():
                if accept_keys:
                    notice("--accept-keys: trusting these keys")
                    return True
                if not sys.stdin.isatty():
                    return False
                return input("Trust these keys (compared with the source's operator)? [y/N] ").strip().lower() in ("y", "j")

            trust = {"anchor_path": trust_anchor, "confirm": confirm, "notice": notice}

            def on_wait(seconds, reason):
                if verbosity > 0:
                    self.stdout.write(f"sync_directory: {reason}; next poll in {seconds:.0f} s")
                    self.stdout.flush()

            try:
                if follow:
                    federation.follow(source, token, state_code=state, page_size=page_size, max_wait=max_wait,
                                      on_page=on_page, on_wait=on_wait, actor=federation.MIRROR_ACTOR, **trust)
                mirror, pages, changes = federation.sync(source, token, state_code=state, page_size=page_size,
                                                         on_page=on_page, actor=federation.MIRROR_ACTOR, **trust)
            except federation.SyncError as error:
                raise CommandError(f"sync_directory: {error}") from None
            except KeyboardInterrupt:
                raise CommandError("sync_directory: interrupted; the next run resumes after the last applied page")
        if verbosity > 0:
            self.stdout.write(
                f"sync_directory: {changes} changes in {pages} pages from {mirror.source}"
                f"{' (' + mirror.state_code + ')' if mirror.state_code else ''}, cursor {mirror.cursor or '-'}, "
                f"{time.monotonic() - started:.1f} s"
            )
