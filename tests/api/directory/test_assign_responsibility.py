"""`assignResponsibility` of the contract: regions are added to an authority's responsibility
for a LeiKa service; the directory maintainer of the authority's state (or an operator) may."""
import pytest

from directory.models import Responsibility
from fitstore.models import AuditEntry
from tests.api.directory.helpers import nothing_written
from tests.directory.fixtures import BERG, SAMTGEMEINDE_BROME, STARNBERG_DISTRICT, WOHNGELD

ASSIGN_RESPONSIBILITY_MUTATION = """
mutation AssignResponsibility($input: AssignResponsibilityInput!) {
  assignResponsibility(input: $input) {
    responsibility { leikaKey authority { identifier } regions { ars } }
    errors { field code message }
  }
}
"""

INPUT = {"authority": "by:lra-starnberg", "leikaKey": WOHNGELD, "ars": [STARNBERG_DISTRICT]}


@pytest.fixture
def starnberg(directory):
    return directory.authority("by:lra-starnberg", name="Landratsamt Starnberg")


def assign(graphql, token, **overrides):
    return graphql.data(ASSIGN_RESPONSIBILITY_MUTATION, {"input": {**INPUT, **overrides}}, token=token)["assignResponsibility"]


def test_anonymous_is_refused(graphql, starnberg):
    with nothing_written():
        result = assign(graphql, None)

    assert [error["code"] for error in result["errors"]] == ["PERMISSION_DENIED"]


@pytest.mark.parametrize("role, state", [(None, None), ("coordinator", "BY"), ("directory-maintainer", "NI")])
def test_other_roles_and_states_are_refused(graphql, make_user, make_token, starnberg, role, state):
    token = make_token(make_user("someone", role=role, state=state))

    with nothing_written():
        result = assign(graphql, token)

    assert [error["code"] for error in result["errors"]] == ["PERMISSION_DENIED"]


def test_the_states_maintainer_assigns_and_adds(graphql, make_user, make_token, starnberg):
    user = make_user("maintainer", role="directory-maintainer", state="BY")
    token = make_token(user)

    first = assign(graphql, token)
    second = assign(graphql, token, ars=[BERG])

    assert first["errors"] == [] and second["errors"] == []
    assert second["responsibility"] == {"leikaKey": WOHNGELD, "authority": {"identifier": "by:lra-starnberg"},
                                        "regions": [{"ars": STARNBERG_DISTRICT}, {"ars": BERG}]}
    assert Responsibility.objects.count() == 1
    assert [e.action for e in AuditEntry.objects.filter(verb="assign_responsibility").order_by("id")] == ["CREATED", "UPDATED"]


@pytest.mark.parametrize(
    "overrides, field, code",
    [
        ({"leikaKey": "99107023"}, "leikaKey", "INVALID_LEIKA_KEY"),
        ({"leikaKey": "99999999999999"}, "leikaKey", "UNKNOWN_LEIKA_KEY"),
        ({"ars": ["0918"]}, "ars", "INVALID_ARS"),
        ({"ars": ["099999999999"]}, "ars", "UNKNOWN_REGION"),
        ({"ars": [SAMTGEMEINDE_BROME]}, "ars", "REGION_OUTSIDE_STATE"),
        ({"ars": []}, "ars", "REQUIRED"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(graphql, make_user, make_token, starnberg, overrides, field, code):
    token = make_token(make_user("maintainer", role="directory-maintainer", state="BY"))

    with nothing_written():
        result = assign(graphql, token, **overrides)

    assert result["responsibility"] is None
    assert [(error["field"], error["code"]) for error in result["errors"]] == [(field, code)]
