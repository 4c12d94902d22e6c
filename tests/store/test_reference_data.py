"""The OZG catalogue and the demo online services as `load_demo` leaves them.

The session fixture has loaded data/ozg/ and data/demo/ into the test database (see
data/SOURCES.md: the OZG-Umsetzungskatalog of the KDN "OZG-Datenbank NRW", 2019).
"""
import csv
import json

import pytest
from django.conf import settings
from django.db.models import F
from django.db.models.functions import Length

from fitstore.models import AuditEntry
from store.models import LeikaService, LifeSituation, OnlineService, OzgService, Topic

pytestmark = pytest.mark.django_db


def leika_rows():
    with open(settings.DATA_DIR / "ozg" / "ozg_leika_leistungen.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def demo_entries():
    return json.loads((settings.DATA_DIR / "demo" / "online_services.json").read_text(encoding="utf-8"))[
        "online_services"
    ]


def test_catalogue_counts():
    assert (Topic.objects.count(), LifeSituation.objects.count(), OzgService.objects.count()) == (14, 58, 557)
    assert LeikaService.objects.count() == 5_249
    assert LeikaService.objects.filter(leika_key__isnull=False).count() == 4_813
    assert LeikaService.objects.filter(ozg_service__isnull=True).count() == 26


def test_keys_are_14_digit_leika_keys_and_serve_as_reference():
    keyed = LeikaService.objects.filter(leika_key__isnull=False)

    assert not keyed.exclude(ref=F("leika_key")).exists()
    assert set(keyed.annotate(n=Length("leika_key")).values_list("n", flat=True).distinct()) == {14}
    assert not keyed.exclude(leika_key__startswith="99").exists()


def test_rows_without_key_are_numbered_per_ozg_service_in_file_order():
    expected, seen = set(), {}
    for row in leika_rows():
        if not row["leika_schluessel"]:
            seen[row["ozg_id"]] = seen.get(row["ozg_id"], 0) + 1
            expected.add((f"OZG{row['ozg_id']}-{seen[row['ozg_id']]}", row["leistung"].strip(), row["ozg_id"] or None))

    keyless = LeikaService.objects.filter(leika_key__isnull=True)

    assert len(expected) == 436
    assert set(keyless.values_list("ref", "name", "ozg_service__ozg_id")) == expected


def test_sdg_relevance_comes_from_either_sdg_column():
    assert LeikaService.objects.filter(sdg_relevant=True).count() == 2_795
    assert LeikaService.objects.get(leika_key="99001001000000").sdg_relevant  # Abfallgebühr: SDG1
    assert not LeikaService.objects.get(leika_key="99001001002000").sdg_relevant


def test_an_ozg_service_with_its_topic_life_situation_and_leika_services():
    elterngeld = OzgService.objects.get(ozg_id="10000")

    assert (elterngeld.name, elterngeld.topic.name, elterngeld.life_situation.name) == (
        "Elterngeld", "Familie & Kind", "Geburt",
    )
    assert set(elterngeld.leika_services.values_list("leika_key", flat=True)) == {
        "99041006000000", "99041006013000", "99041006017000", "99041006151000",
    }
    assert elterngeld.leika_services.get(leika_key="99041006000000").law_abbreviation == "BEEG"


def test_demo_online_services_are_marked_and_linked_to_the_real_leika_services():
    entries = demo_entries()
    assert 5 <= len(entries) <= 8

    for entry in entries:
        online_service = OnlineService.objects.get(slug=entry["slug"])
        assert online_service.is_demo and "Demo" in online_service.description
        assert online_service.provider_state.code == entry["provider_state"]
        assert online_service.topic.code == entry["topic"]
        assert sorted(online_service.life_situations.values_list("code", flat=True)) == sorted(entry["life_situations"])
        expected = LeikaService.objects.filter(ozg_service__ozg_id__in=entry["ozg_ids"], leika_key__isnull=False)
        assert expected.exists()
        assert set(online_service.services.all()) == set(expected)
    assert OnlineService.objects.count() == len(entries)
    assert not OnlineService.objects.filter(is_demo=False).exists()


def test_wohngeld_demo_service():
    wohngeld = OnlineService.objects.get(slug="wohngeld")

    assert (wohngeld.provider_state.code, wohngeld.responsible_ministry, wohngeld.lifecycle) == ("MV", "BMI", "AVAILABLE")
    assert wohngeld.it_provider.endswith("(Demo)")
    assert set(wohngeld.services.values_list("ozg_service__name", flat=True)) == {"Wohngeld"}
    assert wohngeld.services.filter(leika_key="99107023017001").exists()  # Wohngeld Bewilligung erstmalig
    assert wohngeld.services.count() == 9


def test_demo_services_were_registered_through_the_service_by_load_demo():
    entries = AuditEntry.objects.filter(verb="register_online_service", actor_label="system:load_demo")

    assert set(entries.values_list("object_repr", flat=True)) == set(OnlineService.objects.values_list("name", flat=True))
