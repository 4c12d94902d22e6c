"""States and regions in the web UI, from the reference data the session loaded."""
import pytest

from directory.models import State

pytestmark = pytest.mark.django_db


def test_states_page_lists_16_states_with_their_koenigstein_share_in_percent(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        response = client.get("/laender/")

    assert response.status_code == 200
    assert len(response.context["state_list"]) == 16
    bavaria = State.objects.by_code("BY")
    percent = f"{bavaria.koenigstein_share() * 100:.5f}".replace(".", ",")
    assert f"{percent} %" in response.text
    assert 'href="/regionen/09/"' in response.text


def test_region_page_shows_parent_and_children(client):
    response = client.get("/regionen/09188/")

    assert response.status_code == 200
    region = response.context["region"]
    assert region.parent_id == "091"
    assert 'href="/regionen/091/"' in response.text  # the parent
    assert 'href="/regionen/09/"' in response.text  # the state, in the breadcrumbs
    children = list(response.context["children_page"])
    assert children and all(child.parent_id == "09188" for child in children)
    assert f'href="/regionen/{children[0].ars}/"' in response.text


def test_a_municipality_page_lists_its_postcodes(client):
    response = client.get("/regionen/091610000000/")  # Ingolstadt: 85049 is not its seat postcode 85047

    assert response.status_code == 200
    assert "85047" in response.text and "85049" in response.text and "Postleitzahlen" in response.text


def test_unknown_region_is_404(client):
    assert client.get("/regionen/99999/").status_code == 404
