"""`manage.py load_demo` — the real reference data and the demo catalogue, idempotently.

Loads the 16 states with their Königsteiner Schlüssel, the 16,023 regions of the
Gemeindeverzeichnis, the OZG catalogue (topics, life situations, OZG services, LeiKa services)
and a small demo catalogue of EfA online services. Shows a progress bar on a terminal and ends
with a one-line summary.
"""
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from tqdm import tqdm

from directory import reference as directory_reference
from fitstore.middleware import command_request_id
from store import demo as store_demo
from store import reference as store_reference

# Rows each step writes, for the progress bar (the real counts are reported at the end).
EXPECTED_ROWS = 16 + 48 + 16_023 + 14 + 58 + 557 + 5_249 + 6


class Command(BaseCommand):
    help = "Load the real reference data (states, regions, OZG catalogue) and the demo catalogue."

    def add_arguments(self, parser):
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args, verbosity=1, no_progress=False, **options):
        data_dir = settings.DATA_DIR
        started = time.monotonic()
        show = verbosity > 0 and not no_progress and sys.stderr.isatty()
        with tqdm(total=EXPECTED_ROWS, unit="rows", desc="load_demo", disable=not show, file=sys.stderr) as bar, \
                command_request_id("load_demo"):
            bar.set_postfix_str("states")
            states = directory_reference.load_states(data_dir)
            shares = directory_reference.load_koenigstein_shares(data_dir)
            bar.update(states + shares)
            bar.set_postfix_str("regions")
            regions = directory_reference.load_regions(data_dir, progress=bar.update)
            bar.set_postfix_str("OZG catalogue")
            catalogue = store_reference.load_ozg_catalogue(data_dir, progress=bar.update)
            bar.set_postfix_str("demo catalogue")
            demo = store_demo.load_demo_catalogue(data_dir, actor="system:load_demo")
            bar.update(demo["online_services"])
        if verbosity > 0:
            self.stdout.write(
                f"load_demo: {states} states, {regions:,} regions, {catalogue['topics']} topics, "
                f"{catalogue['life_situations']} life situations, {catalogue['ozg_services']} OZG services, "
                f"{catalogue['leika_services']:,} LeiKa services, {demo['online_services']} demo online services "
                f"({demo['created']} created, {demo['updated']} updated) in {time.monotonic() - started:.1f} s"
            )
