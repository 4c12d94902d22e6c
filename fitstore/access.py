"""Roles and object-level access, in one place.

Each app's `access.py` builds on these helpers (NetBox's `restrict`, Zulip's
`access_*_by_*`): reads that are not public pass through a `restrict_<objects>(queryset, user)`
function (with a per-object `can_read_<object>(user, obj)` where loaded rows are filtered), used
alike by the web UI, the API and exports (docs/security.md, "Who may read what"); writes through
`require_*`, and an object to act on is fetched from what the caller may touch with
`get_object_or_refuse`. A refusal is `refusal()`: `PermissionDenied` with one message for "not
there" and "not allowed", so that callers cannot learn what exists. Pages that answer such a
refusal with 404 wrap their views in `refusals_as_not_found`.
"""
from dataclasses import dataclass
from functools import wraps

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from .choices import Role
from .models import ApiToken


@dataclass(frozen=True)
class Grant:
    """One role of a user with its scope, by the keys users know (code, slug) and by primary key
    (so that read rules compare loaded rows without a query: `subscription.state_id`)."""

    role: str
    state_code: str | None = None
    online_service_slug: str | None = None
    state_id: int | None = None
    online_service_id: int | None = None


def grants_of(user) -> frozenset[Grant]:
    """The user's roles, loaded once per request (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_fitstore_grants", None)
    if cached is None:
        rows = user.role_assignments.values_list("role", "state__code", "online_service__slug", "state_id",
                                                 "online_service_id")
        cached = frozenset(Grant(*row) for row in rows)
        user._fitstore_grants = cached
    return cached


def forget_grants(user) -> None:
    if hasattr(user, "_fitstore_grants"):
        del user._fitstore_grants


def has_role(user, role: str, *, state: str | None = None, online_service: str | None = None) -> bool:
    """Whether `user` holds `role`, for the state code or online-service slug where given.

    Without a scope argument a scoped role counts for any scope ("is coordinator somewhere").
    """
    for grant in grants_of(user):
        if grant.role != role:
            continue
        if state is not None and grant.state_code != state:
            continue
        if online_service is not None and grant.online_service_slug != online_service:
            continue
        return True
    return False


def states_with_role(user, role: str) -> set[str]:
    return {g.state_code for g in grants_of(user) if g.role == role and g.state_code}


def online_services_with_role(user, role: str) -> set[str]:
    return {g.online_service_slug for g in grants_of(user) if g.role == role and g.online_service_slug}


def state_ids_with_role(user, role: str) -> set[int]:
    """The primary keys of the states for which `user` holds `role` (states_with_role by key)."""
    return {g.state_id for g in grants_of(user) if g.role == role and g.state_id}


def online_service_ids_with_role(user, role: str) -> set[int]:
    """The primary keys of the online services for which `user` holds `role`."""
    return {g.online_service_id for g in grants_of(user) if g.role == role and g.online_service_id}


def is_operator(user) -> bool:
    return has_role(user, Role.OPERATOR)


def refusal() -> PermissionDenied:
    """The one answer to "the object does not exist" and "you may not act on it"."""
    return PermissionDenied(_("You are not allowed to do this, or the object does not exist."))


def require_role(user, role: str, *, state: str | None = None, online_service: str | None = None) -> None:
    if not has_role(user, role, state=state, online_service=online_service):
        raise refusal()


def require_operator(user) -> None:
    require_role(user, Role.OPERATOR)


def require_authenticated(user) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in or send a valid API token."))


def get_object_or_refuse(queryset, **lookup):
    """The object of `queryset` matching `lookup`, where `queryset` holds only what the caller may
    act on (Zulip's `access_stream_by_id`); else `refusal()`, the same whether the object does not
    exist, is not the caller's, or the key is malformed (an ID that is not a number)."""
    if any(value is None for value in lookup.values()):
        raise refusal()
    try:
        found = queryset.filter(**lookup).first()
    except (ValueError, TypeError, ValidationError):
        found = None
    if found is None:
        raise refusal()
    return found


def refusals_as_not_found(view):
    """For pages that answer "not there" and "not allowed" alike with 404: the view's refusals
    (`PermissionDenied`) become that 404."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied:
            raise Http404(_("You are not allowed to do this, or the object does not exist.")) from None

    return wrapped


# --- Read rules of the shared mechanisms (docs/security.md, "Who may read what") ---------------

def restrict_tokens(queryset, user):
    """What of `queryset` (API tokens) the caller may read and revoke: their own; operators any."""
    if not getattr(user, "is_authenticated", False):
        return queryset.none()
    return queryset if is_operator(user) else queryset.filter(user=user)


def token_for_revoke(user, pk):
    """The API token with this primary key, if the caller may touch it (restrict_tokens)."""
    return get_object_or_refuse(restrict_tokens(ApiToken.objects.all(), user), pk=pk)
