"""A demo of reuse for `make run`: terms, accessions and subscriptions (data/demo/reuse.json).

Everything goes through the licensing services, so the demo is audited and obeys the same
rules as the UI and the API. Idempotent: what exists is left as it is. The test suite does not
load it (its tests start from a store without reuse).
"""
import json
from pathlib import Path

from django.db import transaction

from directory.models import State
from store.models import OnlineService

from . import services
from .choices import SubscriptionStatus
from .models import Accession, ReuseTerms, Subscription

# The steps that lead from REQUESTED to each demo status.
STEPS = {
    SubscriptionStatus.REQUESTED: [],
    SubscriptionStatus.ACTIVE: ["confirm"],
    SubscriptionStatus.CONNECTED: ["confirm", "connect"],
}


@transaction.atomic
def load_demo_reuse(data_dir: Path, *, actor) -> dict:
    """Writes what data/demo/reuse.json describes and is missing; returns what it wrote."""
    data = json.loads((Path(data_dir) / "demo" / "reuse.json").read_text(encoding="utf-8"))
    states = {state.code: state for state in State.objects.all()}
    online_services = {online_service.slug: online_service for online_service in OnlineService.objects.all()}
    written = {"terms": 0, "accessions": 0, "subscriptions": 0}

    for entry in data["terms"]:
        online_service = online_services[entry["online_service"]]
        if not ReuseTerms.objects.filter(online_service=online_service).exists():
            fields = {key: value for key, value in entry.items() if key != "online_service"}
            services.set_reuse_terms(online_service, actor=actor, **fields)
            written["terms"] += 1

    joined = set(Accession.objects.filter(withdrawn_at__isnull=True).values_list("state__code", flat=True))
    for code in data["accessions"]:
        if code not in joined:
            services.join_store(states[code], signatory=data["signatory"], actor=actor)
            written["accessions"] += 1

    for entry in data["subscriptions"]:
        state, online_service = states[entry["state"]], online_services[entry["online_service"]]
        if Subscription.objects.filter(state=state, online_service=online_service).exists():
            continue
        subscription = services.subscribe(state, online_service, legal_basis=entry["legal_basis"], actor=actor,
                                          note="Demo")
        for step in STEPS[SubscriptionStatus(entry["status"])]:
            if step == "confirm":
                subscription = services.confirm_subscription(subscription, accept=True, note="Demo", actor=actor)
            else:
                subscription = services.connect_subscription(subscription, note="Demo", actor=actor)
        written["subscriptions"] += 1
    return written
