"""The reuse demo that `make run` loads (load_demo --reuse): written through the services, idempotent."""
from django.conf import settings
from django.core.management import call_command

from fitstore.models import AuditEntry
from licensing.choices import SubscriptionStatus
from licensing.models import Accession, ReuseTerms, Subscription
from licensing.reuse import connected_states_count
from store.models import OnlineService


def test_the_reuse_demo_goes_through_the_services_and_is_idempotent(db):
    before = AuditEntry.objects.count()
    call_command("load_demo", "--reuse", verbosity=0)

    wohngeld = OnlineService.objects.get(slug="wohngeld")
    assert ReuseTerms.objects.get(online_service=wohngeld).allocation_key == "IT_PLR_2023_35"
    statuses = dict(Subscription.objects.filter(online_service=wohngeld).values_list("state__code", "status"))
    assert statuses["NI"] == SubscriptionStatus.REQUESTED
    assert statuses["SL"] == SubscriptionStatus.ACTIVE
    assert sum(status == SubscriptionStatus.CONNECTED for status in statuses.values()) == 7
    # The provider and seven connected states: one short of criterion C6.
    assert connected_states_count(wohngeld) == 8
    assert Accession.objects.filter(withdrawn_at__isnull=True).count() == 12
    # Every step is audited: 3 terms, 12 accessions, 13 requests, 11 confirmations, 8 connections;
    # and each object of the demo directory (data/demo/directory.jsonl, one per line).
    lines = (settings.DATA_DIR / "demo" / "directory.jsonl").read_text(encoding="utf-8").splitlines()
    assert AuditEntry.objects.count() - before == 3 + 12 + 13 + 11 + 8 + len(lines)

    written = AuditEntry.objects.count()
    call_command("load_demo", "--reuse", verbosity=0)
    assert AuditEntry.objects.count() == written
