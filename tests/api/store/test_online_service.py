"""onlineService(slug): the store's fields (catalogue relations, repository, releases)."""
from store import services
from store.models import OnlineService

from .gitrepo import PUBLICCODE

# The store's part of the contract's OnlineService query (criteria, interfaces and licensing
# fields are tested where they are built).
ONLINE_SERVICE_QUERY = """
query OnlineService($slug: String!) {
  onlineService(slug: $slug) {
    id slug name summary description lifecycle itProvider responsibleMinistry
    providerState { code name }
    topic { code name }
    lifeSituations { code name }
    services { leikaKey name }
    repository { url license defaultBranch }
    releases(first: 5) { totalCount edges { node { version tag commit publishedAt changelog publiccode } } }
    latestRelease { version }
  }
}
"""


def test_anonymous_callers_read_an_online_service(graphql):
    wohngeld = OnlineService.objects.get(slug="wohngeld")

    node = graphql.data(ONLINE_SERVICE_QUERY, {"slug": "wohngeld"})["onlineService"]

    assert (node["slug"], node["name"], node["providerState"]["code"]) == ("wohngeld", wohngeld.name,
                                                                          wohngeld.provider_state.code)
    assert {s["leikaKey"] for s in node["services"]} == set(wohngeld.services.values_list("leika_key", flat=True))
    assert {s["code"] for s in node["lifeSituations"]} == set(wohngeld.life_situations.values_list("code", flat=True))
    assert node["repository"] is None and node["releases"]["totalCount"] == 0 and node["latestRelease"] is None


def test_an_unknown_slug_is_null(graphql):
    assert graphql.data(ONLINE_SERVICE_QUERY, {"slug": "gibt-es-nicht"})["onlineService"] is None


def test_repository_and_releases_newest_version_first(graphql, git_repository, make_user, make_token):
    wohngeld = OnlineService.objects.get(slug="wohngeld")
    services.set_repository(wohngeld, url=git_repository.url, license="EUPL-1.2", actor="system:test")
    for version in ("1.9.0", "1.10.0", "1.10.1-rc.1"):
        git_repository.commit(f"Stand {version}", {"publiccode.yml": PUBLICCODE.replace(
            "name: Wohngeld-Antrag", f"name: Wohngeld {version}")})
        git_repository.tag(f"v{version}", annotated=False)
        services.publish_release(wohngeld, f"v{version}", actor="system:test")
    token = make_token(make_user("coordinator", role="coordinator", state="BY"))

    node = graphql.data(ONLINE_SERVICE_QUERY, {"slug": "wohngeld"}, token=token)["onlineService"]

    assert node["repository"] == {"url": str(git_repository.path), "license": "EUPL-1.2", "defaultBranch": "main"}
    releases = [edge["node"] for edge in node["releases"]["edges"]]
    assert [r["version"] for r in releases] == ["1.10.1-rc.1", "1.10.0", "1.9.0"]
    assert releases[1]["publiccode"]["name"] == "Wohngeld 1.10.0"
    assert releases[1]["changelog"] == "Stand 1.10.0" and len(releases[1]["commit"]) == 40
    assert node["latestRelease"] == {"version": "1.10.0"}


def test_releases_first_is_capped(graphql):
    content = graphql.execute("""{ onlineService(slug: "wohngeld") { releases(first: 101) { totalCount } } }""")

    assert content["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
