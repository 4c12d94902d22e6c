"""Who may act in the FIT-Store procedure, and which subscriptions a caller may read.

A state's coordinator acts for the state (join, withdraw, subscribe, connect, terminate); a
maintainer of an online service acts for the providing side (reuse terms, confirm or decline).
Who reads what: below, "Who may read a subscription". Refusals raise `fitstore.access.refusal()`,
one answer for "not there" and "not allowed".
"""
from django.db.models import Q

from directory.models import State
from fitstore.access import (
    get_object_or_refuse,
    is_operator,
    online_service_ids_with_role,
    online_services_with_role,
    state_ids_with_role,
    states_with_role,
)
from fitstore.choices import Role
from store.access import online_service_for_publisher
from store.models import OnlineService

from .models import PUBLIC_STATUSES, Subscription


def state_for_coordinator(user, state_code: str | None) -> State:
    """The state with this code (BY, NW, …), if the user coordinates it."""
    states = State.objects.filter(code__in=states_with_role(user, Role.COORDINATOR))
    return get_object_or_refuse(states, code=(state_code or "").strip().upper())


def online_service_for_maintainer(user, slug: str | None) -> OnlineService:
    """The online service with this slug, if the user maintains it (its reuse terms and the
    answers to requests are the providing side's act, as its releases: operators do not stand in)."""
    return online_service_for_publisher(user, slug or "", OnlineService.objects.select_related("provider_state"))


# --- Who may read a subscription (docs/security.md, "Who may read what") -------------------------
#
# A subscription's parties are the subscribing state's coordinators, the providing state's
# coordinators and the online service's maintainers. They and the operators read everything of it:
# its status, legal basis, dates, history with notes, and its agreement draft. Everyone else (any
# role, or nobody signed in) sees only that a concluded reuse exists (PUBLIC_STATUSES: ACTIVE,
# CONNECTED, the public map) with state, online service and status; requests, declines and ended
# reuses (PARTY_ONLY_STATUSES) not at all. One rule, for the UI, the API and the exports: a
# queryset filter (`restrict_*`) for reads from the database and a per-object check (`can_read_*`)
# for rows already loaded (prefetched by the catalogue), which agree (tests/licensing/test_access.py).


def _parties(user) -> Q:
    """Subscriptions of which `user` is a party (by primary key: no join but the provider's)."""
    coordinated = state_ids_with_role(user, Role.COORDINATOR)
    return (Q(state_id__in=coordinated) | Q(online_service__provider_state_id__in=coordinated)
            | Q(online_service_id__in=online_service_ids_with_role(user, Role.MAINTAINER)))


def is_party(user, subscription: Subscription) -> bool:
    """Whether `user` is a party to `subscription` (`_parties` for one loaded row; reads only
    columns of the subscription and of its online service, which the related managers set)."""
    coordinated = state_ids_with_role(user, Role.COORDINATOR)
    return (subscription.state_id in coordinated
            or subscription.online_service.provider_state_id in coordinated
            or subscription.online_service_id in online_service_ids_with_role(user, Role.MAINTAINER))


def restrict_subscriptions(queryset, user):
    """What of `queryset` the caller may see: the public ones (concluded reuses) and those of which
    the caller is a party; operators all."""
    if is_operator(user):
        return queryset
    return queryset.filter(Q(status__in=PUBLIC_STATUSES) | _parties(user))


def can_read_subscription(user, subscription: Subscription) -> bool:
    """`restrict_subscriptions` for one loaded subscription."""
    return subscription.is_public or can_read_subscription_details(user, subscription)


def restrict_subscription_details(queryset, user):
    """The subscriptions of `queryset` whose details (legal basis, dates, history and notes, the
    agreement draft) the caller may read: the parties' and, for operators, all."""
    if is_operator(user):
        return queryset
    return queryset.filter(_parties(user))


def can_read_subscription_details(user, subscription: Subscription) -> bool:
    """`restrict_subscription_details` for one loaded subscription."""
    return is_operator(user) or is_party(user, subscription)


def visible_subscriptions(subscriptions, user) -> list:
    """`restrict_subscriptions` for subscriptions already loaded (prefetched by the catalogue)."""
    return [subscription for subscription in subscriptions if can_read_subscription(user, subscription)]


def subscription_for_coordinator(user, subscription_id) -> Subscription:
    """The subscription, if the user coordinates its subscribing state; else PermissionDenied."""
    coordinated = states_with_role(user, Role.COORDINATOR)
    return get_object_or_refuse(_subscriptions().filter(state__code__in=coordinated), pk=subscription_id)


def subscription_for_maintainer(user, subscription_id) -> Subscription:
    """The subscription, if the user maintains its online service; else PermissionDenied."""
    maintained = online_services_with_role(user, Role.MAINTAINER)
    return get_object_or_refuse(_subscriptions().filter(online_service__slug__in=maintained), pk=subscription_id)


def subscription_for_agreement(user, subscription_id) -> Subscription:
    """The subscription, if the user may read its administrative agreement (a detail: its parties
    and the operators, `restrict_subscription_details`)."""
    return get_object_or_refuse(restrict_subscription_details(_subscriptions(), user), pk=subscription_id)


def _subscriptions():
    return Subscription.objects.select_related("state", "online_service__provider_state")
