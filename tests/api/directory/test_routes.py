"""`routes` of the contract (gateway.graphql: Routes): needs a token; the most specific level
wins; bad arguments are BAD_USER_INPUT naming the argument; constant number of queries."""
import pytest

from tests.directory.fixtures import BERG, SCHWERIN, STARNBERG_CITY, STARNBERG_DISTRICT, WOHNGELD

ROUTES_QUERY = """
query Routes($leikaKey: String!, $ars: String!) {
  routes(leikaKey: $leikaKey, ars: $ars) {
    leikaKey
    region { ars name level }
    authority { id identifier name state { code } }
    endpoints {
      kind
      address
      destinationId
      serviceUri
      certificate { fingerprintSha256 notAfter }
    }
    onlineService { slug name }
  }
}
"""


@pytest.fixture
def starnberg(directory, certificates):
    authority = directory.authority("by:lra-starnberg", name="Landratsamt Starnberg")
    directory.endpoint(authority, destination_id="9d618546-0ff7-4e93-9f15-714e5dd1bf12",
                       address="https://submission.fit-connect.example/v1")
    directory.endpoint(authority, kind="OSCI_XTA", address="https://osci.lra-starnberg.example/xta",
                       service_uri="urn:de:xta:webservice:wohngeld", certificate_pem=certificates.valid)
    directory.responsible(authority, WOHNGELD, STARNBERG_DISTRICT)
    return authority


def test_anonymous_callers_get_unauthenticated(graphql, starnberg):
    content = graphql.execute(ROUTES_QUERY, {"leikaKey": WOHNGELD, "ars": BERG})

    assert content["data"] is None
    assert content["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("role, state", [(None, None), ("gateway", None), ("directory-maintainer", "NI")])
def test_any_token_reads_routes(graphql, make_user, make_token, starnberg, certificates, role, state):
    token = make_token(make_user("reader", role=role, state=state))

    routes = graphql.data(ROUTES_QUERY, {"leikaKey": WOHNGELD, "ars": BERG}, token=token)["routes"]

    assert len(routes) == 1
    route = routes[0]
    assert route["leikaKey"] == WOHNGELD
    assert route["region"] == {"ars": BERG, "name": "Berg", "level": "MUNICIPALITY"}
    assert route["authority"]["identifier"] == "by:lra-starnberg" and route["authority"]["state"] == {"code": "BY"}
    fit_connect, osci = route["endpoints"]
    assert fit_connect == {"kind": "FIT_CONNECT", "address": "https://submission.fit-connect.example/v1",
                           "destinationId": "9d618546-0ff7-4e93-9f15-714e5dd1bf12", "serviceUri": None,
                           "certificate": None}
    assert osci["kind"] == "OSCI_XTA" and osci["serviceUri"] == "urn:de:xta:webservice:wohngeld"
    assert osci["certificate"]["fingerprintSha256"] == certificates.valid_fingerprint
    assert osci["certificate"]["notAfter"].endswith("+00:00")
    assert route["onlineService"] is None  # Wohngeld online is MV's; Bavaria has no connected subscription


def test_a_municipality_answers_for_itself(graphql, make_user, make_token, starnberg, directory):
    berg = directory.authority("by:gemeinde-berg", name="Gemeinde Berg", ars=BERG, kind="MUNICIPAL")
    directory.responsible(berg, WOHNGELD, BERG)
    token = make_token(make_user("gw", role="gateway"))

    assert [r["authority"]["identifier"] for r in graphql.data(ROUTES_QUERY, {"leikaKey": WOHNGELD, "ars": BERG},
                                                                token=token)["routes"]] == ["by:gemeinde-berg"]
    assert [r["authority"]["identifier"] for r in graphql.data(ROUTES_QUERY, {"leikaKey": WOHNGELD, "ars": STARNBERG_CITY},
                                                                token=token)["routes"]] == ["by:lra-starnberg"]


def test_online_service_of_the_provider_state(graphql, make_user, make_token, directory):
    schwerin = directory.authority("mv:schwerin", state="MV", ars=SCHWERIN, kind="MUNICIPAL")
    directory.responsible(schwerin, WOHNGELD, SCHWERIN)

    routes = graphql.data(ROUTES_QUERY, {"leikaKey": WOHNGELD, "ars": SCHWERIN},
                          token=make_token(make_user("gw", role="gateway")))["routes"]

    assert routes[0]["onlineService"]["slug"] == "wohngeld"


def test_nobody_responsible_is_an_empty_list(graphql, make_user, make_token):
    token = make_token(make_user("gw", role="gateway"))

    assert graphql.data(ROUTES_QUERY, {"leikaKey": WOHNGELD, "ars": BERG}, token=token)["routes"] == []


@pytest.mark.parametrize(
    "variables, argument",
    [
        ({"leikaKey": WOHNGELD, "ars": "0918801131"}, "ars"),
        ({"leikaKey": WOHNGELD, "ars": "099999999999"}, "ars"),
        ({"leikaKey": "9910702300000", "ars": BERG}, "leikaKey"),
        ({"leikaKey": "99999999999999", "ars": BERG}, "leikaKey"),
    ],
)
def test_bad_arguments_are_bad_user_input(graphql, make_user, make_token, variables, argument):
    content = graphql.execute(ROUTES_QUERY, variables, token=make_token(make_user("gw", role="gateway")))

    error = content["errors"][0]
    assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
    assert error["message"].startswith(f"{argument}:")


def test_constant_queries_per_request(graphql, make_user, make_token, starnberg, directory, django_assert_num_queries):
    token = make_token(make_user("gw", role="gateway"))
    graphql.data(ROUTES_QUERY, {"leikaKey": WOHNGELD, "ars": BERG}, token=token)  # warms the token's grants

    with django_assert_num_queries(7) as small:  # token, then routing: 6
        graphql.data(ROUTES_QUERY, {"leikaKey": WOHNGELD, "ars": BERG}, token=token)
    for number in range(8):
        authority = directory.authority(f"by:amt-{number}")
        directory.endpoint(authority)
        directory.endpoint(authority, kind="EMAIL", address=f"amt{number}@example.org")
        directory.responsible(authority, WOHNGELD, STARNBERG_DISTRICT)
    with django_assert_num_queries(len(small)):
        routes = graphql.data(ROUTES_QUERY, {"leikaKey": WOHNGELD, "ars": BERG}, token=token)["routes"]
    assert len(routes) == 9
