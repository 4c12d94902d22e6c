"""Cases of the read-permission matrix (tests/api/test_read_matrix.py) for licensing's types.

The subscription of every case is NW's to Wohngeld (provided by MV). A request (and a decline, an
ended reuse) is the parties' matter: the subscribing and the providing state's coordinators and
the service's maintainers, and the operators, find it by every path; nobody else finds it by any.
A concluded reuse (ACTIVE, CONNECTED) everyone finds, with its state and status; its details
(legal basis, dates, history with notes) only the parties.
"""
from graphql_relay import to_global_id

from licensing import services
from licensing.choices import AllocationKey, LegalBasis, SubscriptionStatus
from licensing.models import PARTY_ONLY_STATUSES, PUBLIC_STATUSES, Accession, Subscription
from tests.licensing.support import ACTOR, joined, load_agreement, online_service, state, subscription, terms

from ..reads import EVERYONE, NOBODY, PARTIES, PROVIDED_SERVICE, SUBSCRIBING_STATE, Path, Read, objects

NOTE = "Vermerk nur für die Beteiligten 4711"
DETAILS = ("legalBasis", "requestedAt", "confirmedAt", "connectedAt", "endedAt", "events")

SUBSCRIPTION_BY_NODE = Path("node", """
query R($id: ID!) {
  node(id: $id) { id ... on Subscription { status state { code } onlineService { slug } } }
}""")
SUBSCRIPTIONS_OF_THE_SERVICE = Path("nested OnlineService.subscriptions", """
query R($slug: String!) {
  onlineService(slug: $slug) { connectedStatesCount subscriptions { id status state { code } } }
}""")
SUBSCRIPTIONS_IN_THE_CATALOGUE = Path("list onlineServices", """
query R {
  onlineServices(first: 100) {
    totalCount pageInfo { hasNextPage }
    edges { node { slug connectedStatesCount subscriptions { id status state { code } } } }
  }
}""")
SUBSCRIPTIONS_IN_THE_SEARCH = Path("search", """
query R {
  search(query: "Wohngeld", first: 100) {
    totalCount facets { name buckets { value count } }
    hits { onlineService { slug subscriptions { id status } } }
  }
}""")
SUBSCRIPTION_PATHS = (SUBSCRIPTION_BY_NODE, SUBSCRIPTIONS_OF_THE_SERVICE, SUBSCRIPTIONS_IN_THE_CATALOGUE,
                      SUBSCRIPTIONS_IN_THE_SEARCH)
# The catalogue filtered by the reusing state: a request is no reuse, for nobody (its count neither).
REUSED_BY_THE_STATE = """
query R {
  onlineServices(first: 100, subscribedBy: "NW") {
    totalCount pageInfo { hasNextPage } edges { node { slug subscriptions { id status state { code } } } }
  }
}"""

DETAILS_FIELDS = """legalBasis requestedAt confirmedAt connectedAt endedAt
                    events { fromStatus toStatus actor note at }"""
DETAIL_PATHS = (
    Path("node", f"""
query R($id: ID!) {{ node(id: $id) {{ id ... on Subscription {{ {DETAILS_FIELDS} }} }} }}"""),
    Path("nested OnlineService.subscriptions", f"""
query R($slug: String!) {{ onlineService(slug: $slug) {{ subscriptions {{ id {DETAILS_FIELDS} }} }} }}"""),
    Path("list onlineServices", f"""
query R {{ onlineServices(first: 100) {{ edges {{ node {{ subscriptions {{ id {DETAILS_FIELDS} }} }} }} }} }}"""),
)


def _subscription_in(status):
    """`make` for NW's subscription to Wohngeld in `status`, written as it stands (every status the
    choices have, AWAITING_SIGNATURES included where the procedure has it)."""

    def make(context):
        sub = Subscription.objects.create(state=state(SUBSCRIBING_STATE), online_service=online_service(PROVIDED_SERVICE),
                                          status=status, legal_basis=LegalBasis.ADMINISTRATIVE_AGREEMENT)
        return {"id": to_global_id("Subscription", sub.pk), "slug": PROVIDED_SERVICE,
                "marker": to_global_id("Subscription", sub.pk)}

    return make


