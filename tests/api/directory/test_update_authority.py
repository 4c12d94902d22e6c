"""`updateAuthority`: name, seat and kind of an authority, by the directory maintainer of its state."""
import pytest

from fitstore.models import AuditEntry
from tests.api.directory.helpers import nothing_written
from tests.directory.fixtures import BERG, SAMTGEMEINDE_BROME

UPDATE_AUTHORITY_MUTATION = """
mutation UpdateAuthority($input: UpdateAuthorityInput!) {
  updateAuthority(input: $input) {
    authority { identifier name kind region { ars } }
    errors { field code message }
  }
}
"""


@pytest.fixture
def starnberg(directory):
    return directory.authority("by:lra-starnberg", name="Landratsamt Starnberg")


def update(graphql, token, **data):
    return graphql.data(UPDATE_AUTHORITY_MUTATION, {"input": {"identifier": "by:lra-starnberg", **data}},
                        token=token)["updateAuthority"]


@pytest.mark.parametrize("role, state", [(None, None), ("gateway", None), ("directory-maintainer", "NI")])
def test_refused_without_the_states_role(graphql, make_user, make_token, starnberg, role, state):
    token = make_token(make_user("someone", role=role, state=state)) if role or state else None

    with nothing_written():
        result = update(graphql, token, name="Umbenannt")

    assert [error["code"] for error in result["errors"]] == ["PERMISSION_DENIED"]


def test_the_states_maintainer_updates(graphql, make_user, make_token, starnberg):
    token = make_token(make_user("maintainer", role="directory-maintainer", state="BY"))

    result = update(graphql, token, name="LRA Starnberg", ars=BERG, kind="OTHER")

    assert result == {"authority": {"identifier": "by:lra-starnberg", "name": "LRA Starnberg", "kind": "OTHER",
                                    "region": {"ars": BERG}}, "errors": []}
    assert AuditEntry.objects.latest("id").verb == "update_authority"


def test_the_seat_stays_in_the_state(graphql, make_user, make_token, starnberg):
    token = make_token(make_user("maintainer", role="directory-maintainer", state="BY"))

    with nothing_written():
        result = update(graphql, token, ars=SAMTGEMEINDE_BROME)

    assert [(e["field"], e["code"]) for e in result["errors"]] == [("ars", "REGION_OUTSIDE_STATE")]
