"""`authorities` of the contract (gateway.graphql: Authorities) through AuthorityFilterSet:
needs a token; filters by state, region prefix, kind, LeiKa key and free text."""
import pytest
from graphql_relay import to_global_id

from tests.directory.fixtures import BERG, SAMTGEMEINDE_BROME, STARNBERG_DISTRICT, WOHNGELD

AUTHORITIES_QUERY = """
query Authorities($state: String, $search: String, $first: Int, $after: String) {
  authorities(state: $state, search: $search, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id identifier name kind region { ars name } endpoints { kind address destinationId } } }
  }
}
"""

FILTERED_QUERY = """
query Filtered($region: String, $kind: String, $leikaKey: String, $q: String) {
  authorities(region: $region, kind: $kind, leikaKey: $leikaKey, q: $q, first: 50) {
    totalCount
    edges { node { identifier } }
  }
}
"""


@pytest.fixture
def entries(directory, samtgemeinde):
    starnberg = directory.authority("by:lra-starnberg", name="Landratsamt Starnberg")
    directory.endpoint(starnberg, destination_id="9d618546-0ff7-4e93-9f15-714e5dd1bf12",
                       address="https://submission.fit-connect.example/v1")
    directory.responsible(starnberg, WOHNGELD, STARNBERG_DISTRICT)
    directory.authority("by:gemeinde-berg", name="Gemeinde Berg", ars=BERG, kind="MUNICIPAL")
    directory.authority("ni:sg-brome", name="Samtgemeinde Brome", state="NI", ars=SAMTGEMEINDE_BROME, kind="MUNICIPAL")


def identifiers(connection):
    return [edge["node"]["identifier"] for edge in connection["edges"]]


