"""Web UI views of the store: the home page, the catalogue with its facets, the online service
page, the user journeys by topic and life situation (the source document's "Nutzerreisen"), and
the maintainer's page to publish a release from a tag of the service's repository.

Lists go through `OnlineServiceFilterSet`, the one definition of the catalogue's filters; the
facet counts are that FilterSet applied without the facet's own filter.
"""
from dataclasses import dataclass

import pygit2
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.http import require_safe
from django.views.generic import DetailView
from django_filters.views import FilterView

from directory.models import State

from . import access, extensions, repositories, services
from .choices import Lifecycle, MaturityLevel
from .criteria import efa_criteria
from .filtersets import OnlineServiceFilterSet
from .forms import AssessCriterionForm, OnlineServiceForm, PublishReleaseForm, RepositoryForm
from .models import (
    CriterionAssessment,
    LeikaService,
    LifeSituation,
    OnlineService,
    OnlineServiceInterface,
    OzgService,
    Release,
    Repository,
    Topic,
)

LIST_PAGE_SIZE = 25
RELEASES_PAGE_SIZE = 10
OZG_PAGE_SIZE = 50
JOURNEY_ONLINE_SERVICES = 25  # online services shown on a topic or life-situation page; the rest in the catalogue

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


def life_situation_slug(life_situation: LifeSituation) -> str:
    """`26-geburt`: the code (what the URL is resolved by) and the name, for people to read."""
    name = slugify((life_situation.name or "").translate(_UMLAUTS))
    return f"{life_situation.code}-{name}" if name else str(life_situation.code)


def with_url_slugs(life_situations):
    """The life situations, each given `url_slug` for templates."""
    life_situations = list(life_situations)
    for life_situation in life_situations:
        life_situation.url_slug = life_situation_slug(life_situation)
    return life_situations


# --- the catalogue -------------------------------------------------------------------------------

@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass
class Facet:
    name: str
    label: str
    options: list
    selected: str


@dataclass
class ActiveFilter:
    name: str
    label: str
    value: str
    remove_url: str


# Filters the list offers as facets: (parameter, label, value field, label field or None).
FACETS = (
    ("topic", _("Topic"), "topic__code", "topic__name"),
    ("provider_state", _("Providing state"), "provider_state__code", "provider_state__name"),
    ("lifecycle", _("Lifecycle"), "lifecycle", None),
    ("life_situation", _("Life situation"), "life_situations__code", "life_situations__name"),
)
FILTER_LABELS = {
    "q": _("Search term"),
    "search": _("Search term"),
    "topic": _("Topic"),
    "provider_state": _("Providing state"),
    "lifecycle": _("Lifecycle"),
    "life_situation": _("Life situation"),
    "leika_key": _("LeiKa key"),
    "subscribed_by": _("Reused by"),
    "maturity_level": _("Maturity level"),
    "responsible_ministry": _("Responsible federal ministry"),
    "it_provider": _("IT provider"),
    "basis_component": _("Basis component"),
    "slug": _("Slug"),
    "is_demo": _("Demo entry"),
}


def _without(query, *names) -> str:
    rest = query.copy()
    for name in (*names, "page"):
        rest.pop(name, None)
    encoded = rest.urlencode()
    return f"?{encoded}" if encoded else "?"


