"""`manage.py import_directory PATH` — load a directory in the contract's JSON Lines format,
all or nothing, naming the line numbers of any error; progress bar and one-line summary."""
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from directory.federation.exchange import ImportFailed, import_lines
from fitstore.middleware import command_request_id

ACTOR = "system:import_directory"


class Command(BaseCommand):
    help = "Import authorities, endpoints and responsibilities from a JSON Lines file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="The JSON Lines file; - for standard input.")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, path, verbosity=1, no_progress=False, **options):
        started = time.monotonic()
        try:
            if path == "-":
                lines = sys.stdin.read().splitlines()
            else:
                with open(path, encoding="utf-8") as handle:
                    lines = handle.read().splitlines()
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"import_directory: cannot read {path}: {error}") from None
        show = verbosity > 0 and not no_progress and sys.stderr.isatty()
        with tqdm(total=sum(1 for line in lines if line.strip()), unit="lines", desc="import_directory",
                  disable=not show, file=sys.stderr) as bar, command_request_id("import_directory"):
            try:
                result = import_lines(lines, actor=ACTOR, progress=bar.update)
            except ImportFailed as failed:
                numbers = sorted({int(message.split(":")[0].split()[1]) for message in failed.result.errors})
                raise CommandError(
                    "\n".join(failed.result.errors)
                    + f"\nimport_directory: nothing written; {len(failed.result.errors)} errors "
                    f"on lines {', '.join(map(str, numbers))}"
                ) from None
        if verbosity > 0:
            search = f" (search index updated after the commit: {result.search_seconds:.1f} s)" if result.search_seconds else ""
            self.stdout.write(f"import_directory: {result.summary()} in {time.monotonic() - started:.1f} s{search}")
