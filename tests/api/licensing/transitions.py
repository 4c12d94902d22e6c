"""Shared by the tests of the transitions: a subscription's global ID and the write counts."""
from graphql_relay import to_global_id

from fitstore.models import AuditEntry
from licensing.models import Subscription, SubscriptionEvent


def gid(subscription) -> str:
    return to_global_id("Subscription", subscription.pk)


def counts():
    return Subscription.objects.count(), SubscriptionEvent.objects.count(), AuditEntry.objects.count()
