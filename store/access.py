"""Who may act on an online service in the store (built on fitstore.access).

The catalogue is public. An online service's maintainers (role "maintainer" scoped to it) and
the platform's operators may edit its data and record its criteria; only its maintainers
publish its releases (the contract's publishRelease: a release is the provider's act). Refusals raise `PermissionDenied` with one
message for "not there" and "not allowed".
"""
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from fitstore.access import has_role, is_operator
from fitstore.choices import Role

from .models import OnlineService


def can_maintain(user, online_service: OnlineService) -> bool:
    """Whether `user` may edit the online service and record its criteria (its maintainer, or an operator)."""
    return is_operator(user) or has_role(user, Role.MAINTAINER, online_service=online_service.slug)


def can_publish(user, online_service: OnlineService) -> bool:
    """Whether `user` may publish releases of the online service (its maintainers only)."""
    return has_role(user, Role.MAINTAINER, online_service=online_service.slug)


def online_service_for_maintainer(user, slug: str, queryset=None) -> OnlineService:
    """The online service `slug` if `user` may maintain it; PermissionDenied otherwise, alike
    whether it does not exist or the user may not act on it."""
    if not (is_operator(user) or has_role(user, Role.MAINTAINER, online_service=slug)):
        raise PermissionDenied(_("You are not allowed to do this, or the object does not exist."))
    return _online_service(slug, queryset)


def online_service_for_publisher(user, slug: str, queryset=None) -> OnlineService:
    """The online service `slug` if `user` may publish its releases (see can_publish)."""
    if not has_role(user, Role.MAINTAINER, online_service=slug):
        raise PermissionDenied(_("You are not allowed to do this, or the object does not exist."))
    return _online_service(slug, queryset)


def _online_service(slug: str, queryset=None) -> OnlineService:
    online_service = (queryset if queryset is not None else OnlineService.objects).filter(slug=slug).first()
    if online_service is None:
        raise PermissionDenied(_("You are not allowed to do this, or the object does not exist."))
    return online_service
