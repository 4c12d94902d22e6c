"""Cases of the read-permission matrix (tests/api/test_read_matrix.py) for the directory's types.

States and regions are public reference data. Authorities, their endpoints (with certificates),
responsibilities, routes and the change feed are read by every account and by nobody anonymous.
A webhook subscription is its gateway's (and the operators'): another gateway does not find it.
"""
from django.contrib.contenttypes.models import ContentType
from graphql_relay import to_global_id

from directory.models import Authority, Region, State, WebhookSubscription
from fitstore.models import AuditEntry
from tests.directory.fixtures import WOHNGELD, Directory

from ..reads import ACCOUNTS, EVERYONE, Path, Read

IDENTIFIER = "nw:lesematrix-wohngeld"
DISTRICT, MUNICIPALITY = "05111", "051110000000"  # Düsseldorf, Stadt (NW)
NODE = Path("node", "query R($id: ID!) { node(id: $id) { id } }")


def _gid(obj) -> str:
    return to_global_id(type(obj).__name__, obj.pk)


def _public(get):
    def make(context):
        obj = get()
        return {"id": _gid(obj), "marker": _gid(obj), "code": "MV", "ars": DISTRICT}

    return make


def _authority(context):
    """An authority of NW responsible for Wohngeld in Düsseldorf, with a FIT-Connect and an
    OSCI/XTA endpoint (with its certificate); the variables name each by its global ID."""
    directory = Directory()
    after = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0
    authority = directory.authority(IDENTIFIER, name="Wohngeldstelle Lesematrix", state="NW", ars=DISTRICT,
                                    kind="MUNICIPAL")
    fit_connect = directory.endpoint(authority)
    osci = directory.endpoint(authority, kind="OSCI_XTA", address="https://osci.lesematrix.example/xta",
                              service_uri="urn:lesematrix:xta", certificate_pem=context.certificates.valid)
    responsibility = directory.responsible(authority, WOHNGELD, DISTRICT)
    created = AuditEntry.objects.get(object_type=ContentType.objects.get_for_model(Authority),
                                     object_id=str(authority.pk), action="CREATED")
    return {"identifier": IDENTIFIER, "id": _gid(authority), "marker": _gid(authority), "after": str(after),
            "endpoint": _gid(fit_connect), "osci": _gid(osci), "responsibility": _gid(responsibility),
            "change": to_global_id("DirectoryChange", created.pk), "fingerprint": context.certificates.valid_fingerprint}


def _as(name):
    """`make` for one of the objects `_authority` makes: its variable `name` is the id and the marker."""

    def make(context):
        variables = _authority(context)
        return {**variables, "id": variables[name], "marker": variables[name]}

    return make


def _webhook_of_the_gateway(context):
    subscription = WebhookSubscription.objects.create(
        owner=context.actors["gateway"], callback_url="https://gateway.lesematrix.example/hook", secret="whsec_test")
    global_id = to_global_id("DirectoryChangeSubscription", subscription.pk)
    return {"id": global_id, "marker": global_id}


AUTHORITY_FIELDS = """id identifier name kind active origin createdAt updatedAt state { code } region { id ars }"""
ENDPOINT_FIELDS = """id kind address destinationId serviceUri validFrom validUntil active authority { id }
  certificate { fingerprintSha256 notBefore notAfter subject issuer serialNumber pem }"""
RESPONSIBILITY_FIELDS = "id leikaKey nationwide service { id } regions { id } authority { id }"
ROUTES = Path("routes", f"""
query R {{
  routes(leikaKey: "{WOHNGELD}", ars: "{MUNICIPALITY}") {{
    leikaKey level region {{ id }} authority {{ id identifier }} endpoints {{ {ENDPOINT_FIELDS} }} onlineService {{ slug }}
  }}
}}""")
SEARCH_AUTHORITIES = Path("searchAuthorities", """
query R {
  searchAuthorities(query: "Wohngeldstelle Lesematrix", first: 100) {
    totalCount fallback facets { name label buckets { value label count } }
    hits { score highlight authority { id identifier } }
  }
}""")
AUTHORITY_WITH_ALL = Path("authority", f"""
query R($identifier: String!) {{
  authority(identifier: $identifier) {{
    {AUTHORITY_FIELDS} endpoints {{ {ENDPOINT_FIELDS} }} responsibilities {{ {RESPONSIBILITY_FIELDS} }}
  }}
}}""")

