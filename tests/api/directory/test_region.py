"""The `region` query of the contract (gateway.graphql: Region) and the `regions` connection."""
import pytest

REGION_QUERY = """
query Region($ars: String!) {
  region(ars: $ars) { ars name level parent { ars name } state { code name } }
}
"""

REGION_DETAIL_QUERY = """
query RegionDetail($ars: String!) {
  region(ars: $ars) { ars population postcode ancestors { ars level } }
}
"""

REGIONS_QUERY = """
query Regions($state: String, $level: String, $parent: String, $q: String, $first: Int, $after: String) {
  regions(state: $state, level: $level, parent: $parent, q: $q, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { ars name level } }
  }
}
"""


def test_region_of_a_municipality_with_its_parent_and_state(graphql):
    region = graphql.data(REGION_QUERY, {"ars": "091880113113"})["region"]

    assert region["level"] == "MUNICIPALITY"
    assert region["parent"]["ars"] == "091880113"
    assert region["state"] == {"code": "BY", "name": "Bayern"}


@pytest.mark.parametrize(
    "ars, level, parent",
    [
        ("09", "STATE", None),
        ("091", "GOVERNMENT_DISTRICT", "09"),
        ("09188", "DISTRICT", "091"),
        ("091880113", "MUNICIPAL_ASSOCIATION", "09188"),
        ("01001", "DISTRICT", "01"),  # Schleswig-Holstein has no government districts
    ],
)
def test_region_levels_follow_the_ars_length(graphql, ars, level, parent):
    region = graphql.data(REGION_QUERY, {"ars": ars})["region"]

    assert region["level"] == level
    assert (region["parent"] or {}).get("ars") == parent


def test_region_ancestors_and_figures(graphql):
    region = graphql.data(REGION_DETAIL_QUERY, {"ars": "010010000000"})["region"]

    assert region["population"] == 92550  # Flensburg
    assert region["postcode"] == "24937"
    assert region["ancestors"] == [
        {"ars": "01", "level": "STATE"},
        {"ars": "01001", "level": "DISTRICT"},
        {"ars": "010010000", "level": "MUNICIPAL_ASSOCIATION"},
    ]


@pytest.mark.parametrize("ars", ["abc", "0918", "0918801131130", "", "09 188"])
def test_malformed_ars_is_bad_user_input_naming_the_argument(graphql, ars):
    content = graphql.execute(REGION_QUERY, {"ars": ars})

    error = content["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == "ars"
    assert error["message"].startswith("ars:")


def test_unknown_but_wellformed_ars_is_null(graphql):
    assert graphql.data(REGION_QUERY, {"ars": "099999999999"})["region"] is None


def test_regions_filtered_by_state_and_level(graphql):
    regions = graphql.data(REGIONS_QUERY, {"state": "HB", "level": "MUNICIPALITY", "first": 10})["regions"]

    assert regions["totalCount"] == 2  # Bremen and Bremerhaven
    assert {edge["node"]["name"] for edge in regions["edges"]} == {"Bremen, Stadt", "Bremerhaven, Stadt"}


def test_regions_page_through_children(graphql):
    first = graphql.data(REGIONS_QUERY, {"parent": "09188", "first": 5})["regions"]
    second = graphql.data(REGIONS_QUERY, {"parent": "09188", "first": 5, "after": first["pageInfo"]["endCursor"]})["regions"]

    assert first["totalCount"] == second["totalCount"] > 5
    assert first["pageInfo"]["hasNextPage"] is True
    seen = [e["node"]["ars"] for e in first["edges"] + second["edges"]]
    assert len(set(seen)) == 10 and all(ars.startswith("09188") for ars in seen)


def test_regions_search_by_name(graphql):
    regions = graphql.data(REGIONS_QUERY, {"q": "Flensburg", "level": "MUNICIPALITY", "first": 5})["regions"]

    assert [e["node"]["ars"] for e in regions["edges"]] == ["010010000000"]


@pytest.mark.parametrize(
    "variables, argument",
    [({"first": 101}, "first"), ({"first": -1}, "first"), ({"level": "PLANET", "first": 1}, "level")],
)
def test_regions_refuse_bad_arguments(graphql, variables, argument):
    content = graphql.execute(REGIONS_QUERY, variables)

    error = content["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["extensions"]["argument"] == argument


def test_regions_page_costs_the_same_queries_whatever_its_size(graphql, django_assert_num_queries):
    with django_assert_num_queries(2):  # count + page
        graphql.data(REGIONS_QUERY, {"state": "BY", "first": 5})
    with django_assert_num_queries(2):
        graphql.data(REGIONS_QUERY, {"state": "BY", "first": 100})


REGIONS_BY_POSTCODE_QUERY = """
query RegionsByPostcode($postcode: String) {
  regions(postcode: $postcode, first: 10) { totalCount edges { node { ars name postcode } } }
}
"""


@pytest.mark.parametrize("postcode,expected", [
    ("80331", ["091620000000"]),  # inside München; its seat postcode is 80313
    ("80313", ["091620000000"]),
    ("82335", ["091880113113", "091889451451"]),  # one postcode, two municipalities
    ("00000", []),
])
def test_regions_by_postcode_are_the_municipalities_it_serves(graphql, postcode, expected):
    regions = graphql.data(REGIONS_BY_POSTCODE_QUERY, {"postcode": postcode})["regions"]

    assert sorted(edge["node"]["ars"] for edge in regions["edges"]) == expected == sorted(expected)
    assert regions["totalCount"] == len(expected)
