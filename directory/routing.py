"""Routing (Zuständigkeitsfinder): which authority receives applications for a LeiKa service in
a region, at which technical addresses, through which online service.

The ancestors of an ARS are its canonical prefixes (12, 9, 5, 3, 2 digits: at most five keys)
plus the federal level, so one indexed query over the responsibilities' regions answers the
question whatever the size of the directory; the whole lookup costs a constant number of
queries (tests/directory/test_routing.py pins it).
"""
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Exists, OuterRef, Prefetch, Q, Value
from django.utils import timezone

from store.models import LeikaService, OnlineService
from store.validators import validate_leika_key

from .choices import LEVEL_BY_ARS_LENGTH, RegionLevel
from .models import Authority, Endpoint, Region, Responsibility
from .validators import ars_prefixes, validate_ars


class RoutingInputError(ValueError):
    """A malformed or unknown argument; `argument` names it as the API does (leikaKey, ars)."""

    def __init__(self, argument: str, message: str):
        super().__init__(message)
        self.argument = argument
        self.message = message


@dataclass
class Route:
    leika_key: str
    region: Region  # the region asked for
    authority: Authority
    level: str  # the level at which the responsibility was found (RegionLevel)
    endpoints: list[Endpoint] = field(default_factory=list)
    online_service: OnlineService | None = None


def routes(leika_key: str, ars: str, *, now=None) -> list[Route]:
    """The routes for `leika_key` in the region `ars`: the authorities responsible at the most
    specific level that has any (municipality → municipal association → district → government
    district → state → federal), each with its usable endpoints; an empty list when nobody is."""
    now = now or timezone.now()
    service = _service(leika_key)
    region = _region(ars)
    prefixes = ars_prefixes(region.ars)

    matches = list(
        Responsibility.regions.through.objects.filter(
            responsibility__service=service, responsibility__authority__active=True, region__ars__in=prefixes,
        ).values_list("responsibility__authority_id", "region__ars")
    )
    if matches:
        longest = max(len(match_ars) for _, match_ars in matches)
        authority_ids = {authority_id for authority_id, match_ars in matches if len(match_ars) == longest}
        level = LEVEL_BY_ARS_LENGTH[longest]
    else:
        authority_ids = set(
            Responsibility.objects.filter(service=service, nationwide=True, authority__active=True)
            .values_list("authority_id", flat=True)
        )
        level = RegionLevel.FEDERAL
    if not authority_ids:
        return []

    authorities = (
        Authority.objects.filter(pk__in=authority_ids).select_related("state", "region")
        .prefetch_related(Prefetch("endpoints", queryset=Endpoint.objects.usable(now).order_by("kind", "id"),
                                   to_attr="usable_endpoints"))
        .order_by("identifier")
    )
    online_service = online_service_for(service, region)
    return [
        Route(leika_key=service.leika_key, region=region, authority=authority, level=level,
              endpoints=authority.usable_endpoints, online_service=online_service)
        for authority in authorities
    ]


def _service(leika_key: str) -> LeikaService:
    try:
        validate_leika_key(leika_key)
    except ValidationError as error:
        raise RoutingInputError("leikaKey", " ".join(error.messages)) from None
    service = LeikaService.objects.filter(leika_key=leika_key).only("id", "leika_key").first()
    if service is None:
        raise RoutingInputError("leikaKey", f"the LeiKa catalogue has no service {leika_key}.")
    return service


def _region(ars: str) -> Region:
    try:
        validate_ars(ars)
    except ValidationError as error:
        raise RoutingInputError("ars", " ".join(error.messages)) from None
    region = Region.objects.select_related("state").filter(ars=ars).first()
    if region is None:
        raise RoutingInputError("ars", f"no region of the Gemeindeverzeichnis has the ARS {ars}.")
    return region


def connected_subscription_exists(state):
    """An expression, per online service (OuterRef "pk"), true when `state` has a CONNECTED
    subscription to it. Without the licensing app's subscriptions it is always false: extend
    here, not in the callers."""
    try:
        from licensing.choices import SubscriptionStatus
        from licensing.models import Subscription
    except ImportError:  # licensing without subscriptions: only the provider state's own service counts
        return Value(False, output_field=BooleanField())
    return Exists(Subscription.objects.filter(online_service=OuterRef("pk"), state=state,
                                              status=SubscriptionStatus.CONNECTED))


def online_service_for(service: LeikaService, region: Region) -> OnlineService | None:
    """The EfA online service implementing `service` to which the region's state has a CONNECTED
    subscription; else the provider state's own where the region lies in the provider state;
    else None. One query."""
    return (
        OnlineService.objects.filter(services=service)
        .annotate(connected=connected_subscription_exists(region.state_id))
        .filter(Q(connected=True) | Q(provider_state_id=region.state_id))
        .order_by("-connected", "name", "pk")
        .first()
    )
