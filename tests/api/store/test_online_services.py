"""onlineServices: the catalogue, filtered through OnlineServiceFilterSet, without N+1."""
import pytest

from store.models import OnlineService
from tests.factories import OnlineServiceFactory

# The contract's query, less efaConformant (the EfA criteria are not built yet).
ONLINE_SERVICES_QUERY = """
query OnlineServices($first: Int, $after: String, $providerState: String, $lifecycle: Lifecycle,
                     $topic: String, $leikaKey: String, $subscribedBy: String, $search: String) {
  onlineServices(first: $first, after: $after, providerState: $providerState, lifecycle: $lifecycle,
                 topic: $topic, leikaKey: $leikaKey, subscribedBy: $subscribedBy, search: $search) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id slug name lifecycle connectedStatesCount
        providerState { code }
        latestRelease { version publishedAt }
      }
    }
  }
}
"""


def slugs(graphql, token=None, **variables):
    data = graphql.data(ONLINE_SERVICES_QUERY, variables, token=token)["onlineServices"]
    return [edge["node"]["slug"] for edge in data["edges"]]


def test_anonymous_callers_read_the_catalogue(graphql):
    data = graphql.data(ONLINE_SERVICES_QUERY, {"first": 2})["onlineServices"]

    assert data["totalCount"] == OnlineService.objects.count() >= 6
    assert len(data["edges"]) == 2 and data["pageInfo"]["hasNextPage"]
    node = data["edges"][0]["node"]
    assert node["providerState"]["code"] and node["latestRelease"] is None and node["connectedStatesCount"] >= 1
    after = graphql.data(ONLINE_SERVICES_QUERY, {"first": 100, "after": data["pageInfo"]["endCursor"]})
    assert len(after["onlineServices"]["edges"]) == data["totalCount"] - 2


def test_any_role_reads_the_same(graphql, make_user, make_token):
    token = make_token(make_user("m", role="maintainer", online_service="wohngeld"))

    assert slugs(graphql, token, first=100) == slugs(graphql, first=100)


def test_filters(graphql):
    wohngeld = OnlineService.objects.get(slug="wohngeld")
    leika_key = wohngeld.services.exclude(leika_key=None).values_list("leika_key", flat=True).first()

    assert set(slugs(graphql, first=100, providerState=wohngeld.provider_state.code.lower())) == set(
        OnlineService.objects.filter(provider_state=wohngeld.provider_state).values_list("slug", flat=True))
    assert set(slugs(graphql, first=100, lifecycle=wohngeld.lifecycle)) == set(
        OnlineService.objects.filter(lifecycle=wohngeld.lifecycle).values_list("slug", flat=True))
    if wohngeld.topic:
        assert "wohngeld" in slugs(graphql, first=100, topic=wohngeld.topic.code)
    if leika_key:
        assert "wohngeld" in slugs(graphql, first=100, leikaKey=leika_key)
    assert slugs(graphql, first=100, search="Wohngeld")[:1] == ["wohngeld"] or "wohngeld" in slugs(
        graphql, first=100, search="Wohngeld")
    assert slugs(graphql, first=100, search="zzz-nichts-zzz") == []


def test_subscribed_by_lists_services_a_state_reuses(graphql):
    from licensing.models import Subscription

    wohngeld = OnlineService.objects.get(slug="wohngeld")
    other = "BY" if wohngeld.provider_state.code != "BY" else "NW"
    from directory.models import State

    Subscription.objects.create(state=State.objects.by_code(other), online_service=wohngeld, status="ACTIVE",
                                legal_basis="ADMINISTRATIVE_AGREEMENT")
    Subscription.objects.create(state=State.objects.by_code("SL"), online_service=wohngeld, status="REQUESTED",
                                legal_basis="ADMINISTRATIVE_AGREEMENT")

    assert slugs(graphql, first=100, subscribedBy=other) == ["wohngeld"]
    assert slugs(graphql, first=100, subscribedBy="SL") == []  # a request is not reuse (and not public)


@pytest.mark.parametrize("variables, argument", [
    ({"providerState": "XX"}, "providerState"), ({"subscribedBy": "ZZ"}, "subscribedBy"),
    ({"leikaKey": "12345"}, "leikaKey"), ({"first": 101}, "first"), ({"first": -1}, "first"),
])
def test_bad_arguments_are_bad_user_input(graphql, variables, argument):
    content = graphql.execute(ONLINE_SERVICES_QUERY, variables)

    assert content["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert argument in content["errors"][0]["message"]


def test_an_unknown_lifecycle_is_a_validation_error(graphql):
    content = graphql.execute(ONLINE_SERVICES_QUERY, {"lifecycle": "SOON"})

    assert "errors" in content and content.get("data") is None


def _release(online_service, version):
    from store.models import Release

    major, minor, patch = (int(part) for part in version.split("."))
    return Release.objects.create(online_service=online_service, version=version, version_major=major,
                                  version_minor=minor, version_patch=patch, tag=f"v{version}", commit="0" * 40)


def test_latest_release_by_semver(graphql):
    wohngeld = OnlineService.objects.get(slug="wohngeld")
    for version in ("1.9.0", "1.10.0", "1.2.3"):
        _release(wohngeld, version)

    data = graphql.data(ONLINE_SERVICES_QUERY, {"first": 100, "search": "Wohngeld"})["onlineServices"]

    node = next(edge["node"] for edge in data["edges"] if edge["node"]["slug"] == "wohngeld")
    assert node["latestRelease"]["version"] == "1.10.0"


def test_query_count_does_not_grow_with_the_page(graphql, django_assert_num_queries):
    for number in range(30):
        online_service = OnlineServiceFactory(slug=f"dienst-n1-{number}", name=f"Dienst N+1 {number}")
        _release(online_service, f"1.{number}.0")
        _release(online_service, "0.1.0")

    # count, page; releases, criterion assessments, subscriptions (prefetch); nothing per row, whatever the page size
    with django_assert_num_queries(5):
        small = graphql.data(ONLINE_SERVICES_QUERY, {"first": 2})
    with django_assert_num_queries(5):
        large = graphql.data(ONLINE_SERVICES_QUERY, {"first": 100})

    assert len(small["onlineServices"]["edges"]) == 2 and len(large["onlineServices"]["edges"]) >= 36
    assert all(edge["node"]["latestRelease"] for edge in large["onlineServices"]["edges"]
               if edge["node"]["slug"].startswith("dienst-n1-"))
