"""The catalogue in the web UI: OnlineServiceFilterSet behind a paginated list, and the detail page."""
import pytest

from directory.models import State
from store.choices import Lifecycle
from store.filtersets import OnlineServiceFilterSet
from store.models import OnlineService, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def topic():
    return Topic.objects.create(code="T-TEST", name="Testthema")


def make(slug, name, state="ST", **fields):
    return OnlineService.objects.create(
        slug=slug, name=name, provider_state=State.objects.get(code=state), **fields
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
    assert list(response.context["object_list"].values_list("slug", flat=True)) == ["t-wohngeld"]
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

    with django_assert_max_num_queries(8):
        client.get("/katalog/", {"q": "Abfragetest"})


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
