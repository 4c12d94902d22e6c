"""`deactivateAuthority`: takes an authority out of routing."""
import pytest

from directory.models import Authority
from tests.api.directory.helpers import nothing_written

DEACTIVATE_AUTHORITY_MUTATION = """
mutation DeactivateAuthority($input: DeactivateAuthorityInput!) {
  deactivateAuthority(input: $input) { authority { identifier active } errors { field code message } }
}
"""


@pytest.fixture
def starnberg(directory):
    return directory.authority("by:lra-starnberg", name="Landratsamt Starnberg")


def deactivate(graphql, token):
    return graphql.data(DEACTIVATE_AUTHORITY_MUTATION, {"input": {"identifier": "by:lra-starnberg"}},
                        token=token)["deactivateAuthority"]


@pytest.mark.parametrize("role, state", [(None, None), ("coordinator", "BY"), ("directory-maintainer", "NI")])
def test_refused_without_the_states_role(graphql, make_user, make_token, starnberg, role, state):
    token = make_token(make_user("someone", role=role, state=state)) if role else None

    with nothing_written():
        result = deactivate(graphql, token)

    assert [error["code"] for error in result["errors"]] == ["PERMISSION_DENIED"]


def test_the_states_maintainer_deactivates_once(graphql, make_user, make_token, starnberg):
    token = make_token(make_user("maintainer", role="directory-maintainer", state="BY"))

    assert deactivate(graphql, token) == {"authority": {"identifier": "by:lra-starnberg", "active": False}, "errors": []}
    assert not Authority.objects.get().active
    with nothing_written():
        again = deactivate(graphql, token)
    assert [(e["field"], e["code"]) for e in again["errors"]] == [("identifier", "INACTIVE")]
