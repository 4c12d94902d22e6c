"""Which region a person means by what they type: a regional key (ARS), a postcode or a name.

`find_place(text)` answers with the region to take (`chosen`) where that is clear, and with the
other regions the text fits (`candidates`), so that a page can offer the choice instead of
silently taking one:

- An ARS of 2, 3, 9 or 12 digits is taken as typed (routing validates it).
- Five digits are a district's ARS or a postcode (data/regions/postcodes.csv): the
  municipalities of the postcode; several of them are offered to choose from.
- A name: the regions called so (before ", Stadt", "/…" or " (…)"), then those whose name begins
  with it as a word ("Berg b.Neumarkt i.d.OPf."), then those that contain it. A region is left out
  when a region of the same name that it merely contains is found (the kreisfreie Stadt München
  is a district, a municipal association and a municipality of that name and population: the
  municipality stands for all).
  The place a person means is the one municipality of that name ("München": the city, with the
  district of the same name offered beside it); with several municipalities of that name (the
  places called "Berg") nothing is chosen and all are offered.

Each region comes with its district and state (`Place.district`, `region.state`) so that a list
of candidates can tell regions of the same name apart.
"""
import re
from dataclasses import dataclass, field

from django.db.models import Q

from .choices import ARS_LENGTHS, RegionLevel
from .models import Postcode, Region

MAX_CANDIDATES = 12
_DIGITS = re.compile(r"\d+")


@dataclass
class Place:
    region: Region
    district: Region | None = None  # the enclosing district (Landkreis), None for a district or above

    @property
    def kind(self) -> str:
        """The kind of region in words (Kreisfreie Stadt, Landkreis, Kreisangehörige Gemeinde …)."""
        return self.region.kind or str(RegionLevel(self.region.level).label)

    @property
    def district_label(self) -> str:
        """The district in words ("Landkreis Starnberg", "Rhein-Lahn-Kreis"); empty for a district
        and for the municipality of a kreisfreie Stadt (its district is the city itself)."""
        district = self.district
        if district is None or _same_place(district, self.region):
            return ""
        if district.kind in ("Landkreis", "Kreis") and "kreis" not in district.name.casefold():
            return f"{district.kind} {district.name}"
        return district.name


@dataclass
class PlaceSearch:
    text: str
    chosen: Place | None = None
    candidates: list[Place] = field(default_factory=list)  # what else (or, without `chosen`, what) it may mean
    postcode: Postcode | None = None  # the postcode typed, where it is one we know
    is_postcode: bool = False
    ars: str = ""  # digits taken as an ARS as typed (routing checks it)

    @property
    def found(self) -> bool:
        return bool(self.ars or self.chosen or self.candidates)


def _with_districts(regions: list[Region]) -> list[Place]:
    """Places with their districts, in one query."""
    keys = {region.ars[:5] for region in regions if len(region.ars) > 5}
    districts = {district.ars: district for district in Region.objects.filter(ars__in=keys)} if keys else {}
    return [Place(region, districts.get(region.ars[:5]) if len(region.ars) > 5 else None) for region in regions]


def _regions():
    return Region.objects.select_related("state")


def _name_match(value: str) -> Q:
    """The region is called `value`: exactly, or before ", Stadt", "/…" or " (…)"."""
    return (Q(name__iexact=value) | Q(name__istartswith=value + ",") | Q(name__istartswith=value + "/")
            | Q(name__istartswith=value + " ("))


def _base_name(region: Region) -> str:
    return region.name.split(",")[0].strip().casefold()


def _same_place(wider: Region, region: Region) -> bool:
    """`wider` holds `region` and nothing else: the same name and the same population."""
    return _base_name(wider) == _base_name(region) and wider.population == region.population


def _without_containers(regions: list[Region]) -> list[Region]:
    """Leave out a region that is only another found region under a wider key: of the same name,
    containing it and no one else (the district and the municipal association of a kreisfreie
    Stadt, the Verbandsfreie Gemeinde of a municipality). The Landkreis Starnberg, which holds
    the town of Starnberg and more, stays."""
    return [region for region in regions
            if not any(other is not region and other.ars.startswith(region.ars) and len(other.ars) > len(region.ars)
                       and _same_place(region, other) for other in regions)]


def find_place(text: str) -> PlaceSearch:
    value = " ".join((text or "").split())
    search = PlaceSearch(text=value)
    if not value:
        return search
    if _DIGITS.fullmatch(value):
        if len(value) != ARS_LENGTHS[RegionLevel.DISTRICT]:
            search.ars = value
            return search
        return _by_five_digits(search, value)

    exact = _without_containers(list(_regions().filter(_name_match(value)).order_by("ars")[:50]))
    beginning = list(_regions().filter(name__istartswith=value + " ").exclude(_name_match(value))
                     .order_by("name", "ars")[:MAX_CANDIDATES])
    found = exact + _without_containers(beginning)
    if not found:
        found = _without_containers(list(_regions().filter(name__icontains=value).order_by("name", "ars")
                                         [:MAX_CANDIDATES * 2]))
    places = _with_districts(found[:MAX_CANDIDATES])
    municipalities = [place for place in places[:len(exact)] if place.region.level == RegionLevel.MUNICIPALITY]
    if len(places) == 1:
        search.chosen = places[0]
    elif len(municipalities) == 1:
        search.chosen = municipalities[0]
        search.candidates = [place for place in places if place is not search.chosen]
    else:
        search.candidates = places
    return search


def _by_five_digits(search: PlaceSearch, value: str) -> PlaceSearch:
    """A district's ARS, a postcode, or both (then both are offered)."""
    district = _regions().filter(ars=value).first()
    postcode = Postcode.objects.filter(code=value).first()
    search.postcode = postcode
    search.is_postcode = district is None
    municipalities = list(postcode.regions.select_related("state").order_by("name", "ars")) if postcode else []
    places = _with_districts(([district] if district else []) + municipalities)
    if len(places) == 1:
        search.chosen = places[0]
    else:
        search.candidates = places
    return search