def test_anonymous_callers_get_unauthenticated(graphql, entries):
    content = graphql.execute(AUTHORITIES_QUERY, {"first": 10})

    assert content["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert content["data"] == {"authorities": None}


@pytest.mark.parametrize("role, state", [(None, None), ("gateway", None), ("directory-maintainer", "NI")])
def test_any_token_lists_authorities_of_a_state(graphql, make_user, make_token, entries, role, state):
    token = make_token(make_user("reader", role=role, state=state))

    result = graphql.data(AUTHORITIES_QUERY, {"state": "BY", "first": 10}, token=token)["authorities"]

    assert result["totalCount"] == 2
    assert identifiers(result) == ["by:gemeinde-berg", "by:lra-starnberg"]
    starnberg = result["edges"][1]["node"]
    assert starnberg["kind"] == "DISTRICT" and starnberg["region"] == {"ars": STARNBERG_DISTRICT, "name": "Starnberg"}
    assert starnberg["endpoints"] == [{"kind": "FIT_CONNECT", "address": "https://submission.fit-connect.example/v1",
                                       "destinationId": "9d618546-0ff7-4e93-9f15-714e5dd1bf12"}]


def test_search_and_paging(graphql, make_user, make_token, entries):
    token = make_token(make_user("gw", role="gateway"))

    assert identifiers(graphql.data(AUTHORITIES_QUERY, {"search": "brome", "first": 10}, token=token)["authorities"]) \
        == ["ni:sg-brome"]
    first = graphql.data(AUTHORITIES_QUERY, {"first": 2}, token=token)["authorities"]
    rest = graphql.data(AUTHORITIES_QUERY, {"first": 2, "after": first["pageInfo"]["endCursor"]}, token=token)["authorities"]
    assert first["pageInfo"]["hasNextPage"] and not rest["pageInfo"]["hasNextPage"]
    assert identifiers(first) + identifiers(rest) == ["by:gemeinde-berg", "by:lra-starnberg", "ni:sg-brome"]


@pytest.mark.parametrize(
    "variables, expected",
    [
        ({"region": "09188"}, ["by:gemeinde-berg", "by:lra-starnberg"]),
        ({"region": BERG}, ["by:gemeinde-berg"]),
        ({"kind": "MUNICIPAL"}, ["by:gemeinde-berg", "ni:sg-brome"]),
        ({"leikaKey": WOHNGELD}, ["by:lra-starnberg"]),
        ({"q": "by:lra"}, ["by:lra-starnberg"]),
    ],
)
def test_filters(graphql, make_user, make_token, entries, variables, expected):
    token = make_token(make_user("gw", role="gateway"))

    assert identifiers(graphql.data(FILTERED_QUERY, variables, token=token)["authorities"]) == expected


@pytest.mark.parametrize(
    "query, variables, argument",
    [
        (AUTHORITIES_QUERY, {"state": "XX", "first": 5}, "state"),
        (AUTHORITIES_QUERY, {"first": 101}, "first"),
        (FILTERED_QUERY, {"region": "0918"}, "region"),
        (FILTERED_QUERY, {"leikaKey": "123"}, "leikaKey"),
        (FILTERED_QUERY, {"kind": "PLANET"}, "kind"),
    ],
)
def test_bad_arguments(graphql, make_user, make_token, query, variables, argument):
    content = graphql.execute(query, variables, token=make_token(make_user("gw", role="gateway")))

    assert content["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}


def test_constant_queries_per_page(graphql, make_user, make_token, entries, directory, django_assert_num_queries):
    token = make_token(make_user("gw", role="gateway"))
    graphql.data(AUTHORITIES_QUERY, {"first": 50}, token=token)

    with django_assert_num_queries(4) as small:  # token, count, page (with region), endpoints
        graphql.data(AUTHORITIES_QUERY, {"first": 50}, token=token)
    for number in range(10):
        directory.endpoint(directory.authority(f"by:amt-{number}"))
    with django_assert_num_queries(len(small)):
        assert graphql.data(AUTHORITIES_QUERY, {"first": 50}, token=token)["authorities"]["totalCount"] == 13


AUTHORITY_QUERY = """
query Authority($identifier: String!) {
  authority(identifier: $identifier) {
    id identifier active state { code }
    responsibilities { leikaKey regions { ars } nationwide }
  }
}
"""

NODE_QUERY = """
query Node($id: ID!) { node(id: $id) { id __typename ... on Authority { identifier } ... on Endpoint { address } } }
"""


def test_one_authority_by_identifier(graphql, make_user, make_token, entries):
    token = make_token(make_user("gw", role="gateway"))

    authority = graphql.data(AUTHORITY_QUERY, {"identifier": "by:lra-starnberg"}, token=token)["authority"]

    assert authority["state"] == {"code": "BY"} and authority["active"] is True
    assert authority["responsibilities"] == [{"leikaKey": WOHNGELD, "regions": [{"ars": STARNBERG_DISTRICT}],
                                              "nationwide": False}]
    assert graphql.data(AUTHORITY_QUERY, {"identifier": "by:nobody"}, token=token)["authority"] is None
    anonymous = graphql.execute(AUTHORITY_QUERY, {"identifier": "by:lra-starnberg"})
    assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_authorities_and_endpoints_are_nodes_for_token_holders_only(graphql, make_user, make_token, entries):
    from directory.models import Authority

    authority = Authority.objects.get(identifier="by:lra-starnberg")
    authority_id = to_global_id("Authority", authority.pk)
    endpoint_id = to_global_id("Endpoint", authority.endpoints.get().pk)
    token = make_token(make_user("gw", role="gateway"))

    assert graphql.data(NODE_QUERY, {"id": authority_id}, token=token)["node"] == {
        "id": authority_id, "__typename": "Authority", "identifier": "by:lra-starnberg"}
    assert graphql.data(NODE_QUERY, {"id": endpoint_id}, token=token)["node"]["address"].startswith("https://")
    assert graphql.data(NODE_QUERY, {"id": authority_id})["node"] is None
    assert graphql.data(NODE_QUERY, {"id": endpoint_id})["node"] is None
