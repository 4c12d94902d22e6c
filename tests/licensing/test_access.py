"""Who may read a subscription (licensing.access): the statuses that are the parties' alone, and
the queryset rule and the per-object rule giving the same answer for every status and role,
without a query per row."""
import pytest
from django.core.exceptions import PermissionDenied

from licensing import access
from licensing.choices import LegalBasis, SubscriptionStatus
from licensing.models import PARTY_ONLY_STATUSES, PAYING_STATUSES, PUBLIC_STATUSES, Subscription
from tests.api.reads import PARTIES, ROLES

from .support import online_service, state


def test_requests_declines_and_ends_are_the_parties_alone():
    assert {SubscriptionStatus.REQUESTED, SubscriptionStatus.DECLINED, SubscriptionStatus.TERMINATED} <= set(
        PARTY_ONLY_STATUSES)
    # The administrative agreement's step between the answer and the signatures (the contract's
    # AWAITING_SIGNATURES) is a request still: the parties' alone, where the procedure has it.
    if "AWAITING_SIGNATURES" in SubscriptionStatus.values:
        assert "AWAITING_SIGNATURES" in PARTY_ONLY_STATUSES
    assert set(PUBLIC_STATUSES) == set(PAYING_STATUSES) == {SubscriptionStatus.ACTIVE, SubscriptionStatus.CONNECTED}
    assert set(PUBLIC_STATUSES) | set(PARTY_ONLY_STATUSES) == set(SubscriptionStatus.values)
    assert not set(PUBLIC_STATUSES) & set(PARTY_ONLY_STATUSES)
    # connectedStatesCount counts CONNECTED subscriptions: public ones, so it tells nobody more
    # than the list of subscriptions they see.
    assert SubscriptionStatus.CONNECTED in PUBLIC_STATUSES


@pytest.fixture
def users(make_user):
    from django.contrib.auth.models import AnonymousUser

    return {name: AnonymousUser() if role is None else make_user(name, **role) for name, role in ROLES.items()}


def _nw_subscribes_to_wohngeld(status) -> Subscription:
    return Subscription.objects.create(state=state("NW"), online_service=online_service("wohngeld"), status=status,
                                       legal_basis=LegalBasis.ADMINISTRATIVE_AGREEMENT)


@pytest.mark.parametrize("status", SubscriptionStatus.values)
def test_the_queryset_rule_and_the_per_object_rule_agree(status, users, django_assert_num_queries):
    subscription = _nw_subscribes_to_wohngeld(status)
    for name, user in users.items():
        seen = access.restrict_subscriptions(Subscription.objects.all(), user).filter(pk=subscription.pk).exists()
        with_details = access.restrict_subscription_details(Subscription.objects.all(), user).filter(
            pk=subscription.pk).exists()
        loaded = list(Subscription.objects.select_related("online_service").filter(pk=subscription.pk))
        access.is_operator(user)  # the user's roles, loaded once per request
        with django_assert_num_queries(0):
            seen_by_object = bool(access.visible_subscriptions(loaded, user))
            details_by_object = access.can_read_subscription_details(user, loaded[0])

        assert (seen, with_details) == (seen_by_object, details_by_object), name
        assert seen == (name in PARTIES or status in PUBLIC_STATUSES), name
        assert with_details == (name in PARTIES), name


def test_the_agreement_draft_is_a_detail(users):
    concluded = _nw_subscribes_to_wohngeld(SubscriptionStatus.CONNECTED)
    for name, user in users.items():
        if name in PARTIES:
            assert access.subscription_for_agreement(user, concluded.pk) == concluded
        else:
            with pytest.raises(PermissionDenied):
                access.subscription_for_agreement(user, concluded.pk)
