"""`directoryChanges` of the contract (gateway.graphql: DirectoryChanges): every committed write
to authorities, endpoints and responsibilities, oldest first, resumable from a stable cursor."""
import pytest
from graphql_relay import to_global_id

from directory import services
from fitstore.models import AuditEntry
from tests.directory.fixtures import STARNBERG_DISTRICT, WOHNGELD

DIRECTORY_CHANGES_QUERY = """
query DirectoryChanges($after: String, $first: Int) {
  directoryChanges(after: $after, first: $first) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { objectType objectId action at } }
  }
}
"""


@pytest.fixture
def history(directory):
    authority = directory.authority("by:lra-starnberg", name="Landratsamt Starnberg")
    endpoint = directory.endpoint(authority)
    responsibility = directory.responsible(authority, WOHNGELD, STARNBERG_DISTRICT)
    services.update_authority(authority, name="LRA Starnberg", actor="test")
    services.withdraw_responsibility(authority, leika_key=WOHNGELD, actor="test")
    return authority, endpoint, responsibility


def changes(node_list):
    return [(edge["node"]["objectType"], edge["node"]["action"]) for edge in node_list["edges"]]


def test_anonymous_callers_get_unauthenticated(graphql, history):
    content = graphql.execute(DIRECTORY_CHANGES_QUERY, {"first": 10})

    assert content["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


@pytest.mark.parametrize("role, state", [(None, None), ("gateway", None), ("directory-maintainer", "NI")])
def test_every_write_in_commit_order(graphql, make_user, make_token, history, role, state):
    authority, endpoint, responsibility = history
    token = make_token(make_user("gw", role=role, state=state))  # granting the role is audited, but not listed

    feed = graphql.data(DIRECTORY_CHANGES_QUERY, {"first": 100}, token=token)["directoryChanges"]

    assert changes(feed) == [("Authority", "CREATED"), ("Endpoint", "CREATED"), ("Responsibility", "CREATED"),
                             ("Authority", "UPDATED"), ("Responsibility", "DELETED")]
    assert feed["edges"][0]["node"]["objectId"] == to_global_id("Authority", authority.pk)
    assert feed["edges"][1]["node"]["objectId"] == to_global_id("Endpoint", endpoint.pk)
    assert feed["edges"][0]["node"]["at"] <= feed["edges"][-1]["node"]["at"]
    assert not feed["pageInfo"]["hasNextPage"]


def test_resume_from_a_cursor(graphql, make_user, make_token, history, directory):
    token = make_token(make_user("gw", role="gateway"))

    first = graphql.data(DIRECTORY_CHANGES_QUERY, {"first": 2}, token=token)["directoryChanges"]
    rest = graphql.data(DIRECTORY_CHANGES_QUERY, {"first": 10, "after": first["pageInfo"]["endCursor"]},
                        token=token)["directoryChanges"]
    end = rest["pageInfo"]["endCursor"]
    idle = graphql.data(DIRECTORY_CHANGES_QUERY, {"after": end}, token=token)["directoryChanges"]
    directory.authority("by:gemeinde-berg")
    later = graphql.data(DIRECTORY_CHANGES_QUERY, {"after": end}, token=token)["directoryChanges"]

    assert first["pageInfo"]["hasNextPage"] and len(first["edges"]) == 2
    assert changes(rest)[0] == ("Responsibility", "CREATED") and len(rest["edges"]) == 3
    assert idle == {"pageInfo": {"hasNextPage": False, "endCursor": end}, "edges": []}
    assert changes(later) == [("Authority", "CREATED")]
    assert int(later["edges"][0]["cursor"]) == AuditEntry.objects.latest("id").pk


@pytest.mark.parametrize("variables, argument", [({"after": "abc"}, "after"), ({"first": 101}, "first"),
                                                 ({"first": -1}, "first")])
def test_bad_arguments(graphql, make_user, make_token, variables, argument):
    content = graphql.execute(DIRECTORY_CHANGES_QUERY, variables, token=make_token(make_user("gw", role="gateway")))

    assert content["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "argument": argument}
