"""Loads the demo catalogue (data/demo/online_services.json) through the store's services.

Creates what is missing, updates what differs and leaves equal entries alone, so a second run
writes nothing. Every entry is marked `is_demo`.
"""
import json
from pathlib import Path

from directory.models import State

from . import services
from .models import LeikaService, OnlineService, OzgService


def load_demo_catalogue(data_dir: Path, *, actor) -> dict[str, int]:
    entries = json.loads((data_dir / "demo" / "online_services.json").read_text(encoding="utf-8"))["online_services"]
    counts = {"online_services": len(entries), "created": 0, "updated": 0}
    for entry in entries:
        ozg_services = list(OzgService.objects.filter(ozg_id__in=entry["ozg_ids"]).select_related("topic"))
        if len(ozg_services) != len(entry["ozg_ids"]):
            raise ValueError(f"demo entry {entry['slug']}: unknown OZG ids in {entry['ozg_ids']}")
        fields = {
            "name": entry["name"],
            "summary": entry["summary"],
            "description": entry["description"],
            "provider_state": State.objects.get(code=entry["provider_state"]),
            "responsible_ministry": entry["responsible_ministry"],
            "it_provider": entry["it_provider"],
            "lifecycle": entry["lifecycle"],
            "maturity_level": entry["maturity_level"],
            "topic": ozg_services[0].topic,
            "is_demo": True,
            "life_situations": sorted({ozg.life_situation_id for ozg in ozg_services}),
            "services": list(
                LeikaService.objects.filter(ozg_service__in=ozg_services, leika_key__isnull=False)
                .order_by("pk").values_list("pk", flat=True)
            ),
        }
        existing = OnlineService.objects.filter(slug=entry["slug"]).first()
        if existing is None:
            services.register_online_service(slug=entry["slug"], actor=actor, **fields)
            counts["created"] += 1
        elif services.update_online_service(existing, actor=actor, **fields):
            counts["updated"] += 1
    return counts
