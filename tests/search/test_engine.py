"""The engine backend's bookkeeping: writes never fail when it is down, catch-up, alias swaps."""
import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from fitstore import search
from fitstore.search.engine import EngineBackend
from fitstore.search.models import SearchDirty
from store import services
from store.models import OnlineService

INDEX = "online_services"


def test_write_with_the_engine_down_succeeds_and_is_found_after_catch_up(
    db, engine_url, dead_engine_url, django_capture_on_commit_callbacks
):
    with override_settings(SEARCH_URL=engine_url):
        search.rebuild(search.get_index(INDEX), backend="engine")
    with override_settings(SEARCH_URL=dead_engine_url):
        with django_capture_on_commit_callbacks(execute=True):
            online_service = services.register_online_service(
                slug="hundesteuer", name="Hundesteuer anmelden", provider_state="NW", actor="test"
            )
        assert OnlineService.objects.filter(slug="hundesteuer").exists()
        assert SearchDirty.objects.filter(index=INDEX, object_id=str(online_service.pk)).exists()
        # meanwhile the embedded index answers, and says so
        result = search.search(INDEX, "Hundesteuer")
        assert result.fallback is True
        assert [hit.object_id for hit in result.hits][:1] == [str(online_service.pk)]
    with override_settings(SEARCH_URL=engine_url):
        assert search.search(INDEX, "Hundesteuer").total == 0  # the engine missed the write
        call_command("search_index", "--catch-up", verbosity=0)
        result = search.search(INDEX, "Hundesteuer")
        assert (result.fallback, [hit.object_id for hit in result.hits][:1]) == (False, [str(online_service.pk)])
        assert not SearchDirty.objects.exists()


def test_next_write_catches_up(db, engine_url, dead_engine_url, django_capture_on_commit_callbacks):
    with override_settings(SEARCH_URL=dead_engine_url), django_capture_on_commit_callbacks(execute=True):
        first = services.register_online_service(slug="hunde", name="Hundehaltung", provider_state="NW", actor="test")
    with override_settings(SEARCH_URL=engine_url):
        with django_capture_on_commit_callbacks(execute=True):
            services.register_online_service(slug="katzen", name="Katzenhaltung", provider_state="NW", actor="test")
        assert search.search(INDEX, "Hundehaltung", backend="engine").hits[0].object_id == str(first.pk)
    assert not SearchDirty.objects.exists()


def test_catch_up_while_still_down_keeps_the_rows(db, dead_engine_url, django_capture_on_commit_callbacks):
    with override_settings(SEARCH_URL=dead_engine_url):
        with django_capture_on_commit_callbacks(execute=True):
            services.register_online_service(slug="x-dienst", name="X-Dienst", provider_state="NW", actor="test")
        with pytest.raises(Exception, match="unreachable"):
            call_command("search_index", "--catch-up", verbosity=0)
    assert SearchDirty.objects.count() == 1


def test_rebuild_swaps_the_alias(engine_url, db):
    with override_settings(SEARCH_URL=engine_url):
        call_command("search_index", "--rebuild", "--backend", "engine", verbosity=0)
        backend = EngineBackend(engine_url)
        index = search.get_index(INDEX)
        alias = backend.alias(index)
        first = backend._physical_indexes(alias)
        call_command("search_index", "--rebuild", "--backend", "engine", verbosity=0)
        second = backend._physical_indexes(alias)
        assert len(first) == len(second) == 1 and first != second
        assert alias == "test-online_services"
        assert search.search(INDEX, "Wohngeld").total >= 1


def test_query_is_elasticsearch_dsl(engine_url, db):
    from fitstore.search import analysis

    backend = EngineBackend(engine_url)
    index = search.get_index(INDEX)
    terms = analysis.analyse_query("wohngelt")
    stats = backend.build_stats_search(index, terms).to_dict()
    assert set(stats["aggs"]) == {"exact0", "typo0"} and stats["size"] == 0
    body = backend.build_search(index, terms, filters={"topic": "2"},
                                stats={"total": 100, "exact": {0: 0}, "typo": {0: 3}}).to_dict()
    typos = [clause["constant_score"]["filter"]["bool"]["must"][0]["multi_match"]
             for clause in body["query"]["bool"]["should"]]
    assert typos and all(typo["fuzziness"] == "AUTO" and typo["prefix_length"] == analysis.PREFIX_LENGTH
                         for typo in typos)
    assert body["query"]["bool"]["filter"] == [{"term": {"facet_topic": "2"}}]
    assert set(body["aggs"]) == {"topic", "provider_state", "lifecycle"}


def test_unsupported_scheme():
    with pytest.raises(ValueError, match="unsupported scheme"):
        EngineBackend("solr://localhost:8983")


def test_engine_without_an_index_falls_back(engine_url, db):
    with override_settings(SEARCH_URL=engine_url):
        result = search.search(INDEX, "Wohngeld")
    assert result.fallback is True and result.total >= 1


def test_empty_embedded_index_is_built_from_the_database(db):
    from fitstore.search.models import SearchTerm

    SearchTerm.objects.filter(index=INDEX).delete()
    with override_settings(SEARCH_URL=""):
        result = search.search(INDEX, "Wohngeld")
    assert result.total >= 1
    assert SearchTerm.objects.filter(index=INDEX, term="=doc").count() == OnlineService.objects.count()


def test_elasticsearch_client_gets_keyword_arguments(monkeypatch):
    """The elasticsearch 8 client takes the body's parts as arguments (no `body`)."""
    from fitstore.search.engine import _Client

    client = _Client("elasticsearch+https://user:secret@search.example:9243/fitstore")
    calls = []
    monkeypatch.setattr(client.raw, "search", lambda **kwargs: calls.append(kwargs) or {}, raising=False)
    client.call("search", index="fitstore-online_services", body={"query": {"match_all": {}}, "_source": False, "size": 3})
    assert calls == [{"index": "fitstore-online_services", "query": {"match_all": {}}, "source": False, "size": 3}]
    assert client.prefix == "fitstore"