class OnlineServiceListView(FilterView):
    """The catalogue (Katalog): online services filtered by OnlineServiceFilterSet, with facet
    counts, removable active filters and pagination."""

    filterset_class = OnlineServiceFilterSet
    queryset = OnlineService.objects.select_related("provider_state", "topic").order_by("name", "pk")
    template_name = "store/onlineservice_list.html"
    paginate_by = LIST_PAGE_SIZE

    def facet_counts(self, name: str, value_field: str, label_field: str | None) -> dict[str, tuple[str, int]]:
        """{value: (label, count)} over the catalogue filtered by everything but this facet."""
        data = self.request.GET.copy()
        data.pop(name, None)
        data.pop("page", None)
        filterset = OnlineServiceFilterSet(data, queryset=OnlineService.objects.all())
        if not filterset.is_valid():
            return {}
        fields = [value_field] + ([label_field] if label_field else [])
        rows = (
            filterset.qs.order_by().exclude(**{f"{value_field}__isnull": True})
            .values(*fields).annotate(count=Count("pk", distinct=True)).values_list(*fields, "count")
        )
        return {str(row[0]): (row[1] if label_field else "", row[-1]) for row in rows}

    def facets(self) -> list[Facet]:
        query = self.request.GET
        facets = []
        for name, label, value_field, label_field in FACETS:
            counts = self.facet_counts(name, value_field, label_field)
            selected = (query.get(name) or "").strip()
            if name == "provider_state":
                selected = selected.upper()
                choices = [(state.code, state.name) for state in State.objects.order_by("name")]
            elif name == "topic":
                choices = list(Topic.objects.order_by("name").values_list("code", "name"))
            elif name == "lifecycle":
                choices = [(value, str(text)) for value, text in Lifecycle.choices]
            else:  # life situations: the ones with online services here, and the one chosen
                choices = sorted(((value, text) for value, (text, _count) in counts.items()), key=lambda c: c[1])
                if selected and selected not in counts:
                    choices.insert(0, (selected, LifeSituation.objects.filter(code=selected).values_list(
                        "name", flat=True).first() or selected))
            options = [
                FacetOption(value, text, counts.get(value, ("", 0))[1], value == selected) for value, text in choices
            ]
            facets.append(Facet(name, label, options, selected))
        return facets

    def active_filters(self, facets: list[Facet]) -> list[ActiveFilter]:
        query = self.request.GET
        labels = {facet.name: {option.value: option.label for option in facet.options} for facet in facets}
        leika_key = (query.get("leika_key") or "").strip()
        if leika_key:
            name = LeikaService.objects.filter(leika_key=leika_key).values_list("name", flat=True).first()
            labels["leika_key"] = {leika_key: f"{leika_key} ({name})" if name else leika_key}
        labels["maturity_level"] = {str(value): str(text) for value, text in MaturityLevel.choices}
        active = []
        for name in self.filterset.form.fields:
            value = (query.get(name) or "").strip()
            if not value:
                continue
            shown = labels.get(name, {}).get(value.upper() if name == "provider_state" else value, value)
            active.append(ActiveFilter(name, str(FILTER_LABELS.get(name, name)), shown, _without(query, name)))
        return active

    def get_context_data(self, **kwargs):
        facets = self.facets()
        return super().get_context_data(
            facets={facet.name: facet for facet in facets},
            active_filters=self.active_filters(facets),
            leika_key=(self.request.GET.get("leika_key") or "").strip(),
            **kwargs,
        )


# --- the online service page ---------------------------------------------------------------------

class OnlineServiceDetailView(DetailView):
    """One online service: provider, lifecycle and maturity, the EfA criteria, interfaces, basis
    components, repository and releases, its catalogue context, and the sections other apps add
    (store.extensions.online_service_page: licensing's reuse panel)."""

    template_name = "store/onlineservice_detail.html"
    context_object_name = "online_service"

    def get_queryset(self):
        return extensions.reuse().annotate_connected_states(
            OnlineService.objects.select_related("provider_state", "topic", "repository")
        ).prefetch_related(
            "life_situations", "basis_components", "criterion_assessments",
            Prefetch("services", queryset=LeikaService.objects.order_by("ref")),
            Prefetch("interfaces", queryset=OnlineServiceInterface.objects.select_related("standard")),
        )

    def get_context_data(self, **kwargs):
        online_service = self.object
        criteria = efa_criteria(online_service)
        releases = online_service.releases.all()  # newest version first (Release.Meta.ordering)
        page = Paginator(releases, RELEASES_PAGE_SIZE).get_page(self.request.GET.get("releases"))
        latest = repositories.latest_release(page.object_list) if page.number == 1 else None
        try:
            repository = online_service.repository
        except Repository.DoesNotExist:
            repository = None
        return super().get_context_data(
            life_situations=with_url_slugs(online_service.life_situations.all()),
            criteria=criteria,
            criteria_met=sum(1 for criterion in criteria if criterion.met),
            efa_conformant=all(criterion.met for criterion in criteria),
            readiness=[
                (OnlineService._meta.get_field(field).verbose_name, getattr(online_service, field))
                for field in ("political_support", "expert_resources", "it_provider_capacity")
            ],
            repository=repository,
            releases_page=page,
            latest_release=latest,
            can_maintain=access.can_maintain(self.request.user, online_service),
            can_publish=access.can_publish(self.request.user, online_service),
            sections=extensions.online_service_page.sections(self.request, online_service),
            **kwargs,
        )


