"""`withdrawResponsibility`: takes regions out of a responsibility, or ends it."""
import pytest

from directory.models import Responsibility
from tests.api.directory.helpers import nothing_written
from tests.directory.fixtures import BERG, STARNBERG_DISTRICT, WOHNGELD

WITHDRAW_RESPONSIBILITY_MUTATION = """
mutation WithdrawResponsibility($input: WithdrawResponsibilityInput!) {
  withdrawResponsibility(input: $input) { responsibility { leikaKey regions { ars } } errors { field code message } }
}
"""


@pytest.fixture
def starnberg(directory):
    authority = directory.authority("by:lra-starnberg", name="Landratsamt Starnberg")
    directory.responsible(authority, WOHNGELD, STARNBERG_DISTRICT, BERG)
    return authority


def withdraw(graphql, token, **data):
    return graphql.data(WITHDRAW_RESPONSIBILITY_MUTATION,
                        {"input": {"authority": "by:lra-starnberg", "leikaKey": WOHNGELD, **data}},
                        token=token)["withdrawResponsibility"]


@pytest.mark.parametrize("role, state", [(None, None), ("gateway", None), ("directory-maintainer", "NI")])
def test_refused_without_the_states_role(graphql, make_user, make_token, starnberg, role, state):
    token = make_token(make_user("someone", role=role, state=state)) if role else None

    with nothing_written():
        result = withdraw(graphql, token)

    assert [error["code"] for error in result["errors"]] == ["PERMISSION_DENIED"]


def test_withdraw_a_region_then_all(graphql, make_user, make_token, starnberg):
    token = make_token(make_user("maintainer", role="directory-maintainer", state="BY"))

    part = withdraw(graphql, token, ars=[BERG])
    whole = withdraw(graphql, token)

    assert part == {"responsibility": {"leikaKey": WOHNGELD, "regions": [{"ars": STARNBERG_DISTRICT}]}, "errors": []}
    assert whole == {"responsibility": None, "errors": []}
    assert not Responsibility.objects.exists()
