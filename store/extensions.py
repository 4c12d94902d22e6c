"""The store's extension points: what apps above it add to the catalogue, registered in their
`AppConfig.ready()`, so that the store (and the directory's routing, one layer with it) reads it
without importing them (docs/architecture.md, "Layers").

- `reuse()`: the reuse queries (`ReuseQueries`): which states reuse an online service. Licensing
  answers them (licensing.reuse); without it nobody reuses anything (`WithoutSubscriptions`): an
  online service is run by its provider state alone.
- `online_service_page`: sections of the online service page (licensing: the reuse panel).
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from django.db.models import IntegerField, Q, QuerySet, Value
from django.http import HttpRequest

from directory.models import MirroredConnection

from fitstore.sections import Slot

from .models import LeikaService, OnlineService

if TYPE_CHECKING:
    from directory.models import Region


class ReuseQueries(Protocol):
    """What the store's pages, its catalogue filter and routing ask about the reuse of online services."""

    def online_service_for(self, service: LeikaService, region: Region) -> OnlineService | None:
        """The online service through which `region` offers `service` (a route's online service)."""

    def connected_state_codes(self, online_services: QuerySet[OnlineService]) -> dict[int, set[str]]:
        """Online service id → codes of the states connected to it (what `online_service_for`
        reads; a mirror copies it, directory.federation.feed.route_services)."""

    def subscribed_by(self, queryset: QuerySet[OnlineService], state_code: str) -> QuerySet[OnlineService]:
        """The online services of `queryset` that the state (by code) reuses."""

    def connected_states_count(self, online_service: OnlineService) -> int:
        """The states in which the service is live, its provider included (criterion C6)."""

    def annotate_connected_states(self, queryset: QuerySet[OnlineService]) -> QuerySet[OnlineService]:
        """`queryset` annotated with `connected_states_count`, for lists."""


class WithoutSubscriptions:
    """The answers while no app keeps subscriptions: each online service serves its provider state,
    and the states connected at a source this node mirrors (directory.MirroredConnection)."""

    def online_service_for(self, service: LeikaService, region: Region) -> OnlineService | None:
        # Connected at a source this node mirrors, else the provider state's own.
        return (OnlineService.objects.filter(services=service)
                .annotate(connected=MirroredConnection.objects.exists_for(region.state_id))
                .filter(Q(connected=True) | Q(provider_state_id=region.state_id))
                .order_by("-connected", "name", "pk").first())

    def connected_state_codes(self, online_services: QuerySet[OnlineService]) -> dict[int, set[str]]:
        return MirroredConnection.objects.state_codes(online_services)

    def subscribed_by(self, queryset: QuerySet[OnlineService], state_code: str) -> QuerySet[OnlineService]:
        return queryset.none()

    def connected_states_count(self, online_service: OnlineService) -> int:
        return 1

    def annotate_connected_states(self, queryset: QuerySet[OnlineService]) -> QuerySet[OnlineService]:
        return queryset.annotate(connected_states_count=Value(1, output_field=IntegerField()))


_reuse: ReuseQueries = WithoutSubscriptions()


def register_reuse(queries: ReuseQueries) -> None:
    """Make `queries` answer the reuse questions (licensing does, in LicensingConfig.ready())."""
    global _reuse
    _reuse = queries


def reuse() -> ReuseQueries:
    return _reuse


# Sections of the online service page, below its overview: provider(request, online_service).
online_service_page: Slot[[HttpRequest, OnlineService]] = Slot("online service page")
