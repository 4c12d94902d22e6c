"""`subscribe`: a state's coordinator asks to reuse an online service (REQUESTED)."""
import pytest
from django.core import mail
from graphql_relay import to_global_id

from fitstore.models import AuditEntry
from licensing.models import Subscription, SubscriptionEvent
from tests.licensing.support import joined, subscription

SUBSCRIBE_MUTATION = """
mutation Subscribe($input: SubscribeInput!) {
  subscribe(input: $input) {
    subscription { id status legalBasis state { code } onlineService { slug } }
    errors { field code message }
  }
}
"""


def _subscribe(graphql, token=None, *, state_code="BY", online_service="wohngeld", legal_basis="FIT_STORE"):
    variables = {"input": {"onlineService": online_service, "stateCode": state_code, "legalBasis": legal_basis}}
    return graphql.data(SUBSCRIBE_MUTATION, variables, token=token)["subscribe"]


def _unchanged():
    return Subscription.objects.count(), SubscriptionEvent.objects.count(), AuditEntry.objects.count()


def test_anonymous_is_refused(graphql):
    joined("BY")
    before = _unchanged()

    assert [e["code"] for e in _subscribe(graphql)["errors"]] == ["PERMISSION_DENIED"]
    assert _unchanged() == before


@pytest.mark.parametrize("role", [
    {"role": "coordinator", "state": "NW"},
    {"role": "maintainer", "online_service": "wohngeld"},
    {"role": "directory-maintainer", "state": "BY"},
])
def test_others_are_refused(graphql, make_user, make_token, role):
    joined("BY")
    token = make_token(make_user("someone", **role))
    before = _unchanged()

    assert [e["code"] for e in _subscribe(graphql, token)["errors"]] == ["PERMISSION_DENIED"]
    assert _unchanged() == before


def test_the_coordinator_subscribes_and_the_maintainers_hear_of_it(graphql, make_user, make_token,
                                                                    django_capture_on_commit_callbacks):
    joined("BY")
    user = make_user("koordination-by", role="coordinator", state="BY")
    maintainer = make_user("pflege-wohngeld", role="maintainer", online_service="wohngeld")
    maintainer.email = "wohngeld@example.org"
    maintainer.save()
    token = make_token(user)

    with django_capture_on_commit_callbacks(execute=True):
        result = _subscribe(graphql, token)

    subscription = Subscription.objects.get()
    assert result["errors"] == []
    assert result["subscription"] == {
        "id": to_global_id("Subscription", subscription.pk), "status": "REQUESTED", "legalBasis": "FIT_STORE",
        "state": {"code": "BY"}, "onlineService": {"slug": "wohngeld"},
    }
    assert AuditEntry.objects.latest("id").verb == "subscribe" and AuditEntry.objects.latest("id").actor == user
    assert [message.to for message in mail.outbox] == [["wohngeld@example.org"]]


@pytest.mark.parametrize("setup, variables, field, code", [
    (lambda: None, {}, "legalBasis", "ACCESSION_REQUIRED"),
    (lambda: joined("BY"), {"online_service": "gibt-es-nicht"}, "onlineService", "NOT_FOUND"),
    (lambda: (joined("BY"), subscription("BY", "wohngeld")), {}, "onlineService", "ALREADY_SUBSCRIBED"),
])
def test_refusals_name_the_field_and_write_nothing(graphql, make_user, make_token, setup, variables, field, code):
    setup()
    token = make_token(make_user("koordination-by", role="coordinator", state="BY"))
    before = _unchanged()

    result = _subscribe(graphql, token, **variables)

    assert result["subscription"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(field, code)]
    assert _unchanged() == before


def test_the_provider_state_cannot_subscribe_to_its_own_service(graphql, make_user, make_token):
    token = make_token(make_user("koordination-mv", role="coordinator", state="MV"))

    result = _subscribe(graphql, token, state_code="MV", legal_basis="ADMINISTRATIVE_AGREEMENT")

    assert [(e["field"], e["code"]) for e in result["errors"]] == [("stateCode", "OWN_SERVICE")]
    assert not Subscription.objects.exists()