# --- user journeys: topics and life situations ---------------------------------------------------

@require_safe
def home(request):
    """The search box and the user journeys ("Nutzerreisen"): topics with their life situations.

    Life situations without OZG services or online services are left out (the catalogue has a
    few empty test rows). The data does not say which situations concern citizens and which
    businesses, so they are grouped by their topic."""
    topics = list(Topic.objects.annotate(
        online_service_count=Count("online_services", distinct=True),
        ozg_service_count=Count("ozg_services", distinct=True),
    ).order_by("name"))
    situations = with_url_slugs(LifeSituation.objects.annotate(
        online_service_count=Count("online_services", distinct=True),
        ozg_service_count=Count("ozg_services", distinct=True),
    ).filter(Q(online_service_count__gt=0) | Q(ozg_service_count__gt=0)).order_by("name"))
    by_topic = {}
    for situation in situations:
        by_topic.setdefault(situation.topic_id, []).append(situation)
    for topic in topics:
        topic.situations = by_topic.get(topic.pk, [])
    return render(
        request,
        "home.html",
        {
            "topics": topics,
            "states": State.objects.order_by("name"),
            "online_service_count": OnlineService.objects.count(),
        },
    )


def _journey_context(request, filter_data: dict, ozg_services):
    """Online services (through the catalogue's FilterSet) and a page of OZG services with the
    online services that implement them."""
    online_services = OnlineServiceFilterSet(
        filter_data, queryset=OnlineService.objects.select_related("provider_state", "topic").order_by("name", "pk")
    ).qs
    online_service_count = online_services.count()
    page = Paginator(ozg_services.select_related("life_situation"), OZG_PAGE_SIZE).get_page(request.GET.get("page"))
    implemented = {}
    links = (
        OnlineService.services.through.objects
        .filter(leikaservice__ozg_service__in=[service.pk for service in page.object_list])
        .values_list("leikaservice__ozg_service_id", "onlineservice__slug", "onlineservice__name")
        .distinct().order_by("onlineservice__name")
    )
    for ozg_pk, slug, name in links:
        implemented.setdefault(ozg_pk, []).append({"slug": slug, "name": name})
    for service in page.object_list:
        service.online_services = implemented.get(service.pk, [])
        service.life_situation.url_slug = life_situation_slug(service.life_situation)
    return {
        "online_services": list(online_services[:JOURNEY_ONLINE_SERVICES]) if online_service_count else [],
        "online_service_count": online_service_count,
        "ozg_page": page,
        "ozg_count": page.paginator.count,
    }


def topic_detail(request, code):
    """A topic (Themenfeld): its life situations, its online services and its OZG services."""
    topic = get_object_or_404(Topic, code=code)
    life_situations = with_url_slugs(
        topic.life_situations.annotate(
            online_service_count=Count("online_services", distinct=True),
            ozg_service_count=Count("ozg_services", distinct=True),
        ).filter(Q(online_service_count__gt=0) | Q(ozg_service_count__gt=0)).order_by("name")
    )
    context = _journey_context(request, {"topic": topic.code}, OzgService.objects.filter(topic=topic).order_by(
        "life_situation__name", "name", "pk"))
    return render(request, "store/topic_detail.html", {
        "topic": topic, "life_situations": life_situations, "catalogue_query": f"topic={topic.code}", **context,
    })


def life_situation_detail(request, slug):
    """A life situation (Lebenslage): its online services and its OZG services."""
    code = slug.split("-", 1)[0]
    life_situation = LifeSituation.objects.select_related("topic").filter(code=code).first()
    if life_situation is None:
        raise Http404(_("There is no such life situation."))
    canonical = life_situation_slug(life_situation)
    if slug != canonical:
        return redirect("store:life_situation_detail", slug=canonical, permanent=True)
    context = _journey_context(
        request, {"life_situation": life_situation.code},
        OzgService.objects.filter(life_situation=life_situation).order_by("name", "pk"),
    )
    return render(request, "store/lifesituation_detail.html", {
        "life_situation": life_situation, "catalogue_query": f"life_situation={life_situation.code}", **context,
    })