DIRECTORY_READS = [
    Read("State", "public", _public(lambda: State.objects.by_code("MV")), EVERYONE, (
        NODE,
        Path("states", "query R { states { id code } }"),
        Path("state", """
query R($code: String!) {
  state(code: $code) { id code name ars seat population isCityState koenigsteinShare koenigsteinYear region { id } }
}"""),
        Path("nested OnlineService.providerState", "query R { onlineService(slug: \"wohngeld\") { providerState { id } } }"),
    )),
    Read("Region", "public", _public(lambda: Region.objects.get(ars=DISTRICT)), EVERYONE, (
        NODE,
        Path("region", "query R($ars: String!) { region(ars: $ars) { id ars name level kind ags seat population postcode state { code } } }"),
        Path("list regions", """
query R { regions(first: 100, ars: "05111") { totalCount pageInfo { hasNextPage } edges { cursor node { id } } } }"""),
        Path("nested Region.parent, Region.ancestors", f"""
query R {{ region(ars: "{MUNICIPALITY}") {{ parent {{ parent {{ id }} }} ancestors {{ id }} }} }}"""),
    )),
    Read("Authority", "directory: accounts", _authority, ACCOUNTS, (
        NODE,
        AUTHORITY_WITH_ALL,
        Path("list authorities", """
query R($identifier: String!) {
  authorities(first: 100, identifier: $identifier) { totalCount pageInfo { hasNextPage } edges { cursor node { id } } }
}"""),
        Path("list authorities (search)", """
query R { authorities(first: 100, search: "Wohngeldstelle Lesematrix") { totalCount pageInfo { hasNextPage } edges { node { id } } } }"""),
        SEARCH_AUTHORITIES,
        ROUTES,
        Path("nested Endpoint.authority, Responsibility.authority", f"""
query R($endpoint: ID!, $responsibility: ID!) {{
  e: node(id: $endpoint) {{ ... on Endpoint {{ authority {{ id }} }} }}
  r: node(id: $responsibility) {{ ... on Responsibility {{ authority {{ id }} }} }}
}}"""),
    )),
    Read("AuthoritySearchResult", "directory: accounts", _authority, ACCOUNTS, (SEARCH_AUTHORITIES,)),
    Read("AuthoritySearchHit", "directory: accounts", _authority, ACCOUNTS, (SEARCH_AUTHORITIES,)),
    Read("Endpoint", "directory: accounts", _as("endpoint"), ACCOUNTS, (NODE, AUTHORITY_WITH_ALL, ROUTES)),
    Read("Certificate", "directory: accounts", lambda context: {**_authority(context), "marker": context.certificates
                                                                 .valid_fingerprint}, ACCOUNTS, (
        Path("nested Endpoint.certificate", f"query R($osci: ID!) {{ node(id: $osci) {{ ... on Endpoint {{ {ENDPOINT_FIELDS} }} }} }}"),
        AUTHORITY_WITH_ALL, ROUTES,
    )),
    Read("Responsibility", "directory: accounts", _as("responsibility"), ACCOUNTS, (
        NODE, AUTHORITY_WITH_ALL,
        Path("node (fields)", f"query R($id: ID!) {{ node(id: $id) {{ ... on Responsibility {{ {RESPONSIBILITY_FIELDS} }} }} }}"),
    )),
    Read("Route", "directory: accounts", lambda context: {**_authority(context), "marker": IDENTIFIER}, ACCOUNTS, (ROUTES,)),
    # What routing reads of reuse, for mirrors: online services and their CONNECTED states (public
    # on the map), behind a token like the rest of the directory's machine reads.
    Read("DirectoryRouteServices", "directory: accounts", lambda context: {"marker": "wohngeld"}, ACCOUNTS, (
        Path("directoryRouteServices", "query R { directoryRouteServices { digest onlineServices signature } }"),
    )),
    Read("DirectoryChange", "directory: accounts", _as("change"), ACCOUNTS, (
        NODE,
        Path("list directoryChanges", """
query R($after: String) {
  directoryChanges(after: $after, first: 100) {
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    signature
    edges { cursor node { id at action objectType objectId data destinationSignatures } }
  }
}"""),
    )),
    Read("DirectoryChangeSubscription", "webhook subscriptions: their gateway", _webhook_of_the_gateway,
         frozenset({"gateway", "operator"}), (
             Path("node", """
query R($id: ID!) {
  node(id: $id) {
    id ... on DirectoryChangeSubscription {
      callbackUrl state { code } status createdAt lastDeliveredAt lastError pendingDeliveries lastDeliveredCursor
    }
  }
}"""),
             # The list is the caller's own: an operator reads another gateway's by node only.
             Path("directoryChangeSubscriptions", "query R { directoryChangeSubscriptions { id status } }",
                  readers=frozenset({"gateway"})),
         )),
]
