"""Roles and object-level access, in one place.

Each app's `access.py` builds on these helpers (NetBox's `restrict`, Zulip's
`access_*_by_*`): reads that are not public pass through a `restrict_*` function, writes through
`require_*`. A refusal raises `PermissionDenied` with one message for "not there" and "not
allowed", so that callers cannot learn what exists.
"""
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .choices import Role


@dataclass(frozen=True)
class Grant:
    role: str
    state_code: str | None = None
    online_service_slug: str | None = None


def grants_of(user) -> frozenset[Grant]:
    """The user's roles, loaded once per request (cached on the user object)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    cached = getattr(user, "_fitstore_grants", None)
    if cached is None:
        rows = user.role_assignments.values_list("role", "state__code", "online_service__slug")
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


def is_operator(user) -> bool:
    return has_role(user, Role.OPERATOR)


def require_role(user, role: str, *, state: str | None = None, online_service: str | None = None) -> None:
    if not has_role(user, role, state=state, online_service=online_service):
        raise PermissionDenied(_("You are not allowed to do this, or the object does not exist."))


def require_authenticated(user) -> None:
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Sign in or send a valid API token."))
