"""`manage.py load_demo`: the real reference data, complete, consistent and idempotent.

The session fixture has already run it once into the test database.
"""
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from directory.models import KoenigsteinShare, Region, State
from fitstore.models import AuditEntry
from store.models import LeikaService, LifeSituation, OnlineService, OzgService, Topic

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (State, KoenigsteinShare, Region, Topic, LifeSituation, OzgService, LeikaService, OnlineService)
    }


def test_everything_is_loaded():
    assert counts() == {
        "State": 16, "KoenigsteinShare": 48, "Region": 16023, "Topic": 14, "LifeSituation": 58,
        "OzgService": 557, "LeikaService": 5249, "OnlineService": 6,
    }
    assert LeikaService.objects.filter(leika_key__isnull=False).count() == 4813


@pytest.mark.parametrize(
    "level, count",
    [("STATE", 16), ("GOVERNMENT_DISTRICT", 29), ("DISTRICT", 400), ("MUNICIPAL_ASSOCIATION", 4597), ("MUNICIPALITY", 10981)],
)
def test_regions_per_level(level, count):
    assert Region.objects.filter(level=level).count() == count


def test_every_region_but_the_states_has_a_parent_one_level_up_or_more():
    assert not Region.objects.filter(parent__isnull=True).exclude(level="STATE").exists()
    assert not Region.objects.filter(level="STATE", parent__isnull=False).exists()
    for region in Region.objects.exclude(level="STATE").select_related("parent").iterator():
        assert region.ars.startswith(region.parent.ars) and len(region.parent.ars) < len(region.ars)


def test_population_sums_up_the_hierarchy():
    municipalities = Region.objects.filter(level="MUNICIPALITY")
    assert municipalities.aggregate(total=Sum("population"))["total"] == 84_358_845
    assert Region.objects.filter(level="STATE").aggregate(total=Sum("population"))["total"] == 84_358_845
    assert Region.objects.get(ars="09").population == State.objects.get(code="BY").population == 13_369_393
    district = Region.objects.get(ars="09188")
    assert district.population == municipalities.filter(ars__startswith="09188").aggregate(t=Sum("population"))["t"]


def test_koenigstein_shares_sum_to_one_each_year():
    for year in (2014, 2015, 2016):
        assert KoenigsteinShare.objects.filter(year=year).aggregate(total=Sum("share"))["total"] == Decimal(1)
    assert State.objects.get(code="BB").koenigstein_share(2014) == Decimal("0.0308092")


def test_leika_services_keep_their_catalogue_links():
    wohngeld = LeikaService.objects.filter(ozg_service__name="Wohngeld")
    assert wohngeld.exists() and all(s.leika_key.startswith("99") and len(s.leika_key) == 14 for s in wohngeld)
    assert LeikaService.objects.filter(ozg_service__isnull=True).count() == 26
    assert LeikaService.objects.filter(ref__startswith="OZG").count() == 436


def test_demo_online_services_are_marked_and_linked_to_real_services():
    for online_service in OnlineService.objects.all():
        assert online_service.is_demo and "Demo" in online_service.description
        assert online_service.services.exists() and online_service.topic_id is not None
    wohngeld = OnlineService.objects.get(slug="wohngeld")
    assert wohngeld.provider_state.code == "MV"
    assert set(wohngeld.services.values_list("ozg_service__name", flat=True)) == {"Wohngeld"}


def test_a_second_run_changes_nothing_and_writes_no_audit_rows():
    before, audit_rows = counts(), AuditEntry.objects.count()
    out = StringIO()

    call_command("load_demo", stdout=out)

    assert counts() == before
    assert AuditEntry.objects.count() == audit_rows
    summary = out.getvalue().strip().splitlines()
    assert len(summary) == 1
    assert summary[0].startswith(
        "load_demo: 16 states, 16,023 regions, 14 topics, 58 life situations, 557 OZG services, "
        "5,249 LeiKa services, 6 demo online services (0 created, 0 updated) in "
    )


def test_a_changed_demo_entry_is_put_back_with_one_audit_row():
    OnlineService.objects.filter(slug="bafoeg").update(name="Verändert")
    audit_rows = AuditEntry.objects.count()

    call_command("load_demo", verbosity=0)

    assert OnlineService.objects.get(slug="bafoeg").name == "BAföG Digital"
    entry = AuditEntry.objects.latest("id")
    assert AuditEntry.objects.count() == audit_rows + 1
    assert entry.verb == "update_online_service" and entry.actor_label == "system:load_demo"
    assert entry.before["name"] == "Verändert" and entry.after["name"] == "BAföG Digital"
    assert entry.request_id.startswith("cmd-load_demo-")
