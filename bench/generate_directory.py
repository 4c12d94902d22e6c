"""A national directory for benchmarks, from the real Gemeindeverzeichnis.

An office for each of the 10,981 municipalities (10 LeiKa keys each), each of the 400 districts
(20 keys) and each of the 16 states (5 keys), each with a FIT-Connect endpoint, written as the
contract's exchange format (JSON Lines: authorities, endpoints, responsibilities):

    python bench/generate_directory.py > var/national-directory.jsonl
    python manage.py import_directory var/national-directory.jsonl

The keys are real LeiKa keys chosen by their LeiKa type: municipal services (type 5, then 2/3),
district services (2/3), state services (4). Deterministic: the same file every time.
"""
import csv
import json
import sys
import uuid
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"
NAMESPACE = uuid.UUID("6f1b9d1e-1f6a-4f5c-9a57-2f0c4d8e7a10")
KIND = {"MUNICIPALITY": "MUNICIPAL", "DISTRICT": "DISTRICT", "STATE": "STATE"}
PREFIX = {"MUNICIPALITY": "gem", "DISTRICT": "krs", "STATE": "lnd"}


def leika_keys(types: tuple[str, ...], count: int, skip: set[str]) -> list[str]:
    with open(DATA / "ozg" / "ozg_leika_leistungen.csv", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["leika_schluessel"]]
    keys = []
    for wanted in types:
        keys += sorted(row["leika_schluessel"] for row in rows
                       if row["leika_typ"] == wanted and row["leika_schluessel"] not in skip)
    return keys[:count]


def main(out=sys.stdout) -> int:
    municipal = leika_keys(("5", "2/3"), 10, set())
    district = leika_keys(("2/3",), 20, set(municipal))
    state = leika_keys(("4",), 5, set(municipal) | set(district))
    keys_by_level = {"MUNICIPALITY": municipal, "DISTRICT": district, "STATE": state}
    with open(DATA / "regions" / "regions.csv", encoding="utf-8") as handle:
        regions = [row for row in csv.DictReader(handle) if row["level"] in KIND]
    states = {row["ars"]: row["kuerzel"] for row in csv.DictReader(open(DATA / "regions" / "laender.csv", encoding="utf-8"))}

    lines = 0
    authorities = [(f"{PREFIX[r['level']]}:{r['ars']}", r) for r in regions]
    for identifier, region in authorities:
        out.write(json.dumps({"type": "authority", "identifier": identifier,
                              "name": f"Verwaltung {region['name']}", "stateCode": states[region["ars"][:2]],
                              "ars": region["ars"], "kind": KIND[region["level"]]}, ensure_ascii=False) + "\n")
        lines += 1
    for identifier, region in authorities:
        out.write(json.dumps({"type": "endpoint", "authority": identifier, "kind": "FIT_CONNECT",
                              "address": f"https://submission.fit-connect.example/{region['ars']}",
                              "destinationId": str(uuid.uuid5(NAMESPACE, identifier)), "serviceUri": "",
                              "certificatePem": ""}) + "\n")
        lines += 1
    for identifier, region in authorities:
        for key in keys_by_level[region["level"]]:
            out.write(json.dumps({"type": "responsibility", "authority": identifier, "leikaKey": key,
                                  "ars": [region["ars"]]}) + "\n")
            lines += 1
    return lines


if __name__ == "__main__":
    written = main()
    print(f"generate_directory: {written:,} lines", file=sys.stderr)
