"""The directory's authority pages in the web UI: who may read them, the list's filters (through
AuthorityFilterSet), the detail page with endpoints and responsibilities, query counts."""
import datetime

import pytest
from django.utils import timezone, translation

from directory.models import Endpoint
from tests.directory.fixtures import STARNBERG_DISTRICT, WOHNGELD

pytestmark = pytest.mark.django_db

LIST = "/verzeichnis/behoerden/"


def de(message, context=None, **params):
    """The German text of a msgid (the English one until the translation is merged)."""
    with translation.override("de"):
        text = translation.pgettext(context, message) if context else translation.gettext(message)
    return text % params if params else text


@pytest.fixture
def starnberg(directory):
    authority = directory.authority("dvdv:by-lra-starnberg", name="Landratsamt Starnberg")
    directory.responsible(authority, WOHNGELD, STARNBERG_DISTRICT)
    return authority


@pytest.fixture
def signed_in(client, make_user):
    client.force_login(make_user("leserin"))
    return client


@pytest.mark.parametrize("path", [LIST, LIST + "dvdv:by-lra-starnberg/", "/verzeichnis/zustaendigkeit/"])
def test_anonymous_visitors_are_sent_to_sign_in(client, starnberg, path):
    response = client.get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_list_shows_authorities_with_filters_by_state_and_region(signed_in, directory, starnberg):
    directory.authority("dvdv:ni-gifhorn", name="Landkreis Gifhorn", state="NI", ars="03151")

    everything = signed_in.get(LIST)
    bavaria = signed_in.get(LIST, {"state": "BY"})
    district = signed_in.get(LIST, {"region": "03151"})
    text = signed_in.get(LIST, {"q": "gifhorn"})

    names = lambda response: [a.name for a in response.context["object_list"]]  # noqa: E731
    assert {"Landratsamt Starnberg", "Landkreis Gifhorn"} <= set(names(everything))
    assert names(bavaria) == ["Landratsamt Starnberg"]
    assert names(district) == ["Landkreis Gifhorn"]
    assert names(text) == ["Landkreis Gifhorn"]
    assert de("Authorities in %(state)s", state="Bayern") in bavaria.text
    assert 'href="/verzeichnis/behoerden/dvdv:by-lra-starnberg/"' in bavaria.text


def test_list_filters_by_leika_key_and_names_a_malformed_filter(signed_in, directory, starnberg):
    directory.authority("dvdv:by-other", name="Andere Behörde")

    by_service = signed_in.get(LIST, {"leika_key": WOHNGELD})
    malformed = signed_in.get(LIST, {"region": "9x"})

    assert [a.identifier for a in by_service.context["object_list"]] == ["dvdv:by-lra-starnberg"]
    assert list(malformed.context["object_list"]) == []
    assert 'id="filter-region-error"' in malformed.text
    assert 'aria-invalid="true"' in malformed.text


def test_list_paginates(signed_in, directory):
    for number in range(27):
        directory.authority(f"test:by-{number:02}", name=f"Behörde {number:02}")

    first = signed_in.get(LIST, {"state": "BY"})
    second = signed_in.get(LIST, {"state": "BY", "page": 2})

    assert len(first.context["object_list"]) == 25
    assert len(second.context["object_list"]) == 2
    assert "state=BY&amp;page=2" in first.text


def test_list_costs_the_same_number_of_queries_for_many_authorities(signed_in, directory, django_assert_max_num_queries):
    for number in range(30):
        authority = directory.authority(f"test:q-{number:02}")
        directory.endpoint(authority)
    with django_assert_max_num_queries(8):
        response = signed_in.get(LIST, {"state": "BY"})
    assert response.status_code == 200
    assert len(response.context["object_list"]) == 25


def test_empty_list_says_what_to_do_next(signed_in):
    response = signed_in.get(LIST, {"q": "gibt es nicht"})

    assert response.status_code == 200
    assert "empty-state" in response.text
    assert response.context["filtered"]


def test_detail_shows_endpoints_with_certificate_and_validity_in_words(signed_in, directory, starnberg, certificates,
                                                                       django_assert_max_num_queries):
    fit = directory.endpoint(starnberg, destination_id="6f4d1b43-2f57-4c9a-9d4b-1e5b2c3d4e5f")
    osci = directory.endpoint(starnberg, kind="OSCI_XTA", address="https://osci.example.org/lra-starnberg",
                              certificate_pem=certificates.valid)
    soon = directory.endpoint(starnberg, kind="REST", address="https://api.example.org/soon",
                              valid_until=timezone.now() + datetime.timedelta(days=3))
    gone = directory.endpoint(starnberg, kind="EMAIL", address="poststelle@lra-starnberg.example")
    Endpoint.objects.filter(pk=gone.pk).update(active=False)  # as deactivate_endpoint leaves it, without a second actor

    with django_assert_max_num_queries(10):
        response = signed_in.get(LIST + "dvdv:by-lra-starnberg/")

    assert response.status_code == 200
    text = response.text
    assert str(fit.destination_id) in text
    assert certificates.valid_fingerprint in text
    assert "CN=osci.lra-starnberg.example" in text
    statuses = {endpoint.pk: endpoint.status for endpoint in response.context["endpoints"]}
    assert statuses == {fit.pk: "valid", osci.pk: "valid", soon.pk: "expiring", gone.pk: "inactive"}
    for words in ("valid", "expires soon", "inactive"):
        assert f">{de(words, 'endpoint status')}</span>" in text
    assert "Wohngeld" in text and WOHNGELD in text and "Starnberg" in text
    assert "/adressen/neu/" not in text  # a reader without a role sees no edit links


def test_detail_of_an_unknown_authority_is_404(signed_in):
    assert signed_in.get(LIST + "dvdv:gibt-es-nicht/").status_code == 404


def test_maintainer_of_the_state_sees_the_edit_links_others_do_not(client, make_user, starnberg):
    client.force_login(make_user("pflege-by", role="directory-maintainer", state="BY"))
    own = client.get(LIST + "dvdv:by-lra-starnberg/").text
    client.force_login(make_user("pflege-ni", role="directory-maintainer", state="NI"))
    other = client.get(LIST + "dvdv:by-lra-starnberg/").text

    assert "/verzeichnis/behoerden/dvdv:by-lra-starnberg/adressen/neu/" in own
    assert "/verzeichnis/behoerden/dvdv:by-lra-starnberg/adressen/neu/" not in other


def test_states_and_region_pages_link_to_the_authorities_for_signed_in_users(client, signed_in):
    states = signed_in.get("/laender/").text
    region = signed_in.get(f"/regionen/{STARNBERG_DISTRICT}/").text
    signed_in.logout()
    anonymous = client.get("/laender/").text

    assert 'href="/verzeichnis/behoerden/?state=BY"' in states
    assert f'href="/verzeichnis/behoerden/?region={STARNBERG_DISTRICT}"' in region
    assert "/verzeichnis/behoerden/" not in anonymous
