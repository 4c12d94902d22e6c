"""The catalogue in the web UI: OnlineServiceFilterSet behind a paginated list with facets, and
the online service page."""
import re

import pytest

from directory.models import State
from licensing.choices import SubscriptionStatus
from store import services
from store.choices import Lifecycle
from store.filtersets import OnlineServiceFilterSet
from store.models import OnlineService, Topic
from tests.api.store.conftest import git_repository, local_repositories  # noqa: F401 (fixtures)
from tests.licensing.support import subscription

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return Topic.objects.create(code="T-TEST", name="Testthema")


def make(slug, name, state="ST", **fields):
    return OnlineService.objects.create(
        slug=slug, name=name, provider_state=State.objects.by_code(state), **fields
    )


def slugs(data):
    return set(OnlineServiceFilterSet(data, queryset=OnlineService.objects.filter(slug__startswith="t-")).qs.values_list("slug", flat=True))


def test_filterset_speaks_the_shared_vocabulary(topic):
    make("t-wohngeld", "Testwohngeld", summary="Mietzuschuss beantragen", lifecycle=Lifecycle.AVAILABLE, topic=topic)
    make("t-parken", "Bewohnerparkausweis Test", state="BY", lifecycle=Lifecycle.PILOT)

    assert slugs({"q": "MIETZUSCHUSS"}) == {"t-wohngeld"}
    assert slugs({"q": "test"}) == {"t-wohngeld", "t-parken"}
    assert slugs({"provider_state": "by"}) == {"t-parken"}
    assert slugs({"lifecycle": "AVAILABLE"}) == {"t-wohngeld"}
    assert slugs({"topic": "T-TEST"}) == {"t-wohngeld"}


def test_catalogue_lists_and_filters(client, topic):
    make("t-wohngeld", "Testwohngeld", summary="Mietzuschuss beantragen", lifecycle=Lifecycle.AVAILABLE, topic=topic)
    make("t-parken", "Bewohnerparkausweis Test", state="BY")

    response = client.get("/katalog/", {"q": "Testwohngeld"})

    assert response.status_code == 200
    assert "t-wohngeld" in response.context["object_list"].values_list("slug", flat=True)  # q is the search now
    assert 'href="/katalog/t-wohngeld/"' in response.text
    assert "Mietzuschuss beantragen" in response.text and "Sachsen-Anhalt" in response.text
    assert 'value="Testwohngeld"' in response.text  # the form keeps what was asked


def test_catalogue_reports_a_filter_it_cannot_apply(client):
    response = client.get("/katalog/", {"lifecycle": "SOMEDAY"})

    assert response.status_code == 200
    assert 'role="alert"' in response.text
    assert response.context["paginator"].count == 0


def test_catalogue_pages_keep_the_filters(client):
    for number in range(30):
        make(f"t-dienst-{number:02}", f"Seitentest {number:02}")

    first = client.get("/katalog/", {"q": "Seitentest"})
    second = client.get("/katalog/", {"q": "Seitentest", "page": 2})

    assert len(first.context["object_list"]) == 25 and len(second.context["object_list"]) == 5
    assert 'href="?q=Seitentest&amp;page=2"' in first.text


def test_catalogue_queries_do_not_grow_with_the_results(client, django_assert_max_num_queries):
    for number in range(25):
        make(f"t-dienst-{number:02}", f"Abfragetest {number:02}")

    # count, page, 4 facet counts, states and topics for the facets' labels; one search (4)
    with django_assert_max_num_queries(16):
        client.get("/katalog/", {"q": "Abfragetest"})


