"""Web UI views of the directory: the states and the regions of the Gemeindeverzeichnis."""
from django.core.paginator import Paginator
from django.db.models import Max
from django.views.generic import DetailView, ListView

from .models import KoenigsteinShare, Region, State
from .validators import ars_prefixes


class StateListView(ListView):
    """The 16 states with population and their share in the latest Königsteiner Schlüssel."""

    queryset = State.objects.prefetch_related("koenigstein_shares").order_by("ars")
    template_name = "directory/state_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        year = KoenigsteinShare.objects.aggregate(year=Max("year"))["year"]
        for state in context["object_list"]:
            share = state.koenigstein_share(year) if year else None
            state.koenigstein_percent = None if share is None else share * 100
        context["koenigstein_year"] = year
        return context


class RegionDetailView(DetailView):
    """A region by its ARS, with the regions above it and its children (paginated)."""

    queryset = Region.objects.select_related("parent", "state")
    slug_field = slug_url_kwarg = "ars"
    template_name = "directory/region_detail.html"
    children_per_page = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.object
        # Breadcrumbs: the enclosing regions that exist, from the state down (one query).
        context["ancestors"] = Region.objects.filter(ars__in=ars_prefixes(region.ars)[1:]).order_by("ars")
        children = Paginator(region.children.order_by("ars"), self.children_per_page)
        context["children_page"] = children.get_page(self.request.GET.get("page"))
        return context
