"""Authority search (directory/search.py): indexed on commit of every audited write (the audit
hook, no call in the services), responsibilities' LeiKa names included, facets with German
labels, the filterset's q ranked by the search, the permission filter, and the engine down."""
import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from directory import services
from directory.filtersets import AuthorityFilterSet
from directory.models import Authority
from fitstore import search
from fitstore.search.models import SearchDirty
from tests.directory.fixtures import BERG, STARNBERG_DISTRICT, WOHNGELD

INDEX = "authorities"


@pytest.fixture
def authorities(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        starnberg = services.register_authority(identifier="by:lra-starnberg", name="Landratsamt Starnberg",
                                                state_code="BY", ars=STARNBERG_DISTRICT, kind="DISTRICT", actor="test")
        services.register_authority(identifier="by:gemeinde-berg", name="Gemeinde Berg", state_code="BY", ars=BERG,
                                    kind="MUNICIPAL", actor="test")
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_responsibility(starnberg, leika_key=WOHNGELD, ars=[STARNBERG_DISTRICT], actor="test")
    return starnberg


def ids(result):
    return [hit.object_id for hit in result.hits]


def test_authorities_are_indexed_on_commit_through_the_audit_hook(search_backend, authorities):
    # name, seat and — after the responsibility was assigned — the LeiKa name of what it does
    assert ids(search.search(INDEX, "Landratsamt"))[:1] == [str(authorities.pk)]
    assert ids(search.search(INDEX, "Wohngeld")) == [str(authorities.pk)]
    assert ids(search.search(INDEX, "Landratsamt Starnbreg"))[:1] == [str(authorities.pk)]  # a typo
    result = search.search(INDEX, "Gemeinde", filters={"kind": "MUNICIPAL"})
    assert [Authority.objects.get(pk=pk).identifier for pk in ids(result)] == ["by:gemeinde-berg"]
    index = search.get_index(INDEX)
    assert index.facet_labels("kind", ["MUNICIPAL"]) == {"MUNICIPAL": "Kommunalbehörde"}
    assert index.facet_labels("state", ["BY"]) == {"BY": "Bayern"}


def test_withdrawn_responsibility_and_rename_are_reindexed(db, authorities, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_responsibility(authorities, leika_key=WOHNGELD, ars=[STARNBERG_DISTRICT], actor="test")
    assert search.search(INDEX, "Wohngeld").total == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.update_authority(authorities, name="Kreisverwaltung Starnberg", actor="test")
    assert ids(search.search(INDEX, "Kreisverwaltung")) == [str(authorities.pk)]
    assert search.search(INDEX, "Landratsamt").total == 0


def test_filterset_q_ranks_by_the_search(db, authorities):
    qs = AuthorityFilterSet({"q": "Starnberg Landratsamt"}, queryset=Authority.objects.all()).qs
    assert list(qs.values_list("identifier", flat=True))[:1] == ["by:lra-starnberg"]
    qs = AuthorityFilterSet({"q": "wohngeld"}, queryset=Authority.objects.all()).qs
    assert list(qs.values_list("identifier", flat=True)) == ["by:lra-starnberg"]
    # an identifier is matched as typed
    qs = AuthorityFilterSet({"q": "by:gemeinde"}, queryset=Authority.objects.all()).qs
    assert list(qs.values_list("identifier", flat=True)) == ["by:gemeinde-berg"]
    assert not AuthorityFilterSet({"q": "zzz-nirgends"}, queryset=Authority.objects.all()).qs.exists()


def test_search_authorities_query_needs_an_account_and_ranks(graphql, make_user, make_token, authorities):
    query = "query($q: String!) { authorities(q: $q, first: 5) { edges { node { identifier } } } }"
    anonymous = graphql.execute(query, {"q": "Wohngeld"})
    assert anonymous.get("errors")
    token = make_token(make_user("gw-search", role="gateway"))
    data = graphql.data(query, {"q": "Wohngeld"}, token=token)
    assert [edge["node"]["identifier"] for edge in data["authorities"]["edges"]] == ["by:lra-starnberg"]


def test_authority_write_with_the_engine_down_is_found_after_catch_up(
    db, engine_url, stopped_engine_url, django_capture_on_commit_callbacks
):
    with override_settings(SEARCH_URL=engine_url):
        search.rebuild(search.get_index(INDEX), backend="engine")
    with override_settings(SEARCH_URL=stopped_engine_url):  # a real osmem-server, stopped
        with django_capture_on_commit_callbacks(execute=True):
            authority = services.register_authority(
                identifier="by:lra-fuerstenfeldbruck", name="Landratsamt Fürstenfeldbruck", state_code="BY",
                ars=STARNBERG_DISTRICT, kind="DISTRICT", actor="test")
        assert Authority.objects.filter(pk=authority.pk).exists()  # the write succeeded
        assert SearchDirty.objects.filter(index=INDEX, object_id=str(authority.pk)).exists()
        result = search.search(INDEX, "Fuerstenfeldbruck")
        assert (result.fallback, ids(result)) == (True, [str(authority.pk)])
    with override_settings(SEARCH_URL=engine_url):
        assert search.search(INDEX, "Fürstenfeldbruck", backend="engine").total == 0
        call_command("search_index", "--catch-up", verbosity=0)
        result = search.search(INDEX, "Fürstenfeldbruck")
        assert (result.fallback, ids(result)) == (False, [str(authority.pk)])
        assert not SearchDirty.objects.exists()


SEARCH_AUTHORITIES = """query($q: String!, $kind: String) { searchAuthorities(query: $q, kind: $kind) {
  totalCount fallback hits { score highlight authority { identifier } }
  facets { name label buckets { value label count } } } }"""


def test_search_authorities_query(graphql, make_user, make_token, authorities):
    assert graphql.execute(SEARCH_AUTHORITIES, {"q": "Starnberg"}).get("errors")  # needs an account
    token = make_token(make_user("gw-search2", role="gateway"))
    data = graphql.data(SEARCH_AUTHORITIES, {"q": "Landratsamt Starnberg"}, token=token)["searchAuthorities"]
    assert data["hits"][0]["authority"]["identifier"] == "by:lra-starnberg"
    assert data["hits"][0]["highlight"] == "<em>Landratsamt</em> <em>Starnberg</em>" and not data["fallback"]
    facets = {facet["name"]: facet for facet in data["facets"]}
    assert facets["state"]["label"] == "Land" and facets["state"]["buckets"][0]["label"] == "Bayern"
    assert facets["kind"]["label"] == "Art der Behörde"
    data = graphql.data(SEARCH_AUTHORITIES, {"q": "Berg", "kind": "MUNICIPAL"}, token=token)["searchAuthorities"]
    assert [hit["authority"]["identifier"] for hit in data["hits"]] == ["by:gemeinde-berg"]
    errors = graphql.execute(SEARCH_AUTHORITIES, {"q": "Berg", "kind": "PLANET"}, token=token)["errors"]
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"
