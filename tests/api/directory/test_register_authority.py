"""`registerAuthority` of the contract: a state's directory maintainer (or an operator)
registers an authority of that state; refusals are errors as data and write nothing."""
import pytest

from directory.models import Authority
from fitstore.models import AuditEntry
from tests.api.directory.helpers import nothing_written
from tests.directory.fixtures import SAMTGEMEINDE_BROME, STARNBERG_DISTRICT

REGISTER_AUTHORITY_MUTATION = """
mutation RegisterAuthority($input: RegisterAuthorityInput!) {
  registerAuthority(input: $input) {
    authority { id identifier name state { code } region { ars } }
    errors { field code message }
  }
}
"""

INPUT = {"identifier": "by:lra-starnberg", "name": "Landratsamt Starnberg", "stateCode": "BY",
         "ars": STARNBERG_DISTRICT, "kind": "DISTRICT"}


def register(graphql, token, **overrides):
    return graphql.data(REGISTER_AUTHORITY_MUTATION, {"input": {**INPUT, **overrides}}, token=token)["registerAuthority"]


def test_anonymous_is_refused(graphql):
    with nothing_written():
        result = register(graphql, None)

    assert result["authority"] is None
    assert [error["code"] for error in result["errors"]] == ["PERMISSION_DENIED"]


@pytest.mark.parametrize(
    "role, state",
    [(None, None), ("gateway", None), ("coordinator", "BY"), ("directory-maintainer", "NI")],
)
def test_wrong_roles_and_other_states_are_refused(graphql, make_user, make_token, role, state):
    token = make_token(make_user("someone", role=role, state=state))

    with nothing_written():
        result = register(graphql, token)

    assert result == {"authority": None, "errors": [
        {"field": None, "code": "PERMISSION_DENIED", "message": "You are not allowed to do this, or the object does not exist."}
    ]}


@pytest.mark.parametrize("role, state", [("directory-maintainer", "BY"), ("operator", None)])
def test_the_states_maintainer_or_an_operator_registers(graphql, make_user, make_token, role, state):
    user = make_user("maintainer", role=role, state=state)

    result = register(graphql, make_token(user))

    assert result["errors"] == []
    assert result["authority"]["identifier"] == "by:lra-starnberg"
    assert result["authority"]["state"] == {"code": "BY"} and result["authority"]["region"] == {"ars": STARNBERG_DISTRICT}
    entry = AuditEntry.objects.latest("id")
    assert entry.actor == user and entry.verb == "register_authority" and entry.action == "CREATED"


@pytest.mark.parametrize(
    "overrides, field, code",
    [
        ({"identifier": "lra-starnberg"}, "identifier", "INVALID_IDENTIFIER"),
        ({"ars": "0918"}, "ars", "INVALID_ARS"),
        ({"ars": "09999"}, "ars", "UNKNOWN_REGION"),
        ({"ars": SAMTGEMEINDE_BROME}, "ars", "REGION_OUTSIDE_STATE"),
        ({"name": ""}, "name", "REQUIRED"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(graphql, make_user, make_token, overrides, field, code):
    token = make_token(make_user("maintainer", role="directory-maintainer", state="BY"))

    with nothing_written():
        result = register(graphql, token, **overrides)

    assert result["authority"] is None
    assert [(error["field"], error["code"]) for error in result["errors"]] == [(field, code)]


def test_a_taken_identifier(graphql, make_user, make_token):
    token = make_token(make_user("maintainer", role="directory-maintainer", state="BY"))
    register(graphql, token)

    with nothing_written():
        result = register(graphql, token, name="Doppelt")

    assert [(error["field"], error["code"]) for error in result["errors"]] == [("identifier", "UNIQUE")]
    assert Authority.objects.get().name == "Landratsamt Starnberg"


def test_unknown_state_code_for_an_operator_names_the_field(graphql, make_user, make_token):
    token = make_token(make_user("ops", role="operator"))

    with nothing_written():
        result = register(graphql, token, stateCode="XX")

    assert [(error["field"], error["code"]) for error in result["errors"]] == [("stateCode", "UNKNOWN_STATE")]
