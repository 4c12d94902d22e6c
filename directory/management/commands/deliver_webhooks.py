"""`manage.py deliver_webhooks [--once]` — the webhook worker: queue the directory's new changes
for each subscription and POST them, signed, in order, with retries (directory.federation.webhooks).
Without --once it keeps running, polling every --interval seconds; `make run` starts it."""
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from directory.federation import webhooks
from fitstore.middleware import command_request_id


class Command(BaseCommand):
    help = "Deliver the directory's changes to webhook subscribers (signed POSTs with retries)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="One pass, then exit.")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between passes (default 2).")

    def handle(self, *args, once, interval, verbosity=1, **options):
        with command_request_id("deliver_webhooks"):
            while True:
                try:
                    counts = webhooks.run_once()
                except webhooks.WorkerBusy:
                    counts = None
                    if once:
                        self.stdout.write("deliver_webhooks: another worker is running; nothing done")
                        return
                if counts and (once or any(counts.values())) and verbosity > 0:
                    self.stdout.write("deliver_webhooks: " + ", ".join(f"{value} {name}" for name, value in counts.items()))
                    self.stdout.flush()
                if once:
                    return
                close_old_connections()
                try:
                    time.sleep(interval)
                except KeyboardInterrupt:
                    return
