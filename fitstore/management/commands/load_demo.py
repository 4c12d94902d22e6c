"""`manage.py load_demo` — the real reference data and the demo catalogue, idempotently.

Loads the 16 states with their Königsteiner Schlüssel, the 16,023 regions of the
Gemeindeverzeichnis, the OZG catalogue (topics, life situations, OZG services, LeiKa services)
the FIT-Store's framework agreement (a demo text) and a small demo catalogue of EfA online
services; with --reuse (as `make run` does) also a demo of reuse and a demo directory
(invented authorities in the real regions of three states). Shows a progress bar on a terminal and ends
with a one-line summary.
"""
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from directory import demo as directory_demo
from directory import reference as directory_reference
from fitstore.middleware import command_request_id
from licensing import demo as licensing_demo
from licensing import reference as licensing_reference
from store import demo as store_demo
from store import reference as store_reference

# The files whose rows the progress bar counts. The Königsteiner Schlüssel and the demo catalogue
# are a few dozen rows and stay off the bar, so that it ends at exactly 100 %.
PROGRESS_FILES = (
    "regions/laender.csv", "regions/regions.csv", "regions/postcodes.csv", "ozg/ozg_themenfelder.csv", "ozg/ozg_lebenslagen.csv",
    "ozg/ozg_leistungen.csv", "ozg/ozg_leika_leistungen.csv",
)


def expected_rows(data_dir: Path) -> int:
    """Data rows (lines less the header) of the files above: the rows the loaders report to the bar."""
    total = 0
    for name in PROGRESS_FILES:
        with open(data_dir / name, "rb") as handle:
            total += sum(1 for _ in handle) - 1
    return total


# The audit log's actor for what this command writes (the demo online services).
ACTOR = "system:load_demo"


class Command(BaseCommand):
    help = "Load the real reference data (states, regions, OZG catalogue) and the demo catalogue."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")
        parser.add_argument(
            "--reuse", action="store_true",
            help="Also a demo of reuse (data/demo/reuse.json: terms, accessions, subscriptions) and a demo directory "
                 "(data/demo/directory.jsonl: invented authorities and addresses in real regions). `make run` adds it.",
        )

    def handle(self, *args, verbosity=1, no_progress=False, reuse=False, **options):
        data_dir = settings.DATA_DIR
        started = time.monotonic()
        show = verbosity > 0 and not no_progress and sys.stderr.isatty()
        total = expected_rows(data_dir) if show else None
        with tqdm(total=total, unit="rows", desc="load_demo", disable=not show, file=sys.stderr) as bar, \
                command_request_id("load_demo"):
            bar.set_postfix_str("states")
            states = directory_reference.load_states(data_dir)
            directory_reference.load_koenigstein_shares(data_dir)
            bar.update(states)
            bar.set_postfix_str("regions")
            regions = directory_reference.load_regions(data_dir, progress=bar.update)
            bar.set_postfix_str("postcodes")
            postcodes = directory_reference.load_postcodes(data_dir, progress=bar.update)
            bar.set_postfix_str("OZG catalogue")
            catalogue = store_reference.load_ozg_catalogue(data_dir, progress=bar.update)
            store_reference.load_interface_catalogue(data_dir)
            bar.set_postfix_str("demo catalogue")
            agreements = licensing_reference.load_framework_agreements(data_dir)
            demo = store_demo.load_demo_catalogue(data_dir, actor=ACTOR)
            reuse_written = licensing_demo.load_demo_reuse(data_dir, actor=ACTOR) if reuse else None
            if reuse:
                bar.set_postfix_str("demo directory")
                directory_written = directory_demo.load_demo_directory(data_dir, actor=ACTOR)
        if verbosity > 0:
            self.stdout.write(
                f"load_demo: {states} states, {regions:,} regions, {postcodes:,} postcodes, {catalogue['topics']} topics, "
                f"{catalogue['life_situations']} life situations, {catalogue['ozg_services']} OZG services, "
                f"{catalogue['leika_services']:,} LeiKa services, {agreements['agreements']} framework agreement, "
                f"{demo['online_services']} demo online services "
                f"({demo['created']} created, {demo['updated']} updated)"
                + (f", reuse demo: {reuse_written['terms']} terms, {reuse_written['accessions']} accessions, "
                   f"{reuse_written['subscriptions']} subscriptions, demo directory: {directory_written.summary()}"
                   if reuse else "")
                + f" in {time.monotonic() - started:.1f} s"
            )
