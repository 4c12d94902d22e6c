"""Who may act in the FIT-Store procedure, and which subscriptions a caller may see.

A state's coordinator acts for the state (join, withdraw, subscribe, connect, terminate); a
maintainer of an online service acts for the providing side (reuse terms, confirm or decline).
Refusals raise `fitstore.access.refusal()`, one answer for "not there" and "not allowed".
"""
from django.db.models import Q

from directory.models import State
from fitstore.access import get_object_or_refuse, is_operator, online_services_with_role, states_with_role
from fitstore.choices import Role
from store.access import online_service_for_publisher
from store.models import OnlineService

from .models import Subscription


def state_for_coordinator(user, state_code: str | None) -> State:
    """The state with this code (BY, NW, …), if the user coordinates it."""
    states = State.objects.filter(code__in=states_with_role(user, Role.COORDINATOR))
    return get_object_or_refuse(states, code=(state_code or "").strip().upper())


def online_service_for_maintainer(user, slug: str | None) -> OnlineService:
    """The online service with this slug, if the user maintains it (its reuse terms and the
    answers to requests are the providing side's act, as its releases: operators do not stand in)."""
    return online_service_for_publisher(user, slug or "", OnlineService.objects.select_related("provider_state"))


def may_read_subscription_details(user) -> bool:
    """Subscriptions' details (legal basis, dates, requests not yet confirmed) need an account."""
    return bool(getattr(user, "is_authenticated", False))


def restrict_subscriptions(queryset, user):
    """What of `queryset` the caller may see: everything with an account; anonymous callers only
    the concluded reuses (ACTIVE, CONNECTED), which the cost shares make public anyway."""
    if may_read_subscription_details(user):
        return queryset
    return queryset.paying()


def visible_subscriptions(subscriptions, user) -> list:
    """`restrict_subscriptions` for subscriptions already loaded (prefetched by the catalogue)."""
    if may_read_subscription_details(user):
        return list(subscriptions)
    return [subscription for subscription in subscriptions if subscription.is_paying]


def subscription_for_coordinator(user, subscription_id) -> Subscription:
    """The subscription, if the user coordinates its subscribing state; else PermissionDenied."""
    coordinated = states_with_role(user, Role.COORDINATOR)
    return get_object_or_refuse(_subscriptions().filter(state__code__in=coordinated), pk=subscription_id)


def subscription_for_maintainer(user, subscription_id) -> Subscription:
    """The subscription, if the user maintains its online service; else PermissionDenied."""
    maintained = online_services_with_role(user, Role.MAINTAINER)
    return get_object_or_refuse(_subscriptions().filter(online_service__slug__in=maintained), pk=subscription_id)


def subscription_for_agreement(user, subscription_id) -> Subscription:
    """The subscription, if the user may read its administrative agreement: a coordinator of the
    subscribing or of the providing state, a maintainer of the online service, or an operator."""
    subscriptions = _subscriptions()
    if not is_operator(user):
        coordinated = states_with_role(user, Role.COORDINATOR)
        subscriptions = subscriptions.filter(
            Q(state__code__in=coordinated) | Q(online_service__provider_state__code__in=coordinated)
            | Q(online_service__slug__in=online_services_with_role(user, Role.MAINTAINER))
        )
    return get_object_or_refuse(subscriptions, pk=subscription_id)


def _subscriptions():
    return Subscription.objects.select_related("state", "online_service__provider_state")