def _connected_with_a_note(context):
    load_agreement()
    sub = services.subscribe(joined(SUBSCRIBING_STATE), online_service(PROVIDED_SERVICE), legal_basis="FIT_STORE",
                             note=NOTE, actor=ACTOR)
    sub = services.confirm_subscription(sub, accept=True, note=NOTE, actor=ACTOR)
    sub = services.connect_subscription(sub, note=NOTE, actor=ACTOR)
    return {"id": to_global_id("Subscription", sub.pk), "slug": PROVIDED_SERVICE,
            "marker": to_global_id("Subscription", sub.pk)}


def _details_shown(data, variables, actor) -> bool:
    """Whether the answer shows any detail of the subscription (null and [] show none)."""
    return any(item.get(name) for item in objects(data) if item.get("id") == variables["marker"] for name in DETAILS)


def _concluded_with_terms(context):
    load_agreement()
    terms(PROVIDED_SERVICE, annual_cost="123456.78", allocation_key=AllocationKey.EQUAL)
    subscription(SUBSCRIBING_STATE, PROVIDED_SERVICE, SubscriptionStatus.ACTIVE)
    return {"slug": PROVIDED_SERVICE, "stateCode": SUBSCRIBING_STATE, "marker": "123456.78"}


def _cost_share(context):
    variables = _concluded_with_terms(context)
    return {**variables, "marker": "61728.39"}  # NW's half under EQUAL with MV


def _joined(context):
    load_agreement()
    joined(SUBSCRIBING_STATE)
    return {"code": SUBSCRIBING_STATE, "marker": Accession.objects.get(state__code=SUBSCRIBING_STATE).agreement.version}


LICENSING_READS = [
    *(Read("Subscription", "subscription: parties", _subscription_in(status), PARTIES,
           (*SUBSCRIPTION_PATHS, Path("list onlineServices(subscribedBy)", REUSED_BY_THE_STATE, readers=NOBODY)),
           label=status.lower())
      for status in PARTY_ONLY_STATUSES),
    *(Read("Subscription", "subscription: public part", _subscription_in(status), EVERYONE,
           (*SUBSCRIPTION_PATHS, Path("list onlineServices(subscribedBy)", REUSED_BY_THE_STATE)),
           label=status.lower())
      for status in PUBLIC_STATUSES),
    Read("Subscription", "subscription details: parties", _connected_with_a_note, PARTIES, DETAIL_PATHS,
         label="details", found=_details_shown),
    Read("SubscriptionEvent", "subscription details: parties", _connected_with_a_note, PARTIES, tuple(
        Path(path.name, path.document) for path in DETAIL_PATHS), found=lambda data, variables, actor: NOTE in str(data)),
    Read("ReuseTerms", "public", _concluded_with_terms, EVERYONE, (
        Path("nested OnlineService.terms", """
query R($slug: String!) {
  onlineService(slug: $slug) { terms { annualCost oneTimeCost allocationKey license operatingModel legalBases updatedAt } }
}"""),)),
    Read("CostShare", "public", _cost_share, EVERYONE, (
        Path("nested OnlineService.costShares", """
query R($slug: String!) { onlineService(slug: $slug) { costShares { party state { code } share annualAmount } } }"""),)),
    Read("StateBill", "public", _cost_share, EVERYONE, (
        Path("stateBill", """
query R($stateCode: String!) { stateBill(stateCode: $stateCode) { state { code } koenigsteinYear total } }"""),)),
    Read("BillLine", "public", _cost_share, EVERYONE, (
        Path("nested StateBill.lines", """
query R($stateCode: String!) {
  stateBill(stateCode: $stateCode) { lines { onlineService { slug } share annualAmount } }
}"""),)),
    Read("Accession", "public", _joined, EVERYONE, (
        Path("nested State.accession", """
query R($code: String!) { state(code: $code) { accession { status signedAt withdrawnAt agreementVersion state { code } } } }"""),
        Path("list states", "query R { states { code accession { status agreementVersion } } }"),
    )),
]
