"""Cases of the read-permission matrix (tests/api/test_read_matrix.py) for the store's types: the
public catalogue, which everyone reads by every path, signed in or not."""
from graphql_relay import to_global_id

from store.models import OnlineService, Release, Repository

from ..reads import EVERYONE, Path, Read

SLUG = "wohngeld"


def _wohngeld() -> OnlineService:
    return OnlineService.objects.get(slug=SLUG)


def _node_of(get):
    """`make` for a catalogue object found in the reference data by `get(wohngeld)`."""

    def make(context):
        obj = get(_wohngeld())
        global_id = to_global_id(type(obj).__name__, obj.pk)
        return {"id": global_id, "slug": SLUG, "marker": global_id}

    return make


def _marked(get):
    """`make` for a value of Wohngeld that only it shows (`get(wohngeld)`)."""
    return lambda context: {"slug": SLUG, "marker": get(_wohngeld())}


def _release(context):
    online_service = _wohngeld()
    Repository.objects.create(online_service=online_service, url="https://gitlab.opencode.de/lesematrix/wohngeld.git",
                              license="EUPL-1.2", default_branch="main")
    release = Release.objects.create(
        online_service=online_service, version="7.7.7", version_major=7, version_minor=7, version_patch=7, tag="v7.7.7",
        commit="7" * 40, changelog="Lesematrix", publiccode={"name": "Wohngeld"},
        publiccode_errors=[{"key": "lesematrix.key", "description": "fehlt", "line": 3, "column": 1}],
    )
    return {"id": to_global_id("Release", release.pk), "slug": SLUG, "marker": to_global_id("Release", release.pk),
            "repository": to_global_id("Repository", online_service.repository.pk)}


def _repository(context):
    variables = _release(context)
    return {**variables, "id": variables["repository"], "marker": variables["repository"]}


def _finding(context):
    return {**_release(context), "marker": "lesematrix.key"}


NODE = Path("node", "query R($id: ID!) { node(id: $id) { id } }")
ONLINE_SERVICE_FIELDS = """id slug name summary description lifecycle isDemo maturityLevel responsibleMinistry itProvider
  providerState { code } topic { id } efaConformant politicalSupport expertResources itProviderCapacity"""
SEARCH = """
query R {
  search(query: "Wohngeld", first: 100) {
    totalCount fallback
    facets { name label buckets { value label count } }
    hits { score highlight onlineService { id slug } }
  }
}"""

STORE_READS = [
    Read("OnlineService", "public", _node_of(lambda wohngeld: wohngeld), EVERYONE, (
        NODE,
        Path("onlineService", f"query R($slug: String!) {{ onlineService(slug: $slug) {{ {ONLINE_SERVICE_FIELDS} }} }}"),
        Path("list onlineServices", """
query R { onlineServices(first: 100) { totalCount pageInfo { hasNextPage } edges { cursor node { id slug } } } }"""),
        Path("search", SEARCH),
        Path("searchSuggestions", "query R { searchSuggestions(query: \"Wohng\", first: 100) { onlineService { id } } }"),
    )),
    Read("Topic", "public", _node_of(lambda wohngeld: wohngeld.topic), EVERYONE, (
        NODE, Path("nested OnlineService.topic", "query R($slug: String!) { onlineService(slug: $slug) { topic { id code name } } }"),
    )),
    Read("LifeSituation", "public", _node_of(lambda wohngeld: wohngeld.life_situations.first()), EVERYONE, (
        NODE, Path("nested OnlineService.lifeSituations", """
query R($slug: String!) { onlineService(slug: $slug) { lifeSituations { id code name topic { id } } } }"""),
    )),
    Read("OzgService", "public", _node_of(lambda wohngeld: wohngeld.services.exclude(ozg_service=None).first().ozg_service),
         EVERYONE, (
             NODE, Path("nested LeikaService.ozgService", """
query R($slug: String!) {
  onlineService(slug: $slug) { services { ozgService { id ozgId name lifeSituation { id } topic { id } } } }
}"""),
         )),
    Read("LeikaService", "public", _node_of(lambda wohngeld: wohngeld.services.first()), EVERYONE, (
        NODE, Path("nested OnlineService.services", """
query R($slug: String!) {
  onlineService(slug: $slug) { services { id leikaKey name leikaType legalBasis lawAbbreviation sdgRelevant } }
}"""),
    )),
    Read("EfaCriterion", "public", lambda context: {"slug": SLUG, "marker": "C6"}, EVERYONE, (
        Path("nested OnlineService.efaCriteria",
             "query R($slug: String!) { onlineService(slug: $slug) { efaCriteria { code name met detail } } }"),
    )),
    Read("Interface", "public", _marked(lambda wohngeld: wohngeld.interfaces.first().version), EVERYONE, (
        Path("nested OnlineService.interfaces",
             "query R($slug: String!) { onlineService(slug: $slug) { interfaces { version role standard { name } } } }"),
    )),
    Read("InterfaceStandard", "public", _marked(lambda wohngeld: wohngeld.interfaces.first().standard.identifier),
         EVERYONE, (
             Path("nested Interface.standard", """
query R($slug: String!) { onlineService(slug: $slug) { interfaces { standard { identifier name description url } } } }"""),
         )),
    Read("BasisComponent", "public", _marked(lambda wohngeld: wohngeld.basis_components.first().code), EVERYONE, (
        Path("nested OnlineService.basisComponents",
             "query R($slug: String!) { onlineService(slug: $slug) { basisComponents { code name } } }"),
    )),
    Read("Repository", "public", _repository, EVERYONE, (
        NODE, Path("nested OnlineService.repository", """
query R($slug: String!) { onlineService(slug: $slug) { repository { id url license defaultBranch fetchedAt } } }"""),
    )),
    Read("Release", "public", _release, EVERYONE, (
        NODE,
        Path("nested OnlineService.releases", """
query R($slug: String!) {
  onlineService(slug: $slug) {
    releases(first: 100) {
      totalCount pageInfo { hasNextPage }
      edges { node { id version tag commit taggerName taggedAt publishedAt changelog publiccode isPrerelease } }
    }
  }
}"""),
        Path("nested OnlineService.latestRelease",
             "query R($slug: String!) { onlineService(slug: $slug) { latestRelease { id version } } }"),
    )),
    Read("PubliccodeFinding", "public", _finding, EVERYONE, (
        Path("nested Release.publiccodeErrors", """
query R($slug: String!) { onlineService(slug: $slug) { latestRelease { publiccodeErrors { key description line column } } } }"""),
    )),
    Read("SearchResult", "public", lambda context: {"marker": "wohngeld"}, EVERYONE, (Path("search", SEARCH),)),
    Read("SearchHit", "public", lambda context: {"marker": "wohngeld"}, EVERYONE, (Path("search", SEARCH),)),
    Read("SearchFacet", "public", lambda context: {"marker": "providerState"}, EVERYONE, (Path("search", SEARCH),)),
    Read("SearchFacetBucket", "public", lambda context: {"marker": "MV"}, EVERYONE, (Path("search", SEARCH),)),
]
