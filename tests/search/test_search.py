"""Search behaves alike on both backends: German as citizens type it, facets, filters."""
import pytest

from directory.models import State
from fitstore import search
from store import services
from store.models import OnlineService, Topic

INDEX = "online_services"


def slugs(result):
    ids = [int(hit.object_id) for hit in result.hits]
    by_id = OnlineService.objects.in_bulk(ids)
    return [by_id[object_id].slug for object_id in ids if object_id in by_id]


@pytest.mark.parametrize("query", ["Wohngeld", "Wohngeldantrag", "wohngelt", "Wohngeld beantragen", "WOHNGELD"])
def test_wohngeld_is_found_as_citizens_type_it(search_backend, query):
    result = search.search(INDEX, query)
    assert slugs(result)[:1] == ["wohngeld"], (query, slugs(result))
    assert result.backend == search_backend
    assert result.fallback is False


@pytest.mark.parametrize("query", ["Bafoeg", "BAföG", "bafög"])
def test_umlauts_written_out_match(search_backend, query):
    assert slugs(search.search(INDEX, query))[:1] == ["bafoeg"]


def test_umlaut_in_the_index_matches_query_without(search_backend, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.register_online_service(
            slug="fuehrerschein", name="Führerschein umtauschen", provider_state="BY", actor="test"
        )
    assert slugs(search.search(INDEX, "Fuehrerschein"))[:1] == ["fuehrerschein"]
    assert slugs(search.search(INDEX, "fuhrerschein"))[:1] == ["fuehrerschein"]  # a typo, too


def test_synonym_of_an_everyday_word(search_backend):
    assert slugs(search.search(INDEX, "Umzug"))[:1] == ["wohnsitzanmeldung"]


def test_compound_part_finds_the_compound(search_backend):
    # "Geburtsurkunde" is indexed as geburt + urkunde too
    assert "geburtsurkunde" in slugs(search.search(INDEX, "Urkunde"))


def test_nothing_found(search_backend):
    result = search.search(INDEX, "Xylophonunterricht")
    assert (result.total, result.hits) == (0, [])


def test_stopwords_only(search_backend):
    assert search.search(INDEX, "und oder die").total == 0


def test_facets_count_the_matches(search_backend):
    result = search.search(INDEX, "Wohnsitz Wohngeld Bauantrag")
    assert set(slugs(result)) >= {"wohngeld", "wohnsitzanmeldung", "baugenehmigung"}
    assert result.facets["topic"]["2"] == 3
    assert result.facets["provider_state"] == {"MV": 2, "HH": 1} | {
        code: count for code, count in result.facets["provider_state"].items() if code not in ("MV", "HH")
    }
    assert result.facets["lifecycle"]["AVAILABLE"] >= 1
    assert sum(result.facets["lifecycle"].values()) == result.total


def test_filters_narrow_hits_and_facets(search_backend):
    result = search.search(INDEX, "Wohnsitz Wohngeld Bauantrag", filters={"provider_state": "MV"})
    assert set(slugs(result)) == {"wohngeld", "baugenehmigung"}
    assert result.facets["provider_state"] == {"MV": 2}
    result = search.search(INDEX, "Wohngeld", filters={"topic": "6"})
    assert "wohngeld" not in slugs(result)


def test_update_is_indexed_on_commit(search_backend, django_capture_on_commit_callbacks):
    online_service = OnlineService.objects.get(slug="elterngeld")
    with django_capture_on_commit_callbacks(execute=True):
        services.update_online_service(online_service, summary="Auch für Pflegeeltern mit Zwillingen", actor="test")
    assert slugs(search.search(INDEX, "Zwillinge"))[:1] == ["elterngeld"]


def test_facet_labels_are_german(search_backend):
    index = search.get_index(INDEX)
    assert index.facet_labels("lifecycle", ["AVAILABLE", "PILOT"]) == {"AVAILABLE": "Verfügbar", "PILOT": "Pilotbetrieb"}
    assert index.facet_labels("provider_state", ["MV"]) == {"MV": State.objects.by_code("MV").name}
    topic = Topic.objects.first()
    assert index.facet_labels("topic", [topic.code]) == {topic.code: topic.name}


def test_rebuild_command_prints_a_summary(db, capsys):
    from django.core.management import call_command

    call_command("search_index", "--rebuild", "--backend", "embedded")
    out = capsys.readouterr().out
    assert out.startswith("Search index: ") and out.strip().endswith("s.")
    assert "online_services (embedded): 6" in out and "authorities (embedded): " in out


@pytest.mark.parametrize("typed, slug", [("Wohng", "wohngeld"), ("Geburtsu", "geburtsurkunde"), ("Eltern dig", "elterngeld"),
                                         ("BAf", "bafoeg")])
def test_as_you_type(search_backend, typed, slug):
    assert slugs(search.search(INDEX, typed, as_you_type=True))[:1] == [slug]
