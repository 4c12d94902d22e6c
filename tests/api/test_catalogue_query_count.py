"""No N+1 in the catalogue: 100 online services with provider, releases, subscriptions, terms
and criteria cost the same number of SQL queries as 20 do."""
import pytest

from directory.models import State
from licensing.choices import AllocationKey, LegalBasis, OperatingModel, SubscriptionStatus
from licensing.models import ReuseTerms, Subscription
from store.models import Release
from tests.factories import OnlineServiceFactory

CATALOGUE_QUERY = """
query Catalogue($first: Int) {
  onlineServices(first: $first) {
    totalCount
    edges { node {
      slug name lifecycle efaConformant connectedStatesCount
      providerState { code name }
      latestRelease { version publishedAt }
      releases(first: 3) { edges { node { version tag } } }
      terms { annualCost allocationKey license legalBases }
      subscriptions { state { code } status legalBasis }
      efaCriteria { code met }
    } }
  }
}
"""


@pytest.fixture
def hundred_online_services(db):
    states = list(State.objects.order_by("ars"))
    for number in range(100):
        online_service = OnlineServiceFactory(slug=f"katalog-{number:03d}", provider_state=states[number % 16])
        for minor in range(3):
            Release.objects.create(online_service=online_service, version=f"1.{minor}.0", version_major=1,
                                   version_minor=minor, version_patch=0, tag=f"v1.{minor}.0", commit="0" * 40)
        ReuseTerms.objects.create(online_service=online_service, annual_cost="1000.00", one_time_cost="0.00",
                                  allocation_key=AllocationKey.EQUAL, license="EUPL-1.2",
                                  operating_model=OperatingModel.CENTRAL, legal_bases=[LegalBasis.FIT_STORE])
        for state in states[(number + 1) % 16:(number + 1) % 16 + 2]:
            Subscription.objects.create(state=state, online_service=online_service, status=SubscriptionStatus.CONNECTED,
                                        legal_basis=LegalBasis.ADMINISTRATIVE_AGREEMENT)


def test_catalogue_page_costs_the_same_queries_for_20_and_100_services(graphql, make_user, make_token,
                                                                      hundred_online_services):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    token = make_token(make_user("koordination", role="coordinator", state="BY"))
    graphql.data(CATALOGUE_QUERY, {"first": 1}, token=token)  # the token's first use records last_used_at

    def queries(first):
        with CaptureQueriesContext(connection) as captured:
            data = graphql.data(CATALOGUE_QUERY, {"first": first}, token=token)
        return len(captured), data

    few, small = queries(20)  # a page on which some services have subscriptions (their events are prefetched)
    many, large = queries(100)

    assert len(large["onlineServices"]["edges"]) == 100
    assert all(edge["node"]["terms"] and len(edge["node"]["releases"]["edges"]) == 3
               for edge in large["onlineServices"]["edges"] if edge["node"]["slug"].startswith("katalog-"))
    assert many == few, f"{few} queries for 20 services, {many} for 100"