def test_catalogue_queries_are_the_same_for_one_or_many_results(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    make("t-einer-00", "Einzeltest 00")
    with CaptureQueriesContext(connection) as one:
        client.get("/katalog/", {"q": "Einzeltest", "provider_state": "ST"})
    for number in range(1, 25):
        make(f"t-einer-{number:02}", f"Einzeltest {number:02}")
    with CaptureQueriesContext(connection) as many:
        client.get("/katalog/", {"q": "Einzeltest", "provider_state": "ST"})

    assert len(many.captured_queries) == len(one.captured_queries) <= 18  # incl. one search (4)


def test_detail_page_shows_the_basics(client, topic):
    service = make("t-wohngeld", "Testwohngeld", summary="Mietzuschuss", topic=topic, is_demo=True)

    response = client.get("/katalog/t-wohngeld/")

    assert response.status_code == 200
    assert response.context["online_service"] == service
    assert "<h1>Testwohngeld</h1>" in response.text
    assert "Sachsen-Anhalt" in response.text and "Testthema" in response.text
    assert "Beispiel" in response.text


def test_detail_page_of_an_unknown_slug_is_404(client):
    assert client.get("/katalog/gibt-es-nicht/").status_code == 404


def facet(response, name):
    return {option.value: option.count for option in response.context["facets"][name].options}


def test_facets_count_what_each_choice_would_give(client, topic):
    make("t-eins", "Facettentest Eins", state="BY", lifecycle=Lifecycle.AVAILABLE, topic=topic)
    make("t-zwei", "Facettentest Zwei", state="BY", lifecycle=Lifecycle.PILOT, topic=topic)
    make("t-drei", "Facettentest Drei", state="HB", lifecycle=Lifecycle.AVAILABLE)

    response = client.get("/katalog/", {"q": "Facettentest", "provider_state": "BY"})

    assert response.context["paginator"].count == 2
    # A facet counts with every filter but its own: choosing another state is still possible.
    assert facet(response, "provider_state")["BY"] == 2 and facet(response, "provider_state")["HB"] == 1
    assert facet(response, "provider_state")["NW"] == 0
    assert facet(response, "lifecycle") == {"PLANNED": 0, "IN_DEVELOPMENT": 0, "PILOT": 1, "AVAILABLE": 1, "RETIRED": 0}
    assert facet(response, "topic")["T-TEST"] == 2
    assert '<option value="BY" selected>Bayern (2)</option>' in response.text
    assert ">Bremen (1)</option>" in response.text


def test_life_situation_facet_offers_the_situations_present(client):
    response = client.get("/katalog/", {"provider_state": "MV"})  # demo: wohngeld and baugenehmigung

    situations = facet(response, "life_situation")
    assert situations == {"55": 1, "21": 1, "14": 1}
    assert response.context["facets"]["life_situation"].options[0].label <= response.context["facets"]["life_situation"].options[-1].label

    chosen = client.get("/katalog/", {"life_situation": "26"})  # Geburt: elterngeld, geburtsurkunde
    assert set(chosen.context["object_list"].values_list("slug", flat=True)) == {"elterngeld", "geburtsurkunde"}


def test_leika_key_filter_and_its_error_is_tied_to_the_field(client):
    wohngeld = OnlineService.objects.get(slug="wohngeld")
    key = wohngeld.services.exclude(leika_key=None).values_list("leika_key", flat=True).first()

    found = client.get("/katalog/", {"leika_key": key})
    assert list(found.context["object_list"].values_list("slug", flat=True)) == ["wohngeld"]
    assert any(active.name == "leika_key" and key in active.value for active in found.context["active_filters"])

    refused = client.get("/katalog/", {"leika_key": "12345"})
    assert refused.context["paginator"].count == 0
    assert 'aria-invalid="true"' in refused.text and 'id="id_leika_key_errors"' in refused.text
    assert re.search(r'aria-describedby="id_leika_key_hint id_leika_key_errors"', refused.text)


def test_active_filters_are_listed_and_removable(client):
    response = client.get("/katalog/", {"provider_state": "mv", "lifecycle": "AVAILABLE", "page": "1"})

    active = {item.name: item for item in response.context["active_filters"]}
    assert set(active) == {"provider_state", "lifecycle"}
    assert active["provider_state"].value == "Mecklenburg-Vorpommern"
    assert active["provider_state"].remove_url == "?lifecycle=AVAILABLE"
    assert active["lifecycle"].remove_url == "?provider_state=mv"
    assert 'href="?lifecycle=AVAILABLE"' in response.text
    assert "Alle Filter entfernen" in response.text or "Remove all filters" in response.text


def test_filters_without_a_facet_are_kept_when_applying_the_form(client):
    response = client.get("/katalog/", {"maturity_level": "3"})

    assert '<input type="hidden" name="maturity_level" value="3">' in response.text
    assert {item.name for item in response.context["active_filters"]} == {"maturity_level"}


def test_empty_result_says_what_to_do_next(client):
    response = client.get("/katalog/", {"q": "gibt es nirgends xyz"})

    assert response.context["paginator"].count == 0
    assert 'class="empty-state"' in response.text
    assert 'href="/#journeys-heading"' in response.text


def test_detail_page_shows_provider_lifecycle_and_maturity_in_words(client):
    response = client.get("/katalog/wohngeld/")

    text = response.text
    assert "Mecklenburg-Vorpommern" in text and "DVZ M-V (Demo)" in text and "BMI" in text
    assert "Verfügbar" in text  # lifecycle AVAILABLE in words
    assert "3 – Online-Leistung inkl. Bescheid" in text  # Reifegrad 3 in words
    assert 'href="/themen/2/"' in text and 'href="/lebenslagen/55-wohnen-umzug/"' in text


def test_detail_page_lists_the_seven_criteria_with_evidence_and_the_computed_c6(client):
    for code in ["BY", "BE", "BB", "HB", "HH", "HE", "NI", "NW"]:
        subscription(code, "wohngeld", SubscriptionStatus.CONNECTED)

    response = client.get("/katalog/wohngeld/")

    criteria = response.context["criteria"]
    assert [criterion.code for criterion in criteria] == ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]
    assert all(criterion.met for criterion in criteria) and response.context["efa_conformant"] is True
    assert "Demo: Bund-Länder-Arbeitsgruppe eingebunden." in response.text  # C5's evidence
    assert "9 von mindestens 9 Ländern angeschlossen" in response.text  # C6, computed
    assert response.text.count('class="checklist__item checklist__item--met"') == 7 + 3  # criteria and readiness


