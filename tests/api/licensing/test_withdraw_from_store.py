"""`withdrawFromStore`: a state's coordinator withdraws; the state may join again later."""
from fitstore.models import AuditEntry
from licensing.models import Accession
from tests.licensing.support import joined

WITHDRAW_FROM_STORE_MUTATION = """
mutation WithdrawFromStore($input: WithdrawFromStoreInput!) {
  withdrawFromStore(input: $input) {
    accession { status withdrawnAt state { code } }
    errors { field code message }
  }
}
"""


def _withdraw(graphql, token=None, state_code="BY"):
    return graphql.data(WITHDRAW_FROM_STORE_MUTATION, {"input": {"stateCode": state_code, "reason": "Test"}},
                        token=token)["withdrawFromStore"]


def test_anonymous_and_other_states_are_refused(graphql, make_user, make_token):
    joined("BY")
    other = make_token(make_user("koordination-nw", role="coordinator", state="NW"))
    before = AuditEntry.objects.count()

    for token in (None, other):
        assert [e["code"] for e in _withdraw(graphql, token)["errors"]] == ["PERMISSION_DENIED"]

    assert Accession.objects.get(state__code="BY").status == "SIGNED"
    assert AuditEntry.objects.count() == before


def test_the_coordinator_withdraws(graphql, make_user, make_token):
    joined("BY")
    user = make_user("koordination-by", role="coordinator", state="BY")

    result = _withdraw(graphql, make_token(user))

    assert result["errors"] == []
    assert result["accession"]["status"] == "WITHDRAWN" and result["accession"]["withdrawnAt"]
    assert AuditEntry.objects.latest("id").actor == user


def test_withdrawing_without_having_joined_names_the_state(graphql, make_user, make_token):
    token = make_token(make_user("koordination-by", role="coordinator", state="BY"))

    result = _withdraw(graphql, token)

    assert [(e["field"], e["code"]) for e in result["errors"]] == [("stateCode", "NOT_JOINED")]
