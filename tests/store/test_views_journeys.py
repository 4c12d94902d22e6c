"""The user journeys ("Nutzerreisen") of the web UI: the home page's navigation by topic and life
situation, and a page per topic and per life situation with its online and OZG services."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from store.models import LifeSituation, OzgService, Topic
from store.views import OZG_PAGE_SIZE, life_situation_slug

pytestmark = pytest.mark.django_db


def test_home_links_every_topic_and_its_life_situations(client):
    response = client.get("/")

    assert response.status_code == 200
    topics = response.context["topics"]
    assert len(topics) == Topic.objects.count() == 14
    for topic in topics:
        assert f'href="/themen/{topic.code}/"' in response.text
    housing = next(topic for topic in topics if topic.code == "2")
    assert (housing.online_service_count, housing.ozg_service_count) == (3, 58)
    assert [situation.name for situation in housing.situations] == [
        "Bauen & Immobilien", "Hausbau & Immobilienerwerb", "Wohnen & Umzug"]
    assert 'href="/lebenslagen/55-wohnen-umzug/"' in response.text
    assert 'id="home-search"' in response.text  # the search box stays


def test_home_leaves_out_life_situations_without_any_service(client):
    empty = LifeSituation.objects.filter(ozg_services=None, online_services=None)
    assert empty.exists()  # the catalogue has a few rows without services (test rows of the source)

    response = client.get("/")

    shown = {situation.code for topic in response.context["topics"] for situation in topic.situations}
    assert shown and not shown & set(empty.values_list("code", flat=True))


def test_home_queries_are_few(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):  # topics, life situations, states, count of online services
        client.get("/")


def test_topic_page_lists_life_situations_online_services_and_ozg_services(client):
    response = client.get("/themen/2/")

    assert response.status_code == 200
    assert response.context["topic"].name == "Bauen & Wohnen"
    assert {situation.code for situation in response.context["life_situations"]} == {"14", "30", "55"}
    assert {service.slug for service in response.context["online_services"]} == {
        "wohngeld", "wohnsitzanmeldung", "baugenehmigung"}
    assert response.context["ozg_count"] == 58
    assert 'href="/katalog/?topic=2"' in response.text


def test_topic_page_shows_which_online_service_implements_which_ozg_service(client):
    # OZG service 10092 (Wohngeld) belongs to "Arbeit & Ruhestand"; the demo's Wohngeld service
    # (topic "Bauen & Wohnen") implements it through its LeiKa services.
    response = client.get("/themen/1/")

    rows = {service.ozg_id: service for service in response.context["ozg_page"].object_list}
    assert len(rows) == response.context["ozg_count"] == 30
    assert [item["slug"] for item in rows["10092"].online_services] == ["wohngeld"]
    assert [ozg_id for ozg_id, row in rows.items() if row.online_services] == ["10092"]
    assert response.context["online_service_count"] == 0  # none has this topic as its own


def test_topic_page_paginates_its_ozg_services(client):
    first = client.get("/themen/14/")  # Unternehmensführung & -entwicklung: 78 OZG services
    second = client.get("/themen/14/", {"page": 2})

    assert first.context["ozg_count"] == OzgService.objects.filter(topic__code="14").count() > OZG_PAGE_SIZE
    assert len(first.context["ozg_page"].object_list) == OZG_PAGE_SIZE
    assert len(second.context["ozg_page"].object_list) == first.context["ozg_count"] - OZG_PAGE_SIZE
    assert 'href="?page=2#ozg-heading"' in first.text
    # No online service here: the page says what to do next.
    assert first.context["online_service_count"] == 0 and 'class="empty-state"' in first.text


def test_life_situation_page_shows_which_online_service_implements_which_ozg_service(client):
    response = client.get("/lebenslagen/26-geburt/")

    assert response.status_code == 200
    assert {service.slug for service in response.context["online_services"]} == {"elterngeld", "geburtsurkunde"}
    rows = {service.ozg_id: service for service in response.context["ozg_page"].object_list}
    assert [item["slug"] for item in rows["10000"].online_services] == ["elterngeld"]  # Elterngeld
    assert '<a href="/katalog/elterngeld/">' in response.text
    assert 'href="/themen/6/"' in response.text  # its topic, Familie & Kind


def test_life_situation_urls_are_canonical(client):
    geburt = LifeSituation.objects.get(code="26")
    assert life_situation_slug(geburt) == "26-geburt"
    assert life_situation_slug(LifeSituation.objects.get(code="25")) == "25-fuehrerschein"  # umlauts spelt out

    moved = client.get("/lebenslagen/26/")
    assert moved.status_code == 301 and moved["Location"] == "/lebenslagen/26-geburt/"
    assert client.get("/lebenslagen/26-falscher-name/")["Location"] == "/lebenslagen/26-geburt/"
    assert client.get("/lebenslagen/9999-nichts/").status_code == 404
    assert client.get("/themen/9999/").status_code == 404


def test_journey_pages_do_not_grow_with_the_ozg_services_shown(client):
    with CaptureQueriesContext(connection) as small:
        client.get("/lebenslagen/26-geburt/")  # 11 OZG services
    with CaptureQueriesContext(connection) as large:
        client.get("/themen/14/")  # 50 of 78 OZG services, plus the topic's life situations
    assert len(small.captured_queries) <= 8 and len(large.captured_queries) <= 8