# --- the maintainer's release page ---------------------------------------------------------------

class ReleasePublishView(LoginRequiredMixin, View):
    """Publish a release by choosing among the repository's semver tags: choose, confirm, publish.

    The mirror is fetched when the page is shown (so that a tag pushed a minute ago is offered);
    the confirmation reads the mirror as fetched, and `publish_release` fetches it again.
    Maintainers of the online service and operators only (store.access).
    """

    choose_template = "store/release_publish.html"
    confirm_template = "store/release_confirm.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.online_service = None

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.online_service = access.online_service_for_publisher(
                request.user, kwargs["slug"], OnlineService.objects.select_related("provider_state", "repository"))
        return super().dispatch(request, *args, **kwargs)

    def repository(self):
        try:
            return self.online_service.repository
        except Repository.DoesNotExist:
            return None

    def mirror(self, *, refresh: bool):
        """The mirror (fetched now when `refresh` or when there is none yet) and a fetch error."""
        url = self.repository().url
        if not refresh:
            try:
                path = repositories.mirror_path(repositories.check_repository_url(url, resolve=False).url)
            except ValidationError as error:
                return None, error
            if path.exists():
                try:
                    return pygit2.Repository(str(path)), None
                except pygit2.GitError:
                    pass
        try:
            return repositories.fetch_mirror(url), None
        except ValidationError as error:
            return None, error

    def tags(self, mirror):
        if mirror is None:
            return []
        published = Release.objects.filter(online_service=self.online_service).values_list("tag", flat=True)
        return repositories.semver_tags(mirror, published)

    def render_choice(self, request, form, tags, fetch_error=None, status=200):
        tag_errors = list(form.errors.get("tag", [])) if form.is_bound else []
        if fetch_error is not None:
            tag_errors += [message for messages_ in _messages_by_field(fetch_error).values() for message in messages_]
        return render(request, self.choose_template, {
            "online_service": self.online_service, "repository": self.repository(), "form": form, "tags": tags,
            "offered": [tag for tag in tags if not tag.published], "tag_errors": tag_errors,
            "non_field_errors": form.non_field_errors() if form.is_bound else [],
        }, status=status)

    def get(self, request, slug):
        if self.repository() is None:
            return self.render_choice(request, PublishReleaseForm(online_service=self.online_service, tags=[]), [])
        mirror, error = self.mirror(refresh=True)
        tags = self.tags(mirror)
        return self.render_choice(request, PublishReleaseForm(online_service=self.online_service, tags=tags), tags,
                                  fetch_error=error)

    def post(self, request, slug):
        if self.repository() is None:
            return self.get(request, slug)
        mirror, error = self.mirror(refresh=False)
        tags = self.tags(mirror)
        form = PublishReleaseForm(request.POST, online_service=self.online_service, tags=tags)
        if error is not None or not form.is_valid():
            return self.render_choice(request, form, tags, fetch_error=error, status=400)
        if not form.cleaned_data["confirmed"]:
            return self.render_confirmation(request, form, mirror, tags)
        release = form.save(actor=request.user)
        if release is None and "changelog" in form.errors:
            return self.render_confirmation(request, form, mirror, tags, status=400)
        if release is None:
            return self.render_choice(request, form, self.tags(mirror), status=400)
        url = reverse("store:online_service_detail", args=[self.online_service.slug]) + f"#release-{release.pk}"
        messages.success(request, format_html(
            _('Release {version} of {name} is published. <a href="{url}">See the release and its changelog</a>.'),
            version=release.version, name=self.online_service.name, url=url,
        ))
        return redirect(url)

    def render_confirmation(self, request, form, mirror, tags, status=200):
        """The preview: what publishing the chosen tag would record, the validator's verdict on
        its publiccode.yml (an invalid file is refused: no button then) and the changelog to edit."""
        chosen = next(tag for tag in tags if tag.name == form.cleaned_data["tag"])
        try:
            draft = services.draft_release(self.online_service, mirror, chosen.name)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.render_choice(request, form, tags, status=400)
        refusal = services.invalid_publiccode_error(draft.publiccode_errors) if draft.publiccode_errors else None
        return render(request, self.confirm_template, {
            "online_service": self.online_service, "repository": self.repository(), "form": form, "tag": chosen,
            "draft": draft, "publiccode_messages": refusal.messages if refusal else [],
            "changelog": form.data["changelog"] if "changelog" in form.data else draft.changelog,
        }, status=status)


