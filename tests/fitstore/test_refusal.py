"""One refusal for "not there" and "not allowed" (fitstore.access.get_object_or_refuse): the
answer does not tell a caller whether the object exists, nor whether the key was well-formed."""
import pytest
from django.core.exceptions import PermissionDenied

from directory.models import State
from fitstore.access import get_object_or_refuse
from licensing import services
from licensing.access import subscription_for_coordinator
from licensing.models import Subscription
from store.models import OnlineService

pytestmark = pytest.mark.django_db


def _refusal_message(call) -> str:
    with pytest.raises(PermissionDenied) as refused:
        call()
    return str(refused.value)


def test_the_object_comes_from_what_the_caller_may_touch():
    assert get_object_or_refuse(State.objects.filter(code__in=["BY", "HB"]), code="BY").code == "BY"


def test_absent_not_yours_and_malformed_keys_are_refused_alike(make_user):
    coordinator = make_user("koordination-by", role="coordinator", state="BY")
    other = make_user("koordination-hb", role="coordinator", state="HB")
    services.join_store(State.objects.get(code="BY"), signatory="Dr. A", actor=coordinator)
    subscription = services.subscribe(State.objects.get(code="BY"), OnlineService.objects.get(slug="wohngeld"),
                                      legal_basis="FIT_STORE", note="", actor=coordinator)

    assert subscription_for_coordinator(coordinator, subscription.pk) == subscription
    answers = {
        _refusal_message(lambda: subscription_for_coordinator(other, subscription.pk)),  # not yours
        _refusal_message(lambda: subscription_for_coordinator(coordinator, subscription.pk + 10_000)),  # absent
        _refusal_message(lambda: subscription_for_coordinator(coordinator, "abc")),  # malformed
        _refusal_message(lambda: subscription_for_coordinator(coordinator, None)),  # no key
        _refusal_message(lambda: get_object_or_refuse(Subscription.objects.none(), pk=subscription.pk)),
    }
    assert len(answers) == 1
