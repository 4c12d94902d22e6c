"""Limits before execution: depth, aliases, cost, body size; parsed documents are cached."""
import json

import pytest

from api.views import parse_and_validate
from fitstore.graphql_limits import LIMITS

pytestmark = pytest.mark.django_db


def nested(levels: int) -> str:
    query = "ars"
    for _ in range(levels - 2):  # region and ars are two of the levels
        query = f"parent {{ {query} }}"
    return f'{{ region(ars: "091880113113") {{ {query} }} }}'


def test_depth_within_the_limit_runs(graphql):
    assert "region" in graphql.data(nested(LIMITS.max_depth))


def test_too_deep_a_query_is_refused_before_execution(graphql, django_assert_num_queries):
    with django_assert_num_queries(0):
        content = graphql.execute(nested(LIMITS.max_depth + 1))

    assert content["errors"][0]["extensions"]["code"] == "QUERY_TOO_DEEP"
    assert "data" not in content or content["data"] is None


def test_too_many_aliases_are_refused(graphql):
    fields = " ".join(f"a{i}: __typename" for i in range(LIMITS.max_aliases + 1))

    content = graphql.execute(f"{{ {fields} }}")

    assert content["errors"][0]["extensions"]["code"] == "TOO_MANY_ALIASES"


REGIONS_PAGE = """
query Pages($first: Int) {
  %s
}
"""


def test_cost_counts_page_sizes_also_from_variables(graphql, django_assert_num_queries, monkeypatch):
    from fitstore import graphql_limits

    # Today's schema nests no connection in another, so a lower ceiling shows the mechanism.
    monkeypatch.setattr(graphql_limits, "LIMITS", graphql_limits.Limits(max_cost=5_000))
    pages = " ".join(
        f"p{i}: regions(first: $first) {{ totalCount edges {{ node {{ ars name level postcode population kind ags seat }} }} }}"
        for i in range(10)
    )
    query = REGIONS_PAGE % pages

    with django_assert_num_queries(0):
        refused = graphql.execute(query, {"first": 100})
    allowed = graphql.execute(query, {"first": 5})

    error = refused["errors"][0]
    assert error["extensions"]["code"] == "QUERY_TOO_COSTLY"
    assert error["extensions"]["cost"] == 10 * (1 + 100 * (1 + 1 + 1 + 8)) > 5_000
    assert "errors" not in allowed and len(allowed["data"]["p9"]["edges"]) == 5


def test_oversized_body_is_413(client):
    body = json.dumps({"query": "{ __typename }", "variables": {"pad": "x" * LIMITS.max_body_bytes}})

    response = client.post("/graphql/", body, content_type="application/json")

    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"


def test_batches_are_not_accepted(client):
    response = client.post("/graphql/", json.dumps([{"query": "{ __typename }"}]), content_type="application/json")

    assert response.status_code == 400


def test_a_document_is_parsed_and_validated_once(graphql):
    query = "query CacheProbe { states { code } }"
    graphql.data(query)
    hits = parse_and_validate.cache_info().hits

    graphql.data(query)

    assert parse_and_validate.cache_info().hits == hits + 1
