"""`onlineService(slug)` with its licensing fields: terms, subscriptions, costShares,
connectedStatesCount. A subscription's parties (and operators) see all of them with their details;
everyone else, with a token or without, only ACTIVE and CONNECTED subscriptions, with state and
status, and null for the legal basis and the dates (the whole matrix: tests/api/test_read_matrix.py)."""
from decimal import Decimal

from graphql_relay import to_global_id

from licensing.choices import AllocationKey
from tests.licensing.support import subscription, terms

ONLINE_SERVICE_QUERY = """
query OnlineService($slug: String!, $year: Int) {
  onlineService(slug: $slug) {
    slug
    providerState { code }
    terms { annualCost oneTimeCost allocationKey license operatingModel legalBases }
    connectedStatesCount
    subscriptions { id state { code } status legalBasis requestedAt connectedAt events { fromStatus toStatus actor } }
    costShares(year: $year) { party state { code } share annualAmount }
  }
}
"""

NODE_QUERY = """
query Node($id: ID!) { node(id: $id) { id ... on Subscription { status legalBasis state { code } } } }
"""


def _setup():
    terms("wohngeld", annual_cost="100000.00", allocation_key=AllocationKey.KOENIGSTEIN)
    return {
        "BY": subscription("BY", "wohngeld", "ACTIVE"),
        "NW": subscription("NW", "wohngeld", "CONNECTED"),
        "HH": subscription("HH", "wohngeld", "REQUESTED"),
        "SH": subscription("SH", "wohngeld", "DECLINED"),
    }


def test_unknown_slug_is_null(graphql):
    assert graphql.data(ONLINE_SERVICE_QUERY, {"slug": "gibt-es-nicht"}) == {"onlineService": None}


def test_without_terms(graphql):
    service = graphql.data(ONLINE_SERVICE_QUERY, {"slug": "bafoeg"})["onlineService"]

    assert service["terms"] is None and service["costShares"] == [] and service["subscriptions"] == []
    assert service["connectedStatesCount"] == 1


def test_anonymous_callers_see_concluded_reuses_without_details(graphql):
    _setup()

    service = graphql.data(ONLINE_SERVICE_QUERY, {"slug": "wohngeld", "year": 2016})["onlineService"]

    assert service["terms"] == {
        "annualCost": "100000.00", "oneTimeCost": "0.00", "allocationKey": "KOENIGSTEIN", "license": "EUPL-1.2",
        "operatingModel": "CENTRAL", "legalBases": ["FIT_STORE", "ADMINISTRATIVE_AGREEMENT"],
    }
    assert [(s["state"]["code"], s["status"], s["legalBasis"], s["requestedAt"], s["connectedAt"], s["events"])
            for s in service["subscriptions"]] == [("NW", "CONNECTED", None, None, None, []),
                                                   ("BY", "ACTIVE", None, None, None, [])]
    assert service["costShares"] == [
        {"party": "NW", "state": {"code": "NW"}, "share": "0.546505", "annualAmount": "54650.53"},
        {"party": "BY", "state": {"code": "BY"}, "share": "0.401481", "annualAmount": "40148.12"},
        {"party": "MV", "state": {"code": "MV"}, "share": "0.052014", "annualAmount": "5201.35"},
    ]
    assert service["connectedStatesCount"] == 2


def test_a_token_alone_shows_no_more_than_anonymous(graphql, make_user, make_token):
    _setup()
    anonymous = graphql.data(ONLINE_SERVICE_QUERY, {"slug": "wohngeld"})["onlineService"]

    for who in (make_user("irgendwer"), make_user("gw", role="gateway"),
                make_user("k-sn", role="coordinator", state="SN")):
        service = graphql.data(ONLINE_SERVICE_QUERY, {"slug": "wohngeld"}, token=make_token(who))["onlineService"]
        assert service["subscriptions"] == anonymous["subscriptions"], who.username


