"""`terminateSubscription`: the subscribing state's coordinator ends a reuse (from an open status)."""
import pytest

from fitstore.models import AuditEntry
from tests.licensing.support import subscription

from .transitions import counts, gid

TERMINATE_SUBSCRIPTION_MUTATION = """
mutation TerminateSubscription($input: TerminateSubscriptionInput!) {
  terminateSubscription(input: $input) {
    subscription { id status }
    errors { field code message }
  }
}
"""


def _terminate(graphql, subscription_id, token=None, reason="Eigenes Verfahren"):
    return graphql.data(TERMINATE_SUBSCRIPTION_MUTATION, {"input": {"subscription": subscription_id, "reason": reason}},
                        token=token)["terminateSubscription"]


@pytest.mark.parametrize("role", [
    None,
    {"role": "coordinator", "state": "BY"},
    {"role": "maintainer", "online_service": "wohngeld"},
    {"role": "gateway"},
])
def test_anyone_but_the_subscribing_coordinator_is_refused(graphql, make_user, make_token, role):
    sub = subscription("NW", "wohngeld", "CONNECTED")
    token = make_token(make_user("someone", **role)) if role else None
    before = counts()

    assert [e["code"] for e in _terminate(graphql, gid(sub), token)["errors"]] == ["PERMISSION_DENIED"]
    assert counts() == before


@pytest.mark.parametrize("status", ["REQUESTED", "ACTIVE", "CONNECTED"])
def test_the_coordinator_terminates_an_open_subscription(graphql, make_user, make_token, status):
    sub = subscription("NW", "wohngeld", status)
    user = make_user("koordination-nw", role="coordinator", state="NW")

    result = _terminate(graphql, gid(sub), make_token(user))

    assert result == {"subscription": {"id": gid(sub), "status": "TERMINATED"}, "errors": []}
    entry = AuditEntry.objects.latest("id")
    assert (entry.verb, entry.actor, entry.note) == ("terminate_subscription", user, "Eigenes Verfahren")


@pytest.mark.parametrize("status", ["DECLINED", "TERMINATED"])
def test_a_closed_subscription_cannot_be_terminated(graphql, make_user, make_token, status):
    sub = subscription("NW", "wohngeld", status)
    token = make_token(make_user("koordination-nw", role="coordinator", state="NW"))
    before = counts()

    result = _terminate(graphql, gid(sub), token)

    assert [(e["field"], e["code"]) for e in result["errors"]] == [("status", "INVALID_TRANSITION")]
    assert counts() == before
