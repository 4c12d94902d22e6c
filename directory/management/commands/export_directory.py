"""`manage.py export_directory [--state CODE]` — the directory in the contract's JSON Lines
format on standard output (what `import_directory` reads)."""
from django.core.management.base import BaseCommand, CommandError

from directory.federation.exchange import export_lines
from directory.models import State


class Command(BaseCommand):
    help = "Write the directory (or one state's) as JSON Lines to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--state", help="Only the authorities of this state, e.g. BY.")

    def handle(self, *args, state=None, **options):
        if state and State.objects.by_code(state) is None:
            raise CommandError(f"export_directory: unknown state code {state!r}")
        for line in export_lines(state):
            self.stdout.write(line)
