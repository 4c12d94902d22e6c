"""Loads the demo catalogue (data/demo/online_services.json) through the store's services.

Creates what is missing, updates what differs and leaves equal entries alone, so a second run
writes no row and no audit entry. Every entry is marked `is_demo`. The OZG catalogue must be
loaded first: entries name their topic and life situations by OZG code, and link every LeiKa
service with a key of the OZG-Leistungen they list (`ozg_ids`).
"""
import json
from collections import defaultdict
from pathlib import Path

from django.db import transaction

from directory.models import State

from . import services
from .models import BasisComponent, LeikaService, LifeSituation, OnlineService, OzgService, Topic


def _lookup(entry: dict, field: str, table: dict, codes: list[str]) -> list:
    missing = [code for code in codes if code not in table]
    if missing:
        raise ValueError(f"demo entry {entry['slug']}: unknown {field} {', '.join(missing)}")
    return [table[code] for code in codes]


@transaction.atomic
def load_demo_catalogue(data_dir: Path, *, actor) -> dict[str, int]:
    entries = json.loads((data_dir / "demo" / "online_services.json").read_text(encoding="utf-8"))["online_services"]
    states = {state.code: state for state in State.objects.all()}
    topics = {topic.code: topic for topic in Topic.objects.all()}
    situations = dict(LifeSituation.objects.values_list("code", "pk"))
    ozg_pks = dict(OzgService.objects.values_list("ozg_id", "pk"))
    # Only services with a LeiKa key: those are what a FIT-Connect submission names.
    leika_by_ozg = defaultdict(list)
    for pk, ozg_pk in LeikaService.objects.filter(leika_key__isnull=False, ozg_service__isnull=False).values_list(
        "pk", "ozg_service_id"
    ):
        leika_by_ozg[ozg_pk].append(pk)
    components = {component.code: component for component in BasisComponent.objects.all()}
    existing = {online_service.slug: online_service for online_service in OnlineService.objects.all()}

    counts = {"online_services": len(entries), "created": 0, "updated": 0}
    for entry in entries:
        ozg_services = _lookup(entry, "OZG ids", ozg_pks, entry["ozg_ids"])
        fields = {
            "name": entry["name"],
            "summary": entry["summary"],
            "description": entry["description"],
            "provider_state": _lookup(entry, "state", states, [entry["provider_state"]])[0],
            "responsible_ministry": entry["responsible_ministry"],
            "it_provider": entry["it_provider"],
            "lifecycle": entry["lifecycle"],
            "maturity_level": entry["maturity_level"],
            "topic": _lookup(entry, "topic", topics, [entry["topic"]])[0],
            "is_demo": True,
            "life_situations": _lookup(entry, "life situations", situations, entry["life_situations"]),
            "services": sorted(pk for ozg_pk in ozg_services for pk in leika_by_ozg[ozg_pk]),
            **entry.get("readiness", {}),
            "basis_components": _lookup(entry, "basis components", components, entry.get("basis_components", [])),
        }
        if not fields["services"]:
            raise ValueError(f"demo entry {entry['slug']}: its OZG services have no LeiKa service with a key")
        if entry["slug"] not in existing:
            online_service = services.register_online_service(slug=entry["slug"], actor=actor, **fields)
            counts["created"] += 1
        else:
            online_service = existing[entry["slug"]]
            if services.update_online_service(online_service, actor=actor, **fields):
                counts["updated"] += 1
        # Both write nothing (and no audit row) when what is recorded already says the same.
        for interface in entry.get("interfaces", []):
            services.set_interface(online_service, actor=actor, **interface)
        for criterion, assessment in entry.get("efa_criteria", {}).items():
            services.assess_criterion(online_service, criterion, actor=actor, **assessment)
    return counts
