"""`manage.py directory_digest [--state CODE]` — a SHA-256 content hash of the directory
(authorities, endpoints, responsibilities in canonical order, without ids, timestamps and
origin), printed as the last word: a source and its mirror print the same after a sync."""
from django.core.management.base import BaseCommand, CommandError

from directory.federation.feed import digest
from directory.models import State


class Command(BaseCommand):
    help = "Print a SHA-256 content hash of the directory (or one state's part) as the last word."

    def add_arguments(self, parser):
        parser.add_argument("--state", default="", help="Only this state's authorities (code, e.g. BY).")

    def handle(self, *args, state, **options):
        code = state.strip().upper()
        if code and State.objects.by_code(code) is None:
            raise CommandError(f"directory_digest: unknown state code {state!r}")
        value, lines = digest(code or None)
        self.stdout.write(f"directory_digest{' ' + code if code else ''}: {lines} entries, sha256 {value}")
