"""Who may read and write the directory.

Reads of authorities, endpoints, routes and the change feed need an account (a token); the
states and regions are public. A state's directory maintainer writes the authorities of that
state (and their endpoints and responsibilities); an operator writes all. Refusals raise
`PermissionDenied` with one message for "not there" and "not allowed" (Zulip's
`access_*_by_*`), so callers cannot learn what exists.
"""
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fitstore.access import has_role, is_operator, require_authenticated
from fitstore.choices import Role

from .models import Authority, Endpoint


def _denied() -> PermissionDenied:
    return PermissionDenied(_("You are not allowed to do this, or the object does not exist."))


def may_read_directory(user) -> bool:
    return bool(getattr(user, "is_authenticated", False))


def restrict_authorities(queryset, user):
    """What of `queryset` the caller may read: all with an account, nothing anonymous."""
    return queryset if may_read_directory(user) else queryset.none()


def may_write_state(user, state_code: str | None) -> bool:
    """Operators write every state's directory; a directory maintainer their own state's."""
    if is_operator(user):
        return True
    code = (state_code or "").strip().upper()
    return bool(code) and has_role(user, Role.DIRECTORY_MAINTAINER, state=code)


def require_state_writable(user, state_code: str | None) -> None:
    """For registering an authority: the caller writes the directory of that state. An unknown
    state code passes for operators (the service then names the field)."""
    require_authenticated(user)
    if not may_write_state(user, state_code):
        raise _denied()


def authority_for_write(user, identifier: str | None) -> Authority:
    """The authority with this identifier, if the caller may write it; else PermissionDenied."""
    require_authenticated(user)
    authority = Authority.objects.select_related("state").filter(identifier=(identifier or "").strip()).first()
    if authority is None or not may_write_state(user, authority.state.code):
        raise _denied()
    return authority


def endpoint_for_write(user, pk) -> Endpoint:
    """The endpoint with this primary key, if the caller may write its authority."""
    require_authenticated(user)
    endpoint = None
    if pk is not None and str(pk).isdigit():
        endpoint = Endpoint.objects.select_related("authority__state").filter(pk=int(pk)).first()
    if endpoint is None or not may_write_state(user, endpoint.authority.state.code):
        raise _denied()
    return endpoint


# --- webhook subscriptions (directory.federation.webhooks) ---------------------------------------------------

def may_subscribe(user) -> bool:
    """Gateways (and operators) subscribe to the directory's changes."""
    return is_operator(user) or has_role(user, Role.GATEWAY)


def require_subscriber(user) -> None:
    require_authenticated(user)
    if not may_subscribe(user):
        raise _denied()


def subscription_for_write(user, pk):
    """The caller's own webhook subscription with this primary key (operators: any)."""
    from .models import WebhookSubscription

    require_subscriber(user)
    subscription = None
    if pk is not None and str(pk).isdigit():
        subscription = WebhookSubscription.objects.select_related("state", "owner").filter(pk=int(pk)).first()
    if subscription is None or not (subscription.owner_id == user.pk or is_operator(user)):
        raise _denied()
    return subscription
