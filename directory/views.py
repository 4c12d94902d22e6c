"""Web UI views of the directory.

Public: the states and the regions of the Gemeindeverzeichnis. For signed-in users (the
directory is not public, as in the API): the authorities with their endpoints and
responsibilities, and the route finder "Wer ist zuständig?". Written by the state's directory
maintainers and operators through forms that call `directory.services`; a refused write answers
404, whether the authority exists or not (`directory.access`, `fitstore.access.refusals_as_not_found`).
"""
import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Count, Max, Prefetch, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_http_methods
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from fitstore.access import get_object_or_refuse, refusal, refusals_as_not_found
from fitstore.forms import ConfirmForm
from store.models import LeikaService

from . import access, services
from .choices import AuthorityKind, RegionLevel
from .filtersets import AuthorityFilterSet
from .forms import (
    AuthorityCreateForm,
    AuthorityUpdateForm,
    EndpointForm,
    ResponsibilityAssignForm,
    ResponsibilityWithdrawForm,
    RouteFinderForm,
    writable_states,
)
from .models import Authority, Endpoint, KoenigsteinShare, Postcode, Region, Responsibility, State
from .routing import RoutingInputError, routes
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
    """A region by its ARS, with the regions above it, its postcodes and its children (paginated)."""

    queryset = Region.objects.select_related("parent", "state")
    slug_field = slug_url_kwarg = "ars"
    template_name = "directory/region_detail.html"
    children_per_page = 100

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = self.object
        # Breadcrumbs: the enclosing regions that exist, from the state down (one query).
        context["ancestors"] = Region.objects.filter(ars__in=ars_prefixes(region.ars)[1:]).order_by("ars")
        context["postcodes"] = list(region.postcodes.values_list("code", flat=True))
        children = Paginator(region.children.order_by("ars"), self.children_per_page)
        context["children_page"] = children.get_page(self.request.GET.get("page"))
        return context


# --- the directory proper: authorities, endpoints, responsibilities (signed-in users) -------------

AUTHORITIES_PER_PAGE = 25
EXPIRY_WARNING = datetime.timedelta(days=30)

# Validity of an endpoint, in words (status badges never by colour alone).
ENDPOINT_STATUS_WORDS = {
    "valid": pgettext_lazy("endpoint status", "valid"),
    "expiring": pgettext_lazy("endpoint status", "expires soon"),
    "expired": pgettext_lazy("endpoint status", "expired"),
    "pending": pgettext_lazy("endpoint status", "not yet valid"),
    "inactive": pgettext_lazy("endpoint status", "inactive"),
}


def endpoint_status(endpoint: Endpoint, now) -> str:
    """valid, expiring (within 30 days), expired, pending (validity not begun) or inactive."""
    if not endpoint.active:
        return "inactive"
    ends = endpoint.ends_at()
    if not endpoint.is_usable(now):
        return "expired" if ends is not None and ends <= now else "pending"
    return "expiring" if ends is not None and ends <= now + EXPIRY_WARNING else "valid"


def write_view(view):
    """A page of the directory's writers: signed in, GET or POST, and a refusal (not allowed, or
    not there) answered with 404."""
    return login_required(require_http_methods(["GET", "POST"])(refusals_as_not_found(view)))


def _posted(request):
    return request.POST if request.method == "POST" else None


