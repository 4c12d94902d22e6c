"""`stateBill(stateCode)`: what a state pays per year across all online services."""
from licensing.choices import AllocationKey
from tests.licensing.support import subscription, terms

STATE_BILL_QUERY = """
query StateBill($stateCode: String!, $year: Int) {
  stateBill(stateCode: $stateCode, year: $year) {
    state { code } koenigsteinYear total
    lines { onlineService { slug } share annualAmount }
  }
}
"""


def test_the_bill_of_a_reusing_state(graphql):
    terms("wohngeld", annual_cost="100000.00", allocation_key=AllocationKey.KOENIGSTEIN)
    subscription("BY", "wohngeld", "ACTIVE")
    subscription("NW", "wohngeld", "CONNECTED")

    bill = graphql.data(STATE_BILL_QUERY, {"stateCode": "by", "year": 2016})["stateBill"]

    assert bill == {"state": {"code": "BY"}, "koenigsteinYear": 2016, "total": "40148.12",
                    "lines": [{"onlineService": {"slug": "wohngeld"}, "share": "0.401481", "annualAmount": "40148.12"}]}


def test_a_state_without_reuse_pays_nothing(graphql):
    bill = graphql.data(STATE_BILL_QUERY, {"stateCode": "SL"})["stateBill"]

    assert bill["lines"] == [] and bill["total"] == "0.00"


def test_an_unknown_state_is_bad_user_input(graphql):
    content = graphql.execute(STATE_BILL_QUERY, {"stateCode": "XX"})

    assert content["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert content["errors"][0]["message"].startswith("stateCode:")