def test_detail_page_says_which_criteria_are_not_met(client):
    response = client.get("/katalog/geburtsurkunde/")

    assert response.context["criteria_met"] == 0 and response.context["efa_conformant"] is False
    assert response.text.count("checklist__item--unmet\"") >= 7


def test_detail_page_shows_interfaces_components_and_releases_newest_version_first(client, git_repository):
    wohngeld = OnlineService.objects.get(slug="wohngeld")
    services.set_repository(wohngeld, url=git_repository.url, license="EUPL-1.2", actor="system:test")
    git_repository.commit("Antrag")
    git_repository.tag("v1.0.0")
    git_repository.commit("Nachweise hochladen")
    git_repository.tag("v1.10.0")
    git_repository.commit("Korrektur")
    git_repository.tag("v1.2.0")
    for tag in ["v1.0.0", "v1.2.0", "v1.10.0"]:
        services.publish_release(wohngeld, tag, actor="system:test")

    response = client.get("/katalog/wohngeld/")

    text = response.text
    assert "FIT-Connect Submission API" in text and "urn:xoev-de:fim:standard:xdatenfelder" in text
    assert re.search(r"<td>3\.0\.0</td>\s*<td>Sender</td>", text)  # xdatenfelder: version and role
    assert "<li>Nutzerkonto Bund (BundID)</li>" in text and "<li>eID (Online-Ausweisfunktion)</li>" in text
    assert "EUPL-1.2" in text
    versions = [release.version for release in response.context["releases_page"].object_list]
    assert versions == ["1.10.0", "1.2.0", "1.0.0"]  # semver, not tag name or date
    assert response.context["latest_release"].version == "1.10.0"
    assert text.index("Version 1.10.0") < text.index("Version 1.2.0") < text.index("Version 1.0.0")
    assert "<li>Nachweise hochladen</li>" in text  # the changelog of 1.10.0


def test_detail_queries_do_not_grow_with_releases(client, git_repository):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    wohngeld = OnlineService.objects.get(slug="wohngeld")
    services.set_repository(wohngeld, url=git_repository.url, actor="system:test")

    def publish(number):
        git_repository.commit(f"Stand {number}")
        git_repository.tag(f"v1.{number}.0")
        services.publish_release(wohngeld, f"v1.{number}.0", actor="system:test")

    publish(0)
    client.get("/katalog/wohngeld/")  # warm what is cached per process
    with CaptureQueriesContext(connection) as one:
        client.get("/katalog/wohngeld/")
    for number in range(1, 6):
        publish(number)
    with CaptureQueriesContext(connection) as six:
        client.get("/katalog/wohngeld/")

    assert len(six.captured_queries) == len(one.captured_queries)
    assert len(six.captured_queries) <= 16, [query["sql"][:80] for query in six.captured_queries]
