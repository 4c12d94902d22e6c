"""`deactivateEndpoint`: takes an endpoint out of routing; by its global ID."""
import pytest
from graphql_relay import to_global_id

from directory.models import Endpoint
from tests.api.directory.helpers import nothing_written

DEACTIVATE_ENDPOINT_MUTATION = """
mutation DeactivateEndpoint($input: DeactivateEndpointInput!) {
  deactivateEndpoint(input: $input) { endpoint { id kind active } errors { field code message } }
}
"""


@pytest.fixture
def endpoint(directory):
    return directory.endpoint(directory.authority("by:lra-starnberg", name="Landratsamt Starnberg"))


def deactivate(graphql, token, global_id):
    return graphql.data(DEACTIVATE_ENDPOINT_MUTATION, {"input": {"endpoint": global_id}}, token=token)["deactivateEndpoint"]


@pytest.mark.parametrize("role, state", [(None, None), ("gateway", None), ("directory-maintainer", "NI")])
def test_refused_like_a_missing_endpoint(graphql, make_user, make_token, endpoint, role, state):
    token = make_token(make_user("someone", role=role, state=state)) if role else None

    with nothing_written():
        refused = deactivate(graphql, token, to_global_id("Endpoint", endpoint.pk))
        missing = deactivate(graphql, token, to_global_id("Endpoint", 999999))
        garbage = deactivate(graphql, token, "not-an-id")

    assert refused == missing == garbage
    assert [error["code"] for error in refused["errors"]] == ["PERMISSION_DENIED"]


def test_the_states_maintainer_deactivates(graphql, make_user, make_token, endpoint):
    token = make_token(make_user("maintainer", role="directory-maintainer", state="BY"))
    global_id = to_global_id("Endpoint", endpoint.pk)

    result = deactivate(graphql, token, global_id)

    assert result == {"endpoint": {"id": global_id, "kind": "FIT_CONNECT", "active": False}, "errors": []}
    assert not Endpoint.objects.get().active
