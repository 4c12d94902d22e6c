"""The directory's reference data as `load_demo` leaves it: states, Königsteiner Schlüssel, regions, postcodes.

The session fixture has loaded data/ into the test database. The figures are those of the
Destatis Gemeindeverzeichnis GV100AD, Gebietsstand 30.11.2023 (see data/SOURCES.md).
"""
import csv
import re
import shutil
from decimal import Decimal

import pytest
from django.conf import settings
from django.db.models import Count, F, Sum
from django.db.models.functions import Length, Substr

from directory import reference
from directory.models import KoenigsteinShare, Postcode, Region, State

pytestmark = pytest.mark.django_db

# Kinds whose "ae", "oe" or "ue" is German as written, not a transliterated umlaut.
KINDS_WITH_AE_OE = {"gemeindefreies Gebiet, bewohnt", "gemeindefreies Gebiet, unbewohnt", "Verbandsfreie Gemeinde"}


def read_data(name):
    with open(settings.DATA_DIR / "regions" / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_a_state_is_found_by_its_code_and_a_malformed_code_costs_no_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        assert State.objects.by_code(" by ").name == "Bayern"
    with django_assert_num_queries(1):
        assert State.objects.by_code("XX") is None  # well-formed, unknown
    with django_assert_num_queries(0):
        assert [State.objects.by_code(code) for code in (None, "", "  ", "BAY", "B", "B1", "ß", 9)] == [None] * 8


def test_sixteen_states_in_ars_order_three_of_them_city_states():
    assert list(State.objects.values_list("code", flat=True)) == [
        "SH", "HH", "NI", "HB", "NW", "HE", "RP", "BW", "BY", "SL", "BE", "BB", "MV", "SN", "ST", "TH",
    ]
    assert set(State.objects.filter(is_city_state=True).values_list("code", flat=True)) == {"BE", "HB", "HH"}


def test_regions_per_level():
    per_level = dict(Region.objects.order_by().values_list("level").annotate(n=Count("pk")))

    assert per_level == {
        "STATE": 16, "GOVERNMENT_DISTRICT": 29, "DISTRICT": 400, "MUNICIPAL_ASSOCIATION": 4597, "MUNICIPALITY": 10981,
    }
    assert sum(per_level.values()) == 16_023


def test_only_canonical_key_lengths_so_no_planning_regions_of_baden_wuerttemberg():
    lengths = set(Region.objects.annotate(n=Length("ars")).order_by().values_list("n", flat=True).distinct())

    assert lengths == {2, 3, 5, 9, 12}
    assert not Region.objects.filter(ars="0811").exists()  # "Region Stuttgart" in GV100AD


@pytest.mark.parametrize(
    "ars, ancestors",
    [
        ("091880141141", ["091880141", "09188", "091", "09"]),  # Tutzing, Starnberg, Oberbayern, Bayern
        ("01001", ["01"]),  # Flensburg: Schleswig-Holstein has no government district 010
        ("010010000000", ["010010000", "01001", "01"]),
        ("110000000000", ["110000000", "11000", "11"]),  # Berlin
        # Unpopulated areas outside any district: "Küstengewässer", Mecklenburg-Vorpommern
        ("130009999999", ["130009999", "13"]),
        ("081", ["08"]),
        ("09", []),
    ],
)
def test_parent_chain(ars, ancestors):
    chain, region = [], Region.objects.get(ars=ars)
    while region.parent_id:
        region = region.parent
        chain.append(region.ars)

    assert chain == ancestors


def test_every_parent_is_the_nearest_existing_enclosing_region():
    existing = set(Region.objects.values_list("ars", flat=True))
    wrong = [
        (ars, parent)
        for ars, parent in Region.objects.values_list("ars", "parent_id")
        if parent != next((ars[:n] for n in (9, 5, 3, 2) if n < len(ars) and ars[:n] in existing), None)
    ]

    assert wrong == []


def test_parent_ars_skips_levels_that_do_not_exist():
    assert reference.parent_ars("01001", {"01", "01001"}) == "01"
    assert reference.parent_ars("091880141141", {"09", "091", "09188", "091880141"}) == "091880141"
    assert reference.parent_ars("091880141141", {"09", "091"}) == "091"
    assert reference.parent_ars("09", {"09"}) is None


def test_each_region_belongs_to_the_state_of_its_first_two_digits():
    assert not Region.objects.annotate(prefix=Substr("ars", 1, 2)).exclude(prefix=F("state__ars")).exists()
    assert Region.objects.filter(state__code="BY").count() == Region.objects.filter(ars__startswith="09").count()


def test_population_of_germany_is_the_sum_of_its_municipalities():
    def total(level):
        return Region.objects.filter(level=level).aggregate(total=Sum("population"))["total"]

    assert total("MUNICIPALITY") == total("DISTRICT") == total("STATE") == 84_358_845
    assert State.objects.aggregate(total=Sum("population"))["total"] == 84_358_845


def test_state_regions_have_the_population_of_laender_csv():
    expected = {row["ars"]: int(row["bevoelkerung_gv100ad_2023-11-30"]) for row in read_data("laender.csv")}

    assert dict(Region.objects.filter(level="STATE").values_list("ars", "population")) == expected
    assert Region.objects.get(ars="09").population == State.objects.by_code("BY").population == 13_369_393


def test_higher_levels_sum_their_municipalities():
    starnberg = Region.objects.get(ars="09188")
    municipalities = Region.objects.filter(level="MUNICIPALITY", ars__startswith="09188")

    assert starnberg.population == municipalities.aggregate(total=Sum("population"))["total"] > 0
    assert Region.objects.get(ars="091").population == (
        Region.objects.filter(level="DISTRICT", parent="091").aggregate(total=Sum("population"))["total"]
    )


def test_municipalities_carry_ags_and_postcode():
    tutzing = Region.objects.get(ars="091880141141")

    assert (tutzing.name, tutzing.level, tutzing.ags, tutzing.postcode, tutzing.population) == (
        "Tutzing", "MUNICIPALITY", "09188141", "82327", 10_106,
    )
    assert not Region.objects.exclude(level="MUNICIPALITY").exclude(ags="", postcode="").exists()


def test_kinds_of_region_are_spelled_as_german_is():
    kinds = set(Region.objects.values_list("kind", flat=True))

    assert {"Kreisangehörige Gemeinde", "Große Kreisstadt", "Erfüllende Gemeinde"} <= kinds
    assert not {kind for kind in kinds if re.search(r"[aou]e|Grosse", kind) and kind not in KINDS_WITH_AE_OE}


def test_postcodes_span_municipalities_and_municipalities_have_many():
    muenchen = Region.objects.get(ars="091620000000")
    postcodes = set(muenchen.postcodes.values_list("code", flat=True))

    assert {"80313", "80331", "81929"} <= postcodes and len(postcodes) > 70  # the seat postcode and the others
    assert set(Postcode.objects.get(code="82335").regions.values_list("ars", flat=True)) == {
        "091880113113", "091889451451"}  # Berg and the unincorporated Starnberger See
    assert list(Postcode.objects.get(code="85049").regions.values_list("name", flat=True)) == ["Ingolstadt"]
    # Every inhabited municipality has a postcode; every postcode but a few has a municipality.
    assert not Region.objects.filter(level="MUNICIPALITY", population__gt=0, postcodes=None).exists()
    assert Postcode.objects.count() > 8_000
    assert Postcode.objects.filter(regions=None).count() < 10


def test_koenigstein_shares_sum_to_one_for_each_year():
    years = sorted(int(column[-4:]) for column in read_data("koenigsteiner_schluessel.csv")[0] if column[-4:].isdigit())
    assert years == [2014, 2015, 2016]

    for year in years:
        shares = KoenigsteinShare.objects.filter(year=year)
        assert shares.count() == 16
        assert shares.aggregate(total=Sum("share"))["total"] == Decimal(1)
    assert State.objects.by_code("BY").koenigstein_share(2016) == Decimal("0.1553327")  # 15.53327 %
    assert State.objects.by_code("BB").koenigstein_share(2014) == Decimal("0.0308092")


def copy_koenigstein_file(tmp_path, add_column):
    """data/regions/koenigsteiner_schluessel.csv in tmp_path, with one more column."""
    (tmp_path / "regions").mkdir()
    rows = read_data("koenigsteiner_schluessel.csv")
    with open(tmp_path / "regions" / "koenigsteiner_schluessel.csv", "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, [*rows[0], add_column[0]])
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, add_column[0]: add_column[1](row)})


