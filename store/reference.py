"""Loads the OZG catalogue from data/ozg/: topics, life situations, OZG services, LeiKa services.

Source: the OZG-Umsetzungskatalog as loaded into the KDN "OZG-Datenbank NRW" (2019); see
data/SOURCES.md. Idempotent upserts by the catalogue's own keys.
"""
from pathlib import Path

from django.db import transaction

from fitstore.data import read_csv

from .models import LeikaService, LifeSituation, OzgService, Topic


@transaction.atomic
def load_ozg_catalogue(data_dir: Path, progress=None) -> dict[str, int]:
    """Topics, life situations, OZG services and LeiKa services, parents first, in one transaction.

    LeiKa rows without a key get `ref` "OZG<ozg_id>-<n>" (n counts them per OZG-Leistung in file
    order; the ten that also lack an OZG-Leistung become "OZG-1" … "OZG-10"), so that a reload
    finds the same rows again. `sdg_relevant` is set when either SDG column is 1.
    """
    ozg = data_dir / "ozg"
    topics = read_csv(ozg / "ozg_themenfelder.csv")
    Topic.objects.bulk_create(
        [Topic(code=row["themenfeld_id"], name=row["themenfeld"].strip()) for row in topics],
        update_conflicts=True, unique_fields=["code"], update_fields=["name"],
    )
    topic_ids = dict(Topic.objects.values_list("code", "pk"))

    situations = read_csv(ozg / "ozg_lebenslagen.csv")
    LifeSituation.objects.bulk_create(
        [
            LifeSituation(code=row["lebenslage_id"], name=row["lebenslage"].strip(), topic_id=topic_ids[row["themenfeld_id"]])
            for row in situations
        ],
        update_conflicts=True, unique_fields=["code"], update_fields=["name", "topic"],
    )
    situation_ids = dict(LifeSituation.objects.values_list("code", "pk"))

    services = read_csv(ozg / "ozg_leistungen.csv")
    OzgService.objects.bulk_create(
        [
            OzgService(
                ozg_id=row["ozg_id"], name=row["ozg_leistung"].strip(),
                life_situation_id=situation_ids[row["lebenslage_id"]], topic_id=topic_ids[row["themenfeld_id"]],
            )
            for row in services
        ],
        update_conflicts=True, unique_fields=["ozg_id"], update_fields=["name", "life_situation", "topic"],
    )
    ozg_ids = dict(OzgService.objects.values_list("ozg_id", "pk"))
    if progress:
        progress(len(topics) + len(situations) + len(services))

    leika_rows = read_csv(ozg / "ozg_leika_leistungen.csv")
    keyless: dict[str, int] = {}
    leika = []
    for row in leika_rows:
        key = row["leika_schluessel"] or None
        if key is None:
            # "nicht im LeiKa": numbered within their OZG-Leistung, in file order.
            keyless[row["ozg_id"]] = keyless.get(row["ozg_id"], 0) + 1
            ref = f"OZG{row['ozg_id']}-{keyless[row['ozg_id']]}"
        else:
            ref = key
        leika.append(
            LeikaService(
                ref=ref, leika_key=key, name=row["leistung"].strip(), leika_type=row["leika_typ"],
                ozg_service_id=ozg_ids[row["ozg_id"]] if row["ozg_id"] else None, legal_basis=row["rechtsgrundlage"],
                law_abbreviation=row["gesetz_kurz"],
                sdg_relevant=row["sdg_relevanz_1"] == "1" or row["sdg_relevanz_2"] == "1",
            )
        )
    batch = 1000
    for start in range(0, len(leika), batch):
        LeikaService.objects.bulk_create(
            leika[start:start + batch],
            update_conflicts=True, unique_fields=["ref"],
            update_fields=["leika_key", "name", "leika_type", "ozg_service", "legal_basis", "law_abbreviation",
                           "sdg_relevant"],
        )
        if progress:
            progress(len(leika[start:start + batch]))
    return {
        "topics": len(topics), "life_situations": len(situations), "ozg_services": len(services),
        "leika_services": len(leika),
    }


@transaction.atomic
def load_interface_catalogue(data_dir: Path) -> dict[str, int]:
    """Interface standards and central basis components (data/store/), upserted by their keys."""
    import json

    from .models import BasisComponent, InterfaceStandard

    standards = json.loads((data_dir / "store" / "interface_standards.json").read_text(encoding="utf-8"))["standards"]
    InterfaceStandard.objects.bulk_create(
        [InterfaceStandard(**standard) for standard in standards],
        update_conflicts=True, unique_fields=["identifier"], update_fields=["name", "description", "url"],
    )
    components = json.loads((data_dir / "store" / "basis_components.json").read_text(encoding="utf-8"))["components"]
    BasisComponent.objects.bulk_create(
        [BasisComponent(**component) for component in components],
        update_conflicts=True, unique_fields=["code"], update_fields=["name"],
    )
    return {"interface_standards": len(standards), "basis_components": len(components)}
