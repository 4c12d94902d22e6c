"""Who may read and write the directory.

Reads of authorities, endpoints, routes and the change feed need an account (a token); the
states and regions are public. A state's directory maintainer writes the authorities of that
state (and their endpoints and responsibilities); an operator writes all. Refusals raise
`PermissionDenied` with one message for "not there" and "not allowed" (Zulip's
`access_*_by_*`), so callers cannot learn what exists.
"""
from fitstore.access import (
    get_object_or_refuse,
    has_role,
    is_operator,
    refusal,
    require_authenticated,
    states_with_role,
)
from fitstore.choices import Role

from .models import Authority, Endpoint, WebhookSubscription


def may_read_directory(user) -> bool:
    """The directory is read by every account (gateways route with it, states and providers look
    up who is responsible) and by nobody anonymous: it is all or nothing, so that the search's
    totals and facets, counted by the engine, count only what the caller may read."""
    return bool(getattr(user, "is_authenticated", False))


def restrict_authorities(queryset, user):
    """What of `queryset` the caller may read: all with an account, nothing anonymous."""
    return queryset if may_read_directory(user) else queryset.none()


def restrict_endpoints(queryset, user):
    """Endpoints (addresses, destination ids, certificates): as their authorities."""
    return restrict_authorities(queryset, user)


def restrict_responsibilities(queryset, user):
    """Responsibilities: as their authorities."""
    return restrict_authorities(queryset, user)


def restrict_directory_changes(queryset, user):
    """The change feed (audit entries of the directory's models, filtered by the caller): as the
    directory. Audit entries of other models are read only by operators, in the admin."""
    return restrict_authorities(queryset, user)


def may_write_state(user, state_code: str | None) -> bool:
    """Operators write every state's directory; a directory maintainer their own state's."""
    if is_operator(user):
        return True
    code = (state_code or "").strip().upper()
    return bool(code) and has_role(user, Role.DIRECTORY_MAINTAINER, state=code)


def writable(queryset, user, state_field: str = "state__code"):
    """What of `queryset` (authorities, or objects of an authority: `state_field` leads to the
    state's code) the caller may write: all for operators, a directory maintainer's own states'."""
    if is_operator(user):
        return queryset
    return queryset.filter(**{f"{state_field}__in": states_with_role(user, Role.DIRECTORY_MAINTAINER)})


def require_state_writable(user, state_code: str | None) -> None:
    """For registering an authority: the caller writes the directory of that state. An unknown
    state code passes for operators (the service then names the field)."""
    require_authenticated(user)
    if not may_write_state(user, state_code):
        raise refusal()


def authority_for_write(user, identifier: str | None) -> Authority:
    """The authority with this identifier, if the caller may write it; else PermissionDenied."""
    require_authenticated(user)
    authorities = writable(Authority.objects.select_related("state"), user)
    return get_object_or_refuse(authorities, identifier=(identifier or "").strip())


def endpoint_for_write(user, pk) -> Endpoint:
    """The endpoint with this primary key, if the caller may write its authority."""
    require_authenticated(user)
    endpoints = writable(Endpoint.objects.select_related("authority__state"), user, "authority__state__code")
    return get_object_or_refuse(endpoints, pk=pk)


# --- webhook subscriptions (directory.federation.webhooks) ---------------------------------------------------

def may_subscribe(user) -> bool:
    """Gateways (and operators) subscribe to the directory's changes."""
    return is_operator(user) or has_role(user, Role.GATEWAY)


def require_subscriber(user) -> None:
    require_authenticated(user)
    if not may_subscribe(user):
        raise refusal()


def restrict_webhook_subscriptions(queryset, user):
    """What of `queryset` (webhook subscriptions: callback URL, delivery state) the caller may read
    and cancel: a subscriber's own; operators any; nothing for other roles."""
    if not may_subscribe(user):
        return queryset.none()
    return queryset if is_operator(user) else queryset.filter(owner=user)


def subscription_for_write(user, pk) -> WebhookSubscription:
    """The webhook subscription with this primary key, if the caller may touch it
    (restrict_webhook_subscriptions)."""
    require_subscriber(user)
    subscriptions = restrict_webhook_subscriptions(WebhookSubscription.objects.select_related("state", "owner"), user)
    return get_object_or_refuse(subscriptions, pk=pk)
