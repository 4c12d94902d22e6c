"""Routing (Zuständigkeitsfinder): which authority receives applications for a LeiKa service in
a region, at which technical addresses, through which online service.

The ancestors of an ARS are its canonical prefixes (12, 9, 5, 3, 2 digits: at most five keys)
plus the federal level, so one indexed query over the responsibilities' regions answers the
question whatever the size of the directory; the whole lookup costs a constant number of
queries (tests/directory/test_routing.py pins it).

`cached_routes` keeps the answers in the shared cache (settings.ROUTING_CACHE_SECONDS, on when
CACHE_URL is set), keyed by the question (LeiKa key, ARS) and valid only under the directory's
change counter they were computed under: every committed write to what they are made of bumps
the counter (an audit hook, `fitstore.audit.on_commit_of`, registered by the directory for its
models and online services and by licensing for subscriptions; the import once), so no answer
outlives a write; an answer expires at the latest when one of its endpoints' validity or
certificate begins or ends.

A route's online service comes from the reuse queries (`store.extensions.reuse()`, answered by
licensing): the directory does not know subscriptions.
"""
import re
import time
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone

from store import extensions
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
    changes_at: datetime | None = None  # when an endpoint of the authority becomes valid or expires


CHANGE_COUNTER_KEY = "directory:change-counter"
_CACHEABLE = re.compile(r"^\d{2,14}$")


def change_counter() -> int:
    """The directory's change counter in the shared cache. Started at the clock in nanoseconds
    when missing (first use, or evicted), so a restarted counter never meets an old value."""
    value = cache.get(CHANGE_COUNTER_KEY)
    if value is None:
        cache.add(CHANGE_COUNTER_KEY, time.time_ns(), timeout=None)
        value = cache.get(CHANGE_COUNTER_KEY)
    return value


def bump_change_counter() -> None:
    """Called on commit of every directory write: cached answers keyed by the old value are dead."""
    try:
        cache.incr(CHANGE_COUNTER_KEY)
    except ValueError:  # not there: start it (above any value it had)
        cache.add(CHANGE_COUNTER_KEY, time.time_ns(), timeout=None)


def cached_routes(leika_key: str, ars: str) -> list[Route]:
    """`routes(leika_key, ars)` through the shared cache where settings.ROUTING_CACHE_SECONDS is
    set. An entry holds the change counter it was computed under and counts only while the
    counter is unchanged; the counter and the entry are read in one round trip. Malformed or
    unknown arguments are never cached (they raise as `routes` does)."""
    seconds = settings.ROUTING_CACHE_SECONDS
    if not seconds or not (_CACHEABLE.match(leika_key or "") and _CACHEABLE.match(ars or "")):
        return routes(leika_key, ars)
    key = f"routes:{leika_key}:{ars}"
    found = cache.get_many([CHANGE_COUNTER_KEY, key])
    counter = found.get(CHANGE_COUNTER_KEY)
    if counter is None:
        counter = change_counter()
    entry = found.get(key)
    if entry is not None and entry[0] == counter:
        return entry[1]
    # Read before the answer is computed: a write committed meanwhile moves the counter past it.
    now = timezone.now()
    answer = routes(leika_key, ars, now=now)
    changes = [route.changes_at for route in answer if route.changes_at is not None]
    if changes:
        seconds = min(seconds, int((min(changes) - now).total_seconds()))
    if seconds > 0:
        cache.set(key, (counter, answer), timeout=seconds)
    return answer


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

    # All active endpoints, the usable ones chosen here: the others tell when the answer changes.
    authorities = (
        Authority.objects.filter(pk__in=authority_ids).select_related("state", "region")
        .prefetch_related(Prefetch("endpoints", queryset=Endpoint.objects.filter(active=True).order_by("kind", "id"),
                                   to_attr="active_endpoints"))
        .order_by("identifier")
    )
    online_service = extensions.reuse().online_service_for(service, region)
    return [
        Route(leika_key=service.leika_key, region=region, authority=authority, level=level,
              endpoints=[endpoint for endpoint in authority.active_endpoints if endpoint.is_usable(now)],
              online_service=online_service, changes_at=_next_change(authority.active_endpoints, now))
        for authority in authorities
    ]


def _next_change(endpoints: list[Endpoint], now) -> datetime | None:
    return min((moment for moment in (endpoint.changes_after(now) for endpoint in endpoints) if moment is not None),
               default=None)


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

