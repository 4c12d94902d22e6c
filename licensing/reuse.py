"""The reuse queries: which states reuse an online service, in one place.

Licensing's own code calls them directly; the store's pages and catalogue filter and the
directory's routing reach them through the store's extension point (`store.extensions.reuse()`,
filled in `LicensingConfig.ready()`), so that the lower apps never import licensing.
"""
from django.db.models import BooleanField, Count, Exists, ExpressionWrapper, F, OuterRef, Q, QuerySet, Value

from directory.models import MirroredConnection, Region, State
from store.models import LeikaService, OnlineService

from .choices import SubscriptionStatus
from .models import Subscription


def connected_subscription_exists(state: State | int) -> Exists:
    """An expression, per online service (OuterRef "pk"), true when `state` (or its pk) has a
    CONNECTED subscription to it."""
    return Exists(Subscription.objects.filter(online_service=OuterRef("pk"), state=state,
                                              status=SubscriptionStatus.CONNECTED))


def online_service_for(service: LeikaService, region: Region) -> OnlineService | None:
    """The EfA online service implementing `service` to which the region's state has a CONNECTED
    subscription (here, or at a source whose directory this node mirrors: MirroredConnection);
    else the provider state's own where the region lies in the provider state; else None. One
    query."""
    connected = Q(connected_subscription_exists(region.state_id)) | Q(MirroredConnection.objects.exists_for(
        region.state_id))
    return (
        OnlineService.objects.filter(services=service)
        .annotate(connected=ExpressionWrapper(connected, output_field=BooleanField()))
        .filter(Q(connected=True) | Q(provider_state_id=region.state_id))
        .order_by("-connected", "name", "pk")
        .first()
    )


def connected_state_codes(online_services: QuerySet[OnlineService]) -> dict[int, set[str]]:
    """Online service id → codes of the states with a CONNECTED subscription to it, here or at a
    mirrored source: what `online_service_for` reads, for mirrors of this node. Two queries."""
    found = MirroredConnection.objects.state_codes(online_services)
    for online_service_id, code in Subscription.objects.filter(
            online_service__in=online_services, status=SubscriptionStatus.CONNECTED).values_list(
            "online_service_id", "state__code"):
        found.setdefault(online_service_id, set()).add(code)
    return found


def subscribed_by(queryset: QuerySet[OnlineService], state_code: str) -> QuerySet[OnlineService]:
    """The online services of `queryset` that the state (by code) reuses. Only concluded reuse
    (`Subscription.objects.paying()`): requests and declines are not public."""
    subscribed = Subscription.objects.paying().filter(state__code=state_code).values("online_service_id")
    return queryset.filter(pk__in=subscribed)


def connected_states_count(online_service: OnlineService) -> int:
    """States in which the service is live: the provider plus states with a CONNECTED
    subscription (what criterion C6 of the EfA implementation criteria counts, ≥ 9)."""
    connected = Subscription.objects.filter(online_service=online_service, status=SubscriptionStatus.CONNECTED)
    return 1 + connected.exclude(state_id=online_service.provider_state_id).values("state_id").distinct().count()


def annotate_connected_states(queryset: QuerySet[OnlineService]) -> QuerySet[OnlineService]:
    """Online services annotated with `connected_states_count` (as `connected_states_count()`),
    for lists that show it without one query per row."""
    connected = Q(subscriptions__status=SubscriptionStatus.CONNECTED) & ~Q(subscriptions__state_id=F("provider_state_id"))
    return queryset.annotate(
        connected_states_count=Count("subscriptions__state", filter=connected, distinct=True) + Value(1)
    )
