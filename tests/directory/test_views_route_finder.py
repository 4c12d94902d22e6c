"""The route finder "Wer ist zuständig?": signed-in users ask `directory.routing.routes` for a
service (LeiKa key or name) and a place (ARS, name or postcode) and read the answer."""
import pytest

from directory.models import Region
from tests.directory.fixtures import BERG, STARNBERG_DISTRICT, WOHNGELD

pytestmark = pytest.mark.django_db

PATH = "/verzeichnis/zustaendigkeit/"
DESTINATION = "0d5c1b7e-7a4b-4a36-9a2b-2f3b8d6f1a11"
# The nine LeiKa keys of OZG-Leistung 10092 Wohngeld, which the demo online service "wohngeld" offers.
WOHNGELD_KEYS = ("99107023000000", "99107023011000", "99107023017000", "99107023017001", "99107023017002",
                 "99107023017003", "99107023044000", "99107023131000", "99107023151000")


@pytest.fixture
def signed_in(client, make_user):
    client.force_login(make_user("leserin"))
    return client


@pytest.fixture
def starnberg(directory):
    authority = directory.authority("dvdv:by-lra-starnberg", name="Landratsamt Starnberg")
    directory.endpoint(authority, destination_id=DESTINATION, address="https://submission.example.org/lra-starnberg")
    directory.responsible(authority, WOHNGELD, STARNBERG_DISTRICT)
    return authority


def test_the_form_alone_is_not_an_error(signed_in):
    response = signed_in.get(PATH)
    assert response.status_code == 200
    assert response.context["answer"] is None and 'name="leistung"' in response.text


def test_a_region_page_links_to_the_form_with_the_place_filled_in(signed_in):
    region_page = signed_in.get(f"/regionen/{BERG}/")
    assert f'href="{PATH}?ort={BERG}"' in region_page.text

    response = signed_in.get(PATH, {"ort": BERG})

    assert response.status_code == 200 and not response.context["form"].errors
    assert f'value="{BERG}"' in response.text


def test_answers_with_the_district_office_for_a_municipality(signed_in, starnberg, django_assert_max_num_queries):
    with django_assert_max_num_queries(14):
        response = signed_in.get(PATH, {"leistung": WOHNGELD, "ort": BERG})

    assert response.status_code == 200
    [route] = response.context["answer"]
    assert route.authority == starnberg and route.level == "DISTRICT" and route.region.ars == BERG
    assert DESTINATION in response.text
    assert "https://submission.example.org/lra-starnberg" in response.text
    assert 'href="/verzeichnis/behoerden/dvdv:by-lra-starnberg/"' in response.text
    assert 'href="/katalog/wohngeld/"' not in response.text  # Bavaria has no CONNECTED subscription, MV provides it


def test_the_online_service_of_the_provider_state(signed_in, directory):
    schwerin = directory.authority("wgb:130040000000", name="Wohngeldstelle Schwerin", state="MV", ars="13004",
                                   kind="MUNICIPAL")
    directory.endpoint(schwerin)
    directory.responsible(schwerin, WOHNGELD, "13004")

    response = signed_in.get(PATH, {"leistung": WOHNGELD, "ort": "130040000000"})

    assert response.status_code == 200
    assert response.context["answer"][0].online_service.slug == "wohngeld"
    assert 'href="/katalog/wohngeld/"' in response.text


def test_place_and_service_by_name(signed_in, starnberg):
    from store.models import LeikaService

    name = LeikaService.objects.get(leika_key=WOHNGELD).name
    berg = Region.objects.get(ars=BERG)

    response = signed_in.get(PATH, {"leistung": name, "ort": "Starnberg"})

    assert response.status_code == 200
    [route] = response.context["answer"]
    # The town of Starnberg, not the district of the same name, which is offered beside the answer.
    assert route.region.ars == "091880139139"
    assert route.authority == starnberg
    assert [place.region.ars for place in response.context["place_alternatives"]] == [STARNBERG_DISTRICT]
    ambiguous = signed_in.get(PATH, {"leistung": WOHNGELD, "ort": "Berg"})
    assert ambiguous.status_code == 400
    assert berg in [place.region for place in ambiguous.context["place_candidates"]]
    assert f"ort={BERG}" in ambiguous.text  # a link that asks again with the chosen ARS


def test_nobody_responsible_is_an_empty_answer_that_says_what_to_do(signed_in):
    response = signed_in.get(PATH, {"leistung": WOHNGELD, "ort": BERG})

    assert response.status_code == 200
    assert response.context["answer"] == []
    assert 'class="empty-state"' in response.text
    assert 'href="/verzeichnis/behoerden/?state=BY"' in response.text


