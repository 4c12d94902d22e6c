"""`manage.py search_index` — keep the search indexes true.

    search_index --rebuild [--index online_services] [--backend embedded|engine]
        build the index anew from the database (engine: a new physical index, then the alias
        is swapped, so searches never see a half-built index);
    search_index --catch-up
        index in the engine what was written while it was unreachable (rows marked dirty).

Without a backend, --rebuild builds the embedded index and, when SEARCH_URL is set, the engine's.
Shows a progress bar on a terminal and ends with a one-line summary.
"""
import sys
import time

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from fitstore import search
from fitstore.search.base import EngineUnavailable


class Command(BaseCommand):
    help = "Rebuild the search indexes or catch up on writes the engine missed."

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="Build the index anew and swap it in.")
        parser.add_argument("--catch-up", action="store_true", help="Index the rows marked dirty in the engine.")
        parser.add_argument("--index", action="append", help="Only this index (repeatable); default all.")
        parser.add_argument("--backend", choices=("embedded", "engine"), help="Only this backend.")

    def handle(self, *args, rebuild, catch_up, index, backend, verbosity, **options):
        if not rebuild and not catch_up:
            raise CommandError("Say --rebuild or --catch-up.")
        started = time.monotonic()
        indexes = [search.get_index(name) for name in index] if index else search.all_indexes()
        summary = []
        if rebuild:
            backends = [backend] if backend else ["embedded"] + (["engine"] if search.engine_configured() else [])
            for backend_name in backends:
                for search_index in indexes:
                    total = search_index.get_queryset().count()
                    with tqdm(total=total, desc=f"{search_index.name} ({backend_name})", unit="doc",
                              disable=verbosity < 1 or not sys.stderr.isatty(), file=sys.stderr) as bar:
                        try:
                            count = search.rebuild(search_index, backend=backend_name, progress=bar.update)
                        except EngineUnavailable as error:
                            raise CommandError(f"The search engine is unreachable: {error}") from None
                    summary.append(f"{search_index.name} ({backend_name}): {count}")
        if catch_up:
            try:
                done = search.catch_up([i.name for i in indexes])
            except EngineUnavailable as error:
                raise CommandError(f"The search engine is still unreachable: {error}") from None
            summary.append(f"caught up {done}")
        if verbosity:
            self.stdout.write(f"Search index: {', '.join(summary)} in {time.monotonic() - started:.1f} s.")