def test_the_maintainers_see_every_subscription_and_its_details(graphql, make_user, make_token):
    subs = _setup()
    token = make_token(make_user("pflege", role="maintainer", online_service="wohngeld"))

    service = graphql.data(ONLINE_SERVICE_QUERY, {"slug": "wohngeld"}, token=token)["onlineService"]

    rows = {s["state"]["code"]: s for s in service["subscriptions"]}
    assert list(rows) == ["SH", "HH", "NW", "BY"]  # by ARS
    assert rows["NW"]["legalBasis"] == "ADMINISTRATIVE_AGREEMENT" and rows["NW"]["connectedAt"]
    assert rows["HH"]["status"] == "REQUESTED" and rows["HH"]["requestedAt"]
    assert rows["BY"]["id"] == to_global_id("Subscription", subs["BY"].pk)
    assert rows["NW"]["events"] == [
        {"fromStatus": None, "toStatus": "REQUESTED", "actor": "system:test"},
        {"fromStatus": "REQUESTED", "toStatus": "ACTIVE", "actor": "system:test"},
        {"fromStatus": "ACTIVE", "toStatus": "CONNECTED", "actor": "system:test"},
    ]


def test_a_coordinator_sees_the_details_of_the_own_states_subscriptions_only(graphql, make_user, make_token):
    _setup()
    token = make_token(make_user("k-hh", role="coordinator", state="HH"))

    service = graphql.data(ONLINE_SERVICE_QUERY, {"slug": "wohngeld"}, token=token)["onlineService"]

    rows = {s["state"]["code"]: s for s in service["subscriptions"]}
    assert list(rows) == ["HH", "NW", "BY"]  # HH's own request; not SH's decline
    assert rows["HH"]["legalBasis"] == "ADMINISTRATIVE_AGREEMENT" and rows["HH"]["events"]
    assert rows["NW"]["legalBasis"] is None and rows["NW"]["events"] == []


def test_subscriptions_as_nodes(graphql, make_user, make_token):
    subs = _setup()
    requested, active = to_global_id("Subscription", subs["HH"].pk), to_global_id("Subscription", subs["BY"].pk)
    stranger = make_token(make_user("irgendwer"))
    party = make_token(make_user("k-hh", role="coordinator", state="HH"))

    assert graphql.data(NODE_QUERY, {"id": requested})["node"] is None
    assert graphql.data(NODE_QUERY, {"id": requested}, token=stranger)["node"] is None
    assert graphql.data(NODE_QUERY, {"id": active})["node"] == {"id": active, "status": "ACTIVE", "legalBasis": None,
                                                                "state": {"code": "BY"}}
    assert graphql.data(NODE_QUERY, {"id": active}, token=stranger)["node"]["legalBasis"] is None
    assert graphql.data(NODE_QUERY, {"id": requested}, token=party)["node"]["legalBasis"] == "ADMINISTRATIVE_AGREEMENT"


def test_it_planungsrat_shares_name_the_federation(graphql):
    terms("wohngeld", annual_cost="200000.00", allocation_key=AllocationKey.IT_PLR_2023_35)
    subscription("BY", "wohngeld", "ACTIVE")
    subscription("NW", "wohngeld", "CONNECTED")

    shares = graphql.data(ONLINE_SERVICE_QUERY, {"slug": "wohngeld", "year": 2016})["onlineService"]["costShares"]

    assert shares[0] == {"party": "BUND", "state": None, "share": "0.250000", "annualAmount": "50000.00"}
    assert len(shares) == 17 and sum(Decimal(s["annualAmount"]) for s in shares) == Decimal("200000.00")
    assert sum(Decimal(s["share"]) for s in shares) == 1


def test_an_unknown_year_is_bad_user_input(graphql):
    terms("wohngeld")

    content = graphql.execute(ONLINE_SERVICE_QUERY, {"slug": "wohngeld", "year": 1990})

    assert content["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert content["errors"][0]["message"].startswith("year:")


def test_query_count_does_not_grow_with_subscriptions(graphql, make_user, make_token):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _setup()
    token = make_token(make_user("pflege", role="maintainer", online_service="wohngeld"))

    def queries():
        with CaptureQueriesContext(connection) as captured:
            graphql.data(ONLINE_SERVICE_QUERY, {"slug": "wohngeld"}, token=token)
        return len(captured)

    queries()  # the token's first use writes its last_used_at once
    few = queries()
    for code in ("BE", "BB", "SN", "TH", "HE", "RP"):
        subscription(code, "wohngeld", "CONNECTED")

    assert queries() == few <= 17  # the detail prefetches releases, criteria, interfaces, components