@pytest.mark.parametrize("params,field", [
    ({"leistung": "12345678901234", "ort": BERG}, "leistung"),  # not a LeiKa key
    ({"leistung": "99999999999999", "ort": BERG}, "leistung"),  # unknown
    ({"leistung": "", "ort": BERG}, "leistung"),
    ({"leistung": WOHNGELD, "ort": "0918"}, "ort"),  # wrong length
    ({"leistung": WOHNGELD, "ort": "091889999999"}, "ort"),  # unknown
    ({"leistung": WOHNGELD, "ort": "Nirgendwo-am-See"}, "ort"),
    ({"leistung": WOHNGELD, "ort": ""}, "ort"),
])
def test_bad_input_names_the_field(signed_in, params, field):
    response = signed_in.get(PATH, params)

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors.get(field), form.errors
    assert f'id="id_{field}_error"' in response.text and 'aria-invalid="true"' in response.text
    assert response.context["answer"] is None


def test_muenchen_is_the_city_and_the_district_is_offered(signed_in):
    response = signed_in.get(PATH, {"leistung": WOHNGELD, "ort": "München"})

    assert response.status_code == 200
    assert response.context["region"].ars == "091620000000"  # the kreisfreie Stadt, not the Landkreis 09184
    [district] = response.context["place_alternatives"]
    assert (district.region.ars, district.kind) == ("09184", "Landkreis")
    assert "ort=09184" in response.text and "Landkreis" in response.text


def test_the_places_called_berg_are_offered_with_kind_district_and_state(signed_in):
    response = signed_in.get(PATH, {"leistung": WOHNGELD, "ort": "Berg"})

    assert response.status_code == 400
    assert response.context["answer"] is None
    places = response.context["place_candidates"]
    municipalities = {place.region.ars for place in places if place.region.level == "MUNICIPALITY"}
    # The five called "Berg", Berg (Pfalz) and Berg b.Neumarkt i.d.OPf.; their municipal associations
    # ("Verbandsfreie Gemeinde" of the same name) are not offered twice.
    assert {"071315002011", "071415007009", "073345002002", "084365005013", BERG, "093730113113",
            "094750113113"} <= municipalities
    assert not [place for place in places if place.region.level == "MUNICIPAL_ASSOCIATION"]
    starnberg = next(place for place in places if place.region.ars == BERG)
    assert (starnberg.kind, starnberg.district_label, starnberg.region.state.name) == (
        "Kreisangehörige Gemeinde", "Landkreis Starnberg", "Bayern")
    assert "Landkreis Starnberg" in response.text and "Rhein-Lahn-Kreis" in response.text


@pytest.mark.parametrize("postcode,ars", [("80331", "091620000000"), ("85049", "091610000000")])
def test_a_postcode_inside_a_city_finds_the_city(signed_in, postcode, ars):
    response = signed_in.get(PATH, {"leistung": WOHNGELD, "ort": postcode})

    assert response.status_code == 200, response.context["form"].errors
    assert response.context["region"].ars == ars
    assert f"Postleitzahl {postcode}" in response.text


def test_a_postcode_of_several_municipalities_offers_them(signed_in):
    response = signed_in.get(PATH, {"leistung": WOHNGELD, "ort": "82335"})  # Berg and the Starnberger See

    assert response.status_code == 400
    assert {place.region.ars for place in response.context["place_candidates"]} == {BERG, "091889451451"}
    assert "Die Postleitzahl 82335 gehört zu 2 Gemeinden" in response.text


def test_an_unknown_postcode_says_why(signed_in):
    response = signed_in.get(PATH, {"leistung": WOHNGELD, "ort": "00000"})

    assert response.status_code == 400
    [error] = response.context["form"].errors["ort"]
    assert "00000" in error and "Postleitzahl" in error


def test_a_synonym_finds_the_service_through_the_catalogue_search(signed_in):
    response = signed_in.get(PATH, {"leistung": "Mietzuschuss", "ort": BERG})

    assert response.status_code == 400  # Wohngeld has nine LeiKa keys: the person chooses
    keys = [match.service.leika_key for match in response.context["service_candidates"]]
    assert keys == sorted(WOHNGELD_KEYS)  # the online service's; Elterngeld, which the search ranks far below, is not
    assert f"leistung={WOHNGELD}" in response.text

    chosen = signed_in.get(PATH, {"leistung": WOHNGELD, "ort": BERG})
    assert chosen.status_code == 200


def test_a_service_called_exactly_so_is_taken_and_the_others_offered(signed_in):
    response = signed_in.get(PATH, {"leistung": "Wohngeld", "ort": BERG})

    assert response.status_code == 200
    assert response.context["service"].leika_key == WOHNGELD
    others = {match.service.leika_key for match in response.context["service_alternatives"]}
    assert others >= set(WOHNGELD_KEYS) - {WOHNGELD}
