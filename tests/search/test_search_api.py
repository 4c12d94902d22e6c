"""The contract's `Search` over HTTP, on both backends."""
from directory.models import State

SEARCH = """
query Search($query: String!, $first: Int, $providerState: String, $topic: String) {
  search(query: $query, first: $first, providerState: $providerState, topic: $topic) {
    totalCount
    facets { name buckets { value label count } }
    hits { score highlight onlineService { slug name } }
  }
}
"""


def test_search(graphql, search_backend):
    data = graphql.data(SEARCH, {"query": "Wohngeld beantragen"})["search"]
    first = data["hits"][0]
    assert first["onlineService"] == {"slug": "wohngeld", "name": "Wohngeld online beantragen"}
    assert first["score"] > 0
    assert "<em>Wohngeld</em>" in first["highlight"]
    assert data["totalCount"] >= len(data["hits"])
    facets = {facet["name"]: facet["buckets"] for facet in data["facets"]}
    assert set(facets) == {"topic", "providerState", "lifecycle"}
    mv = next(bucket for bucket in facets["providerState"] if bucket["value"] == "MV")
    assert mv["label"] == State.objects.by_code("MV").name
    assert {"value": "AVAILABLE", "label": "Verfügbar", "count": 2} in facets["lifecycle"] or any(
        bucket["label"] == "Verfügbar" for bucket in facets["lifecycle"]
    )


def test_search_filters_and_first(graphql, search_backend):
    data = graphql.data(SEARCH, {"query": "Wohnsitz Wohngeld Bauantrag", "providerState": "mv", "first": 1})["search"]
    assert data["totalCount"] == 2
    assert len(data["hits"]) == 1


def test_fallback_flag(graphql, search_backend):
    content = graphql.data("{ search(query: \"Wohngeld\") { fallback } }")
    assert content["search"]["fallback"] is False


def test_bad_arguments(graphql, db):
    for variables, argument in (({"query": "x", "first": 101}, "first"), ({"query": "x", "providerState": "XX"},
                                "providerState"), ({"query": "x", "topic": "nope"}, "topic")):
        content = graphql.execute(SEARCH, variables)
        assert content["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
        assert content["errors"][0]["message"].startswith(argument)


def test_search_query_count(graphql, search_backend, django_assert_num_queries):
    # engine: hits in one query, topic and state labels in one each; embedded: four more for the
    # index (typo candidates of the one word, document count, postings, facet values)
    with django_assert_num_queries({"engine": 3, "embedded": 7}[search_backend]):
        graphql.data(SEARCH, {"query": "Wohngeld", "first": 10})


SEARCH_SUGGESTIONS = """
query SearchSuggestions($query: String!, $first: Int) {
  searchSuggestions(query: $query, first: $first) { highlight onlineService { slug name } }
}
"""


def test_suggestions_as_you_type(graphql, search_backend):
    data = graphql.data(SEARCH_SUGGESTIONS, {"query": "Eltern dig"})["searchSuggestions"]
    assert data[0]["onlineService"]["slug"] == "elterngeld"
    assert data[0]["highlight"].startswith("<em>Elterngeld</em> <em>digital</em>")
    data = graphql.data(SEARCH_SUGGESTIONS, {"query": "Wohng", "first": 1})["searchSuggestions"]
    assert [hit["onlineService"]["slug"] for hit in data] == ["wohngeld"]
