"""Who may act on an online service in the store (built on fitstore.access).

The catalogue is public. An online service's maintainers (role "maintainer" scoped to it) and
the platform's operators may edit its data and record its criteria; only its maintainers
publish its releases (the contract's publishRelease: a release is the provider's act). Refusals raise `PermissionDenied` with one
message for "not there" and "not allowed".
"""
from fitstore.access import get_object_or_refuse, has_role, is_operator, online_services_with_role
from fitstore.choices import Role

from .models import OnlineService


def can_maintain(user, online_service: OnlineService) -> bool:
    """Whether `user` may edit the online service and record its criteria (its maintainer, or an operator)."""
    return is_operator(user) or has_role(user, Role.MAINTAINER, online_service=online_service.slug)


def can_publish(user, online_service: OnlineService) -> bool:
    """Whether `user` may publish releases of the online service (its maintainers only)."""
    return has_role(user, Role.MAINTAINER, online_service=online_service.slug)


def maintained_online_services(user, queryset=None):
    """What of `queryset` (default: all online services) the user maintains (role "maintainer")."""
    queryset = OnlineService.objects.all() if queryset is None else queryset
    return queryset.filter(slug__in=online_services_with_role(user, Role.MAINTAINER))


def online_service_for_maintainer(user, slug: str, queryset=None) -> OnlineService:
    """The online service `slug` if `user` may maintain it (see can_maintain); PermissionDenied
    otherwise, alike whether it does not exist or the user may not act on it."""
    queryset = OnlineService.objects.all() if queryset is None else queryset
    if not is_operator(user):
        queryset = maintained_online_services(user, queryset)
    return get_object_or_refuse(queryset, slug=slug)


def online_service_for_publisher(user, slug: str, queryset=None) -> OnlineService:
    """The online service `slug` if `user` may publish its releases (see can_publish)."""
    return get_object_or_refuse(maintained_online_services(user, queryset), slug=slug)
