"""`directory.places.find_place`: which region a person means by a name, a postcode or a key."""
import pytest

from directory.places import find_place

pytestmark = pytest.mark.django_db


def arses(places):
    return [place.region.ars for place in places]


def test_a_city_before_the_district_of_its_name():
    found = find_place("  münchen ")

    assert found.chosen.region.ars == "091620000000" and found.chosen.kind == "Kreisfreie Stadt"
    assert found.chosen.district_label == ""  # the kreisfreie Stadt is its own district
    assert arses(found.candidates) == ["09184"]


def test_a_district_that_holds_a_town_of_its_name_stays_a_choice():
    found = find_place("Starnberg")

    assert found.chosen.region.ars == "091880139139"  # "Starnberg, Stadt"
    assert found.chosen.district_label == "Landkreis Starnberg"
    assert arses(found.candidates) == ["09188"]


def test_several_municipalities_of_one_name_are_all_offered_and_none_chosen():
    found = find_place("Berg")

    assert found.chosen is None and len(found.candidates) == 8
    assert {place.region.level for place in found.candidates} == {"MUNICIPALITY"}


def test_a_postcode_of_one_municipality_is_taken():
    found = find_place("85049")

    assert found.is_postcode and found.chosen.region.name == "Ingolstadt"


def test_five_digits_that_are_a_district_and_a_postcode_offer_both():
    found = find_place("09474")  # the Landkreis Forchheim, and a postcode in the Erzgebirge

    assert found.chosen is None and not found.is_postcode
    assert arses(found.candidates)[0] == "09474"
    assert {place.region.state.code for place in found.candidates[1:]} == {"SN"}


def test_a_postcode_known_without_municipality_and_an_unknown_one():
    belgern = find_place("04889")
    unknown = find_place("00000")

    assert not belgern.found and belgern.postcode.places == "Belgern"
    assert not unknown.found and unknown.is_postcode and unknown.postcode is None


def test_other_keys_are_taken_as_typed():
    assert find_place("091880113113").ars == "091880113113"
    assert find_place("0918").ars == "0918"  # routing names the error
