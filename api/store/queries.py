"""Queries of the store's catalogue (public): an online service by its slug."""
import graphene
from django.db.models import Prefetch

from store.filtersets import OnlineServiceFilterSet
from store.models import OnlineService, OnlineServiceInterface, Release

from ..core.enums import Lifecycle
from ..core.types import FilterConnectionField
from .types import OnlineServiceType


class OnlineServiceConnectionField(FilterConnectionField):
    """`onlineServices`: the FilterSet's arguments, with `lifecycle` typed as the contract's enum."""

    @property
    def filtering_args(self):
        args = super().filtering_args
        if "lifecycle" in args:
            args["lifecycle"] = graphene.Argument(Lifecycle, description="Lifecycle of the online service.")
        return args


def online_services_queryset():
    """Online services with what lists show, in a fixed number of queries whatever the page size."""
    from licensing.models import Subscription

    queryset = OnlineService.objects.select_related("provider_state", "topic", "repository", "terms").prefetch_related(
        Prefetch("releases", queryset=Release.objects.all()),  # newest version first
        "criterion_assessments",  # efaConformant
        Prefetch("subscriptions", queryset=Subscription.objects.select_related("state", "online_service")
                 .prefetch_related("events").order_by("state__ars", "-requested_at", "-id")),
    )
    try:
        from licensing.reuse import annotate_connected_states
    except ImportError:  # licensing not built yet
        return queryset
    return annotate_connected_states(queryset)


class StoreQueries(graphene.ObjectType):
    online_services = OnlineServiceConnectionField(
        OnlineServiceType, filterset_class=OnlineServiceFilterSet,
        description="The catalogue of EfA online services, filtered (provider state, lifecycle, topic, LeiKa key, "
                    "subscribing state, free text), by name.",
    )
    online_service = graphene.Field(
        OnlineServiceType,
        slug=graphene.String(required=True, description="The online service's slug, e.g. wohngeld."),
        description="An online service by its slug; null when there is none.",
    )

    @staticmethod
    def resolve_online_service(root, info, slug):
        return online_services_queryset().prefetch_related(
            Prefetch("interfaces", queryset=OnlineServiceInterface.objects.select_related("standard")),
            "basis_components",
        ).filter(slug=slug).first()

    @staticmethod
    def resolve_online_services(root, info, **args):
        return online_services_queryset()
