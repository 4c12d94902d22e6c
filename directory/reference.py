"""Loads the directory's reference data from data/regions/: states, Königsteiner Schlüssel, regions
and the postcodes of the municipalities.

Idempotent upserts by natural key (state code, ARS), so `load_demo` can run again after a data
update without duplicating anything.
"""
import re
from decimal import Decimal
from pathlib import Path

from django.db import transaction

from fitstore.data import read_csv

from .choices import LEVEL_BY_ARS_LENGTH, RegionLevel
from .models import KoenigsteinShare, Postcode, Region, State

KOENIGSTEIN_COLUMN = re.compile(r"^anteil_prozent_(\d{4})$")


@transaction.atomic
def load_states(data_dir: Path) -> int:
    """The 16 states (Länder) from laender.csv, by code; population and area as Destatis gives them."""
    rows = read_csv(data_dir / "regions" / "laender.csv")
    State.objects.bulk_create(
        [
            State(
                code=row["kuerzel"], name=row["name"], ars=row["ars"], seat=row["sitz_landesregierung"],
                population=int(row["bevoelkerung_gv100ad_2023-11-30"]), area_ha=int(row["flaeche_ha"]),
                is_city_state=row["stadtstaat"] == "true",
            )
            for row in rows
        ],
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "ars", "seat", "population", "area_ha", "is_city_state"],
    )
    return len(rows)


@transaction.atomic
def load_koenigstein_shares(data_dir: Path) -> int:
    """One share per state and year; any `anteil_prozent_YYYY` column adds a year."""
    rows = read_csv(data_dir / "regions" / "koenigsteiner_schluessel.csv")
    states = {state.ars: state for state in State.objects.all()}
    shares = []
    for column in rows[0]:
        match = KOENIGSTEIN_COLUMN.match(column)
        if not match:
            continue
        year = int(match.group(1))
        year_shares = [
            KoenigsteinShare(state=states[row["ars_land"]], year=year, share=Decimal(row[column]) / 100) for row in rows
        ]
        total = sum(share.share for share in year_shares)
        if total != 1:
            raise ValueError(f"Königsteiner Schlüssel {year}: the shares sum to {total}, not 1")
        shares.extend(year_shares)
    KoenigsteinShare.objects.bulk_create(
        shares, update_conflicts=True, unique_fields=["state", "year"], update_fields=["share"]
    )
    return len(shares)


def parent_ars(ars: str, existing: set[str]) -> str | None:
    """The nearest enclosing region that exists: 01001 → 01 where no government district 010 exists."""
    for length in sorted(LEVEL_BY_ARS_LENGTH, reverse=True):
        if length < len(ars) and ars[:length] in existing:
            return ars[:length]
    return None


@transaction.atomic
def load_regions(data_dir: Path, progress=None) -> int:
    """All regions of regions.csv, parents first; `progress(n)` is told each written batch."""
    rows = read_csv(data_dir / "regions" / "regions.csv")
    states = {state.ars: state.pk for state in State.objects.all()}
    existing = {row["ars"] for row in rows}
    # The Gemeindeverzeichnis gives population for municipalities only; higher levels sum them.
    population: dict[str, int] = {}
    for row in rows:
        if row["level"] == RegionLevel.MUNICIPALITY:
            count = int(row["population"] or 0)
            for length in LEVEL_BY_ARS_LENGTH:
                population[row["ars"][:length]] = population.get(row["ars"][:length], 0) + count
    regions = []
    for row in sorted(rows, key=lambda r: (len(r["ars"]), r["ars"])):  # parents before children
        ars = row["ars"]
        if LEVEL_BY_ARS_LENGTH.get(len(ars)) != row["level"]:
            raise ValueError(f"regions.csv: {ars} is not a {row['level']} key")
        regions.append(
            Region(
                ars=ars, name=row["name"], level=row["level"], parent_id=parent_ars(ars, existing),
                state_id=states[ars[:2]], kind=row["kind"], ags=row["ags"], seat=row["seat"],
                population=population.get(ars, 0), postcode=row["postcode"],
            )
        )
    batch = 2000
    for start in range(0, len(regions), batch):
        Region.objects.bulk_create(
            regions[start:start + batch],
            update_conflicts=True,
            unique_fields=["ars"],
            update_fields=["name", "level", "parent", "state", "kind", "ags", "seat", "population", "postcode"],
        )
        if progress:
            progress(len(regions[start:start + batch]))
    return len(regions)


@transaction.atomic
def load_postcodes(data_dir: Path, progress=None) -> int:
    """The postcodes of postcodes.csv with their municipalities (one row per pair; a row without
    ARS keeps a postcode whose places match no municipality). Adds the pairs that are missing and
    removes those no longer in the file, so a second run writes nothing; `progress(n)` is told
    the rows read. Returns the number of postcodes."""
    rows = read_csv(data_dir / "regions" / "postcodes.csv")
    places: dict[str, str] = {}
    pairs: list[tuple[str, str]] = []
    for row in rows:
        places.setdefault(row["postcode"], "")
        if row["ars"]:
            pairs.append((row["postcode"], row["ars"]))
        else:
            places[row["postcode"]] = row["places"]
    Postcode.objects.bulk_create(
        [Postcode(code=code, places=text[:300]) for code, text in places.items()],
        update_conflicts=True, unique_fields=["code"], update_fields=["places"], batch_size=2000,
    )
    postcode_ids = dict(Postcode.objects.values_list("code", "pk"))
    region_ids = dict(Region.objects.filter(level=RegionLevel.MUNICIPALITY).values_list("ars", "pk"))
    missing = sorted({ars for _, ars in pairs if ars not in region_ids})
    if missing:
        raise ValueError(f"postcodes.csv: no municipality has the ARS {', '.join(missing[:5])}")
    through = Postcode.regions.through
    wanted = {(postcode_ids[code], region_ids[ars]) for code, ars in pairs}
    present = {(row[1], row[2]): row[0] for row in through.objects.values_list("pk", "postcode_id", "region_id")}
    through.objects.filter(pk__in=[pk for pair, pk in present.items() if pair not in wanted]).delete()
    links = [through(postcode_id=postcode_id, region_id=region_id)
             for postcode_id, region_id in sorted(wanted - set(present))]
    for start in range(0, len(links), 2000):
        through.objects.bulk_create(links[start:start + 2000])
        if progress:
            progress(len(links[start:start + 2000]))
    if progress:
        progress(len(rows) - len(links))
    return len(places)
