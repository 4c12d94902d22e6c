"""Web UI views of the store: the catalogue of online services."""
from django.views.generic import DetailView
from django_filters.views import FilterView

from directory.models import State

from .choices import Lifecycle
from .filtersets import OnlineServiceFilterSet
from .models import OnlineService, Topic


class OnlineServiceListView(FilterView):
    """The catalogue (Katalog): online services filtered by OnlineServiceFilterSet, paginated."""

    filterset_class = OnlineServiceFilterSet
    queryset = OnlineService.objects.select_related("provider_state", "topic").order_by("name", "pk")
    template_name = "store/onlineservice_list.html"
    paginate_by = 25

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            states=State.objects.order_by("name"),
            topics=Topic.objects.order_by("name"),
            lifecycles=Lifecycle.choices,
            **kwargs,
        )


class OnlineServiceDetailView(DetailView):
    """One online service with its catalogue context (topic, life situations, LeiKa services)."""

    queryset = OnlineService.objects.select_related("provider_state", "topic").prefetch_related(
        "life_situations", "services"
    )
    template_name = "store/onlineservice_detail.html"
    context_object_name = "online_service"
