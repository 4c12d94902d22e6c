"""`confirmSubscription`: the service's maintainer confirms (ACTIVE) or declines (DECLINED) a request."""
import pytest
from graphql_relay import to_global_id

from fitstore.models import AuditEntry
from licensing.models import Subscription
from tests.licensing.support import subscription

from .transitions import counts, gid

CONFIRM_SUBSCRIPTION_MUTATION = """
mutation ConfirmSubscription($input: ConfirmSubscriptionInput!) {
  confirmSubscription(input: $input) {
    subscription { id status }
    errors { field code message }
  }
}
"""


def _confirm(graphql, subscription_id, token=None, accept=True, note=""):
    variables = {"input": {"subscription": subscription_id, "accept": accept, "note": note}}
    return graphql.data(CONFIRM_SUBSCRIPTION_MUTATION, variables, token=token)["confirmSubscription"]


@pytest.mark.parametrize("role", [
    None,
    {"role": "maintainer", "online_service": "elterngeld"},
    {"role": "coordinator", "state": "NW"},  # the subscribing state itself
    {"role": "coordinator", "state": "MV"},  # the provider state's coordinator is not its maintainer
])
def test_anyone_but_the_maintainer_is_refused(graphql, make_user, make_token, role):
    sub = subscription("NW", "wohngeld")
    token = make_token(make_user("someone", **role)) if role else None
    before = counts()

    result = _confirm(graphql, gid(sub), token)

    assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"]
    assert counts() == before and Subscription.objects.get().status == "REQUESTED"


def test_unknown_and_malformed_ids_are_refused_alike(graphql, make_user, make_token):
    token = make_token(make_user("pflege", role="maintainer", online_service="wohngeld"))

    answers = [_confirm(graphql, value, token)["errors"] for value in
               (to_global_id("Subscription", 999999), "kaputt", to_global_id("Region", 1))]

    assert all(errors == answers[0] for errors in answers)
    assert answers[0][0]["code"] == "PERMISSION_DENIED"


def test_the_maintainer_confirms(graphql, make_user, make_token):
    sub = subscription("NW", "wohngeld")
    user = make_user("pflege", role="maintainer", online_service="wohngeld")

    result = _confirm(graphql, gid(sub), make_token(user), note="Bedingungen wie veröffentlicht")

    assert result == {"subscription": {"id": gid(sub), "status": "ACTIVE"}, "errors": []}
    entry = AuditEntry.objects.latest("id")
    assert (entry.verb, entry.actor, entry.note) == ("confirm_subscription", user, "Bedingungen wie veröffentlicht")
    assert sub.events.latest("id").note == "Bedingungen wie veröffentlicht"


def test_the_maintainer_declines(graphql, make_user, make_token):
    sub = subscription("NW", "wohngeld")
    token = make_token(make_user("pflege", role="maintainer", online_service="wohngeld"))

    result = _confirm(graphql, gid(sub), token, accept=False)

    assert result["subscription"]["status"] == "DECLINED"


@pytest.mark.parametrize("status", ["ACTIVE", "CONNECTED", "DECLINED", "TERMINATED"])
def test_only_a_request_can_be_confirmed(graphql, make_user, make_token, status):
    sub = subscription("NW", "wohngeld", status)
    token = make_token(make_user("pflege", role="maintainer", online_service="wohngeld"))
    before = counts()

    result = _confirm(graphql, gid(sub), token)

    assert result["subscription"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [("status", "INVALID_TRANSITION")]
    assert counts() == before
