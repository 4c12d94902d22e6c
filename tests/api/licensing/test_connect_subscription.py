"""`connectSubscription`: the subscribing state's coordinator reports its authorities live (from ACTIVE)."""
import pytest

from fitstore.models import AuditEntry
from tests.licensing.support import subscription

from .transitions import counts, gid

CONNECT_SUBSCRIPTION_MUTATION = """
mutation ConnectSubscription($input: ConnectSubscriptionInput!) {
  connectSubscription(input: $input) {
    subscription { id status connectedAt }
    errors { field code message }
  }
}
"""


def _connect(graphql, subscription_id, token=None):
    return graphql.data(CONNECT_SUBSCRIPTION_MUTATION, {"input": {"subscription": subscription_id}},
                        token=token)["connectSubscription"]


@pytest.mark.parametrize("role", [
    None,
    {"role": "coordinator", "state": "BY"},
    {"role": "coordinator", "state": "MV"},  # the provider state
    {"role": "maintainer", "online_service": "wohngeld"},
])
def test_anyone_but_the_subscribing_coordinator_is_refused(graphql, make_user, make_token, role):
    sub = subscription("NW", "wohngeld", "ACTIVE")
    token = make_token(make_user("someone", **role)) if role else None
    before = counts()

    result = _connect(graphql, gid(sub), token)

    assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"]
    assert counts() == before


def test_the_coordinator_connects(graphql, make_user, make_token):
    sub = subscription("NW", "wohngeld", "ACTIVE")
    user = make_user("koordination-nw", role="coordinator", state="NW")

    result = _connect(graphql, gid(sub), make_token(user))

    assert result["errors"] == []
    assert result["subscription"]["status"] == "CONNECTED" and result["subscription"]["connectedAt"]
    assert AuditEntry.objects.latest("id").verb == "connect_subscription"


@pytest.mark.parametrize("status", ["REQUESTED", "CONNECTED", "DECLINED", "TERMINATED"])
def test_only_from_active(graphql, make_user, make_token, status):
    sub = subscription("NW", "wohngeld", status)
    token = make_token(make_user("koordination-nw", role="coordinator", state="NW"))
    before = counts()

    result = _connect(graphql, gid(sub), token)

    assert [(e["field"], e["code"]) for e in result["errors"]] == [("status", "INVALID_TRANSITION")]
    assert "while the reuse is active" in result["errors"][0]["message"]  # in words, not the code
    assert counts() == before
