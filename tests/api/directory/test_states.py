"""The `states` query of the contract (gateway.graphql: States) on the real reference data."""
from decimal import Decimal

STATES_QUERY = """
query States {
  states { code name ars koenigsteinShare accession { status signedAt agreementVersion } }
}
"""

STATE_QUERY = """
query State($code: String!, $year: Int) {
  state(code: $code) { code name population koenigsteinShare(year: $year) koenigsteinYear region { ars level } }
}
"""


def test_states_lists_all_sixteen_in_ars_order(graphql):
    states = graphql.data(STATES_QUERY)["states"]

    assert [s["ars"] for s in states] == [f"{n:02d}" for n in range(1, 17)]
    assert {s["code"] for s in states} == {
        "SH", "HH", "NI", "HB", "NW", "HE", "RP", "BW", "BY", "SL", "BE", "BB", "MV", "SN", "ST", "TH"
    }
    bayern = next(s for s in states if s["code"] == "BY")
    assert bayern["name"] == "Bayern"
    assert bayern["koenigsteinShare"] == "0.1553327"  # 15.53327 % in the 2016 key, the latest loaded
    assert sum(Decimal(s["koenigsteinShare"]) for s in states) == 1
    assert all(s["accession"] == {"status": "NONE", "signedAt": None, "agreementVersion": None} for s in states)


def test_states_costs_a_constant_number_of_queries(graphql, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        graphql.data(STATES_QUERY)


def test_state_by_code_with_a_year_of_the_koenigstein_key(graphql):
    state = graphql.data(STATE_QUERY, {"code": "nw", "year": 2014})["state"]

    assert state["code"] == "NW"
    assert state["koenigsteinShare"] == "0.2124052"
    assert state["koenigsteinYear"] == 2016
    assert state["population"] == 18139116
    assert state["region"] == {"ars": "05", "level": "STATE"}


def test_state_year_without_a_key_is_null(graphql):
    assert graphql.data(STATE_QUERY, {"code": "BY", "year": 1999})["state"]["koenigsteinShare"] is None


def test_unknown_state_code_is_bad_user_input(graphql):
    content = graphql.execute(STATE_QUERY, {"code": "XX"})

    error = content["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("code:")
    assert content["data"]["state"] is None