class AuthorityListView(LoginRequiredMixin, FilterView):
    """The authorities, filtered by AuthorityFilterSet: by state, by region (ARS prefix), kind,
    LeiKa key, free text; paginated."""

    filterset_class = AuthorityFilterSet
    template_name = "directory/authority_list.html"
    paginate_by = AUTHORITIES_PER_PAGE

    def get_queryset(self):
        queryset = (
            Authority.objects.select_related("state", "region")
            .annotate(active_endpoints=Count("endpoints", filter=Q(endpoints__active=True), distinct=True))
            .order_by("state__name", "name", "identifier")
        )
        return access.restrict_authorities(queryset, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.request.GET
        context["states"] = State.objects.order_by("name")
        context["kinds"] = AuthorityKind.choices
        context["writable_states"] = writable_states(self.request.user)
        context["chosen_state"] = next((s for s in context["states"] if s.code == (data.get("state") or "").upper()), None)
        region_key = (data.get("region") or "").strip()
        context["chosen_region"] = Region.objects.filter(ars=region_key).first() if region_key else None
        context["filtered"] = any(data.get(name) for name in ("q", "state", "region", "kind", "leika_key", "active"))
        return context


class AuthorityDetailView(LoginRequiredMixin, DetailView):
    """An authority with its endpoints (validity in words) and responsibilities."""

    slug_field = slug_url_kwarg = "identifier"
    template_name = "directory/authority_detail.html"

    def get_queryset(self):
        queryset = Authority.objects.select_related("state", "region").prefetch_related(
            Prefetch("endpoints", queryset=Endpoint.objects.order_by("-active", "kind", "id")),
            Prefetch("responsibilities", queryset=Responsibility.objects.select_related("service")
                     .prefetch_related(Prefetch("regions", queryset=Region.objects.order_by("ars")))
                     .order_by("service__name")),
        )
        return access.restrict_authorities(queryset, self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        authority = self.object
        now = timezone.now()
        endpoints = list(authority.endpoints.all())
        for endpoint in endpoints:
            endpoint.status = endpoint_status(endpoint, now)
            endpoint.status_words = ENDPOINT_STATUS_WORDS[endpoint.status]
        context["endpoints"] = endpoints
        context["responsibilities"] = list(authority.responsibilities.all())
        context["can_edit"] = not authority.origin and access.may_write_state(self.request.user, authority.state.code)
        return context


@write_view
def authority_create(request):
    """Register an authority in a state the user maintains."""
    states = writable_states(request.user)
    if not states:
        raise refusal()
    initial = {}
    wanted = (request.GET.get("state") or "").upper()
    if wanted in {state.code for state in states}:
        initial["state"] = wanted
    form = AuthorityCreateForm(_posted(request), states=states, initial=initial)
    if request.method == "POST" and form.is_valid():
        access.require_state_writable(request.user, form.cleaned_data["state"])
        authority = form.save(actor=request.user)
        if authority is not None:
            messages.success(request, _("The authority %(name)s is registered. Now add its technical addresses.")
                             % {"name": authority.name})
            return redirect("directory:authority_detail", authority.identifier)
    return render(request, "directory/authority_form.html", {"form": form},
                  status=400 if request.method == "POST" else 200)


@write_view
def authority_update(request, identifier):
    authority = access.authority_for_write(request.user, identifier)
    form = AuthorityUpdateForm(_posted(request), authority=authority)
    if request.method == "POST" and form.is_valid():
        updated = form.save(actor=request.user)
        if updated is not None:
            messages.success(request, _("The changes to %(name)s are saved.") % {"name": updated.name})
            return redirect("directory:authority_detail", updated.identifier)
    return render(request, "directory/authority_form.html", {"form": form, "authority": authority},
                  status=400 if request.method == "POST" else 200)


@write_view
def authority_deactivate(request, identifier):
    """Confirm, then take the authority out of routing."""
    authority = access.authority_for_write(request.user, identifier)
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid() and form.call(services.deactivate_authority, authority,
                                                                   actor=request.user):
        messages.success(request, _("%(name)s is deactivated: it receives no more applications.")
                         % {"name": authority.name})
        return redirect("directory:authority_detail", authority.identifier)
    return render(request, "directory/authority_deactivate.html", {
        "authority": authority, "form": form,
        "active_endpoints": authority.endpoints.filter(active=True).count(),
        "responsibilities": authority.responsibilities.count(),
    }, status=400 if form.errors else 200)


@write_view
def endpoint_create(request, identifier):
    authority = access.authority_for_write(request.user, identifier)
    form = EndpointForm(_posted(request), request.FILES or None, authority=authority)
    if request.method == "POST" and form.is_valid():
        endpoint = form.save(actor=request.user)
        if endpoint is not None:
            messages.success(request, _("The address %(address)s is registered.") % {"address": endpoint.address})
            return redirect(reverse("directory:authority_detail", args=[authority.identifier]) + f"#endpoint-{endpoint.pk}")
    return render(request, "directory/endpoint_form.html", {"form": form, "authority": authority},
                  status=400 if request.method == "POST" else 200)


@write_view
def endpoint_deactivate(request, pk):
    """Confirm, then take the endpoint out of routing."""
    endpoint = access.endpoint_for_write(request.user, pk)
    authority = endpoint.authority
    form = ConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid() and form.call(services.deactivate_endpoint, endpoint,
                                                                   actor=request.user):
        messages.success(request, _("The address %(address)s is deactivated.") % {"address": endpoint.address})
        return redirect("directory:authority_detail", authority.identifier)
    return render(request, "directory/endpoint_deactivate.html", {
        "endpoint": endpoint, "authority": authority, "form": form,
    }, status=400 if form.errors else 200)


@write_view
def responsibility_assign(request, identifier):
    authority = access.authority_for_write(request.user, identifier)
    form = ResponsibilityAssignForm(_posted(request), authority=authority,
                                    initial={"leika_key": request.GET.get("leika_key", "")})
    if request.method == "POST" and form.is_valid():
        responsibility = form.save(actor=request.user)
        if responsibility is not None:
            messages.success(request, _("%(name)s is responsible for %(service)s.") % {
                "name": authority.name, "service": responsibility.service.name})
            return redirect(reverse("directory:authority_detail", args=[authority.identifier]) + "#responsibilities")
    return render(request, "directory/responsibility_form.html", {"form": form, "authority": authority},
                  status=400 if request.method == "POST" else 200)


@write_view
def responsibility_withdraw(request, identifier, leika_key):
    """Confirm, then take regions out of a responsibility or end it."""
    authority = access.authority_for_write(request.user, identifier)
    responsibility = get_object_or_refuse(Responsibility.objects.select_related("service").prefetch_related("regions"),
                                          authority=authority, service__leika_key=leika_key)
    form = ResponsibilityWithdrawForm(_posted(request), authority=authority, leika_key=leika_key)
    if request.method == "POST" and form.is_valid() and form.save(actor=request.user):
        messages.success(request, _("The responsibility for %(service)s is withdrawn.")
                         % {"service": responsibility.service.name})
        return redirect(reverse("directory:authority_detail", args=[authority.identifier]) + "#responsibilities")
    return render(request, "directory/responsibility_withdraw.html", {
        "form": form, "authority": authority, "responsibility": responsibility,
    }, status=400 if request.method == "POST" else 200)


@login_required
def route_finder(request):
    """"Wer ist zuständig?": the answer of `routing.routes` for a service and a place, with the
    choice offered where a name or postcode fits several (RouteFinderForm)."""
    # The form sends both fields; a link that names only the place (from a region's page) fills it in.
    if "leistung" in request.GET:
        form = RouteFinderForm(request.GET)
    else:
        form = RouteFinderForm(initial={"ort": request.GET.get("ort", "")})
    context = {"form": form, "answer": None}
    if form.is_bound and form.is_valid():
        leika_key, ars = form.cleaned_data["leistung"], form.cleaned_data["ort"]
        try:
            found = routes(leika_key, ars)
        except RoutingInputError as error:
            form.add_error("leistung" if error.argument == "leikaKey" else "ort", error.message)
        else:
            now = timezone.now()
            for route in found:
                route.level_label = RegionLevel(route.level).label
                for endpoint in route.endpoints:
                    endpoint.status = endpoint_status(endpoint, now)
                    endpoint.status_words = ENDPOINT_STATUS_WORDS[endpoint.status]
            context["answer"] = found
            context["service"] = LeikaService.objects.filter(leika_key=leika_key).first()
            context["region"] = Region.objects.select_related("state").filter(ars=ars).first()
    context.update(
        service_candidates=form.service_candidates, service_alternatives=form.service_alternatives,
        place_candidates=form.place_candidates, place_alternatives=form.place_alternatives,
        place_search=form.place_search,
        postcodes_known=number_format(Postcode.objects.count(), force_grouping=True),
    )
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "directory/route_finder.html", context, status=status)