def test_a_further_year_column_is_loaded_without_code_changes(tmp_path):
    copy_koenigstein_file(tmp_path, ("anteil_prozent_2017", lambda row: row["anteil_prozent_2016"]))

    assert reference.load_koenigstein_shares(tmp_path) == 4 * 16

    assert KoenigsteinShare.objects.filter(year=2017).aggregate(total=Sum("share"))["total"] == Decimal(1)
    assert State.objects.by_code("BY").koenigstein_share() == Decimal("0.1553327")  # now the 2017 row


def test_a_year_that_does_not_sum_to_100_percent_is_refused(tmp_path):
    copy_koenigstein_file(
        tmp_path, ("anteil_prozent_2017", lambda row: "15.53328" if row["kuerzel"] == "BY" else row["anteil_prozent_2016"])
    )

    with pytest.raises(ValueError, match="2017"):
        reference.load_koenigstein_shares(tmp_path)

    assert not KoenigsteinShare.objects.filter(year=2017).exists()


def test_a_reload_of_the_regions_keeps_every_row(tmp_path):
    shutil.copytree(settings.DATA_DIR / "regions", tmp_path / "regions")
    before = list(Region.objects.order_by("pk").values_list("pk", "ars", "parent_id", "population"))

    assert reference.load_regions(tmp_path) == 16_023

    assert list(Region.objects.order_by("pk").values_list("pk", "ars", "parent_id", "population")) == before