class MaintainerFormView(LoginRequiredMixin, View):
    """A form page of an online service's maintainers (and operators): the online service is
    theirs, or the page answers the refusal (store.access)."""

    template_name = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.online_service = access.online_service_for_maintainer(request.user, kwargs["slug"])
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, request, form, status=200):
        return render(request, self.template_name, {"online_service": self.online_service, "form": form},
                      status=status)


class CriterionAssessView(MaintainerFormView):
    """Record the evidence for one of the EfA criteria C1–C5 and C7 (maintainers, operators)."""

    template_name = "store/criterion_assess.html"

    def get(self, request, slug):
        initial = {"criterion": request.GET.get("criterion", "")}
        current = CriterionAssessment.objects.filter(
            online_service=self.online_service, criterion=initial["criterion"]).first()
        if current is not None:
            initial.update(met="yes" if current.met else "no", evidence=current.evidence)
        return self.render_form(request, AssessCriterionForm(initial=initial, online_service=self.online_service))

    def post(self, request, slug):
        form = AssessCriterionForm(request.POST, online_service=self.online_service)
        if not form.is_valid() or form.save(actor=request.user) is None:
            return self.render_form(request, form, status=400)
        messages.success(request, _("The assessment of %(criterion)s is recorded.") % {
            "criterion": form.cleaned_data["criterion"]})
        return redirect(reverse("store:online_service_detail", args=[self.online_service.slug]) + "#criteria-heading")


class OnlineServiceEditView(MaintainerFormView):
    """Edit the basic data of an online service (maintainers, operators); the page also holds
    the repository's form (RepositorySetView)."""

    template_name = "store/onlineservice_edit.html"

    def render_form(self, request, form, status=200, repository_form=None):
        return render(request, self.template_name, {
            "online_service": self.online_service, "form": form,
            "repository_form": repository_form or RepositoryForm(online_service=self.online_service),
        }, status=status)

    def get(self, request, slug):
        return self.render_form(request, OnlineServiceForm(online_service=self.online_service))

    def post(self, request, slug):
        form = OnlineServiceForm(request.POST, online_service=self.online_service)
        changed = form.save(actor=request.user) if form.is_valid() else None
        if changed is None:
            return self.render_form(request, form, status=400)
        if changed:
            messages.success(request, _("The online service is updated."))
        else:
            messages.info(request, _("Nothing was changed."))
        return redirect("store:online_service_detail", slug=self.online_service.slug)


class RepositorySetView(OnlineServiceEditView):
    """Register or change the repository of an online service (maintainers, operators): the
    edit page's second form. Refused input is shown on that page, on the field it concerns."""

    def get(self, request, slug):
        return redirect(reverse("store:online_service_edit", args=[slug]) + "#repository-heading")

    def post(self, request, slug):
        form = RepositoryForm(request.POST, online_service=self.online_service)
        repository = form.save(actor=request.user) if form.is_valid() else None
        if repository is None:
            return self.render_form(request, OnlineServiceForm(online_service=self.online_service), status=400,
                                    repository_form=form)
        if access.can_publish(request.user, self.online_service):
            messages.success(request, format_html(
                _('The repository is registered. <a href="{url}">Publish a release from one of its tags</a>.'),
                url=reverse("store:release_publish", args=[self.online_service.slug])))
        else:
            messages.success(request, _("The repository is registered. Its maintainers publish releases from its tags."))
        return redirect(reverse("store:online_service_detail", args=[self.online_service.slug]) + "#releases-heading")


def _messages_by_field(error: ValidationError) -> dict[str, list[str]]:
    if hasattr(error, "error_dict"):
        return {field: [message for item in items for message in item.messages] for field, items in error.error_dict.items()}
    return {"__all__": error.messages}
