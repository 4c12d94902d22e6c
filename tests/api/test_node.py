"""Relay `node(id)`: every object type is reachable by its global ID, within what the caller may see."""
from graphql_relay import to_global_id

from directory.models import Region
from fitstore.models import ApiToken

NODE_QUERY = """
query Node($id: ID!) {
  node(id: $id) { id __typename ... on Region { ars name } ... on ApiToken { name } }
}
"""


def test_region_by_global_id(graphql):
    region = Region.objects.get(ars="09188")
    global_id = to_global_id("Region", region.pk)

    node = graphql.data(NODE_QUERY, {"id": global_id})["node"]

    assert node == {"id": global_id, "__typename": "Region", "ars": "09188", "name": "Starnberg"}


def test_tokens_are_nodes_only_for_their_owner(graphql, make_user, make_token):
    owner, other = make_user("owner"), make_user("other")
    make_token(owner, name="mine")
    global_id = to_global_id("ApiToken", ApiToken.objects.get(name="mine").pk)

    assert graphql.data(NODE_QUERY, {"id": global_id}, token=make_token(owner, name="s"))["node"]["name"] == "mine"
    assert graphql.data(NODE_QUERY, {"id": global_id}, token=make_token(other))["node"] is None
    assert graphql.data(NODE_QUERY, {"id": global_id})["node"] is None
