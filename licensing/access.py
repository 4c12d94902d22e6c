"""Who may act in the FIT-Store procedure, and which subscriptions a caller may see.

A state's coordinator acts for the state (join, withdraw, subscribe, connect, terminate); a
maintainer of an online service acts for the providing side (reuse terms, confirm or decline).
Refusals raise `PermissionDenied` with one message for "not there" and "not allowed".
"""
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fitstore.access import has_role, require_role
from fitstore.choices import Role

from .models import Subscription


def _denied() -> PermissionDenied:
    return PermissionDenied(_("You are not allowed to do this, or the object does not exist."))


def require_coordinator(user, state_code: str) -> None:
    """The user coordinates the state with this code (BY, NW, …)."""
    require_role(user, Role.COORDINATOR, state=(state_code or "").upper())


def require_maintainer(user, online_service_slug: str) -> None:
    """The user maintains the online service with this slug."""
    require_role(user, Role.MAINTAINER, online_service=online_service_slug or "")


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
    subscription = _subscription(subscription_id)
    if subscription is None or not has_role(user, Role.COORDINATOR, state=subscription.state.code):
        raise _denied()
    return subscription


def subscription_for_maintainer(user, subscription_id) -> Subscription:
    """The subscription, if the user maintains its online service; else PermissionDenied."""
    subscription = _subscription(subscription_id)
    if subscription is None or not has_role(user, Role.MAINTAINER, online_service=subscription.online_service.slug):
        raise _denied()
    return subscription


def subscription_for_agreement(user, subscription_id) -> Subscription:
    """The subscription, if the user may read its administrative agreement: a coordinator of the
    subscribing or of the providing state, a maintainer of the online service, or an operator."""
    subscription = _subscription(subscription_id)
    if subscription is None or not (
        has_role(user, Role.OPERATOR)
        or has_role(user, Role.COORDINATOR, state=subscription.state.code)
        or has_role(user, Role.COORDINATOR, state=subscription.online_service.provider_state.code)
        or has_role(user, Role.MAINTAINER, online_service=subscription.online_service.slug)
    ):
        raise _denied()
    return subscription


def _subscription(pk) -> Subscription | None:
    if pk is None or not str(pk).isdigit():
        return None
    return Subscription.objects.select_related("state", "online_service__provider_state").filter(pk=int(pk)).first()
