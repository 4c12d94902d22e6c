"""The route finder "Wer ist zuständig?": signed-in users ask `directory.routing.routes` for a
service (LeiKa key or name) and a place (ARS, name or postcode) and read the answer."""
import pytest

from directory.models import Region
from tests.directory.fixtures import BERG, STARNBERG_DISTRICT, WOHNGELD

pytestmark = pytest.mark.django_db

PATH = "/verzeichnis/zustaendigkeit/"
DESTINATION = "0d5c1b7e-7a4b-4a36-9a2b-2f3b8d6f1a11"


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
    assert route.region.ars == STARNBERG_DISTRICT  # the one region called exactly so
    assert route.authority == starnberg
    ambiguous = signed_in.get(PATH, {"leistung": WOHNGELD, "ort": "Berg"})
    assert ambiguous.status_code == 400
    assert berg in ambiguous.context["place_candidates"]
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
