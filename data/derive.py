"""How the files in data/ were derived from the research data set (kept for review and updates).

    python data/derive.py ../shared/data

Copies the OZG catalogue, the states and the Königsteiner Schlüssel unchanged, and reduces the
Gemeindeverzeichnis to the columns the directory loads, without the 12 planning regions of
Baden-Württemberg (4-digit keys outside the canonical ARS hierarchy 2/3/5/9/12).
"""
import csv
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

REGION_COLUMNS = ["ars", "level", "name", "seat", "kind", "ags", "population", "postcode"]
LEVELS = {
    "land": "STATE",
    "regierungsbezirk": "GOVERNMENT_DISTRICT",
    "kreis": "DISTRICT",
    "gemeindeverband": "MUNICIPAL_ASSOCIATION",
    "gemeinde": "MUNICIPALITY",
}


def main(source: Path) -> None:
    for name in ["ozg_themenfelder.csv", "ozg_lebenslagen.csv", "ozg_leistungen.csv",
                 "ozg_leika_leistungen.csv", "leika_typisierung.csv"]:
        shutil.copyfile(source / "ozg" / name, HERE / "ozg" / name)
    shutil.copyfile(source / "regions" / "laender.csv", HERE / "regions" / "laender.csv")
    shutil.copyfile(source / "regions" / "koenigsteiner_schluessel_2014-2016.csv",
                    HERE / "regions" / "koenigsteiner_schluessel.csv")

    with open(source / "regions" / "gemeindeverzeichnis_gv100ad_2023-11-30.csv", encoding="utf-8") as handle:
        rows = [row for row in csv.DictReader(handle) if row["ebene"] in LEVELS]
    with open(HERE / "regions" / "regions.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(REGION_COLUMNS)
        for row in rows:
            writer.writerow([row["ars"], LEVELS[row["ebene"]], row["name"], row["sitz"], row["typ_name"],
                             row["ags"], row["bevoelkerung"], row["plz"]])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE.parent.parent / "shared" / "data")
