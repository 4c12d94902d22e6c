"""FilterSets of the store, shared by the web UI, the API and the tests (NetBox's pattern).

Vocabulary: `q` for free text; related objects by the key users know (state code, topic code,
LeiKa key).
"""
import django_filters

from directory.filtersets import validate_state_code
from fitstore import search as fitstore_search
from fitstore.filtersets import FilterSet

from . import extensions
from .choices import Lifecycle, MaturityLevel
from .models import OnlineService
from .validators import validate_leika_key


class OnlineServiceFilterSet(FilterSet):
    search_fields = ("name", "summary", "description")
    unfiltered = {
        "created_at": "bookkeeping, not a criterion",
        "updated_at": "bookkeeping, not a criterion",
        "political_support": "readiness is shown with the criteria, not searched",
        "expert_resources": "readiness is shown with the criteria, not searched",
        "it_provider_capacity": "readiness is shown with the criteria, not searched",
    }

    q = django_filters.CharFilter(
        method="filter_q",
        label="Free text, searched in German (stems, typos, synonyms, compounds); best hits first",
    )
    search = django_filters.CharFilter(method="filter_q", label="Free text (the contract's name for q)")
    provider_state = django_filters.CharFilter(
        method="filter_provider_state", validators=[validate_state_code], label="Code of the provider state, e.g. ST"
    )
    subscribed_by = django_filters.CharFilter(
        method="filter_subscribed_by", validators=[validate_state_code],
        label="Code of a state that reuses the service (ACTIVE or CONNECTED subscription)",
    )
    lifecycle = django_filters.ChoiceFilter(choices=Lifecycle.choices)
    maturity_level = django_filters.ChoiceFilter(choices=MaturityLevel.choices)
    topic = django_filters.CharFilter(field_name="topic__code", label="Topic code")
    life_situation = django_filters.CharFilter(field_name="life_situations__code", distinct=True, label="Life situation code")
    leika_key = django_filters.CharFilter(
        field_name="services__leika_key", distinct=True, validators=[validate_leika_key],
        label="LeiKa key of a service it covers",
    )
    slug = django_filters.CharFilter()
    responsible_ministry = django_filters.CharFilter(lookup_expr="iexact", label="Responsible federal ministry, e.g. BMI")
    it_provider = django_filters.CharFilter(lookup_expr="icontains", label="IT provider")
    is_demo = django_filters.BooleanFilter(label="Demo entry")
    basis_component = django_filters.CharFilter(field_name="basis_components__code", distinct=True,
                                                label="Code of a basis component it uses, e.g. fit-connect")

    class Meta:
        model = OnlineService
        fields = [
            "q", "search", "provider_state", "subscribed_by", "lifecycle", "maturity_level", "topic", "life_situation", "leika_key", "slug",
            "responsible_ministry", "it_provider", "is_demo", "basis_component",
        ]

    def filter_q(self, queryset, name, value):
        """The search (fitstore.search, index "online_services") as the free-text filter: its
        hits ordered by score, then rows containing the text as typed in a search field."""
        return fitstore_search.filter_queryset(queryset, "online_services", value, literal_fields=self.search_fields)

    def filter_provider_state(self, queryset, name, value):
        return queryset.filter(provider_state__code=value.strip().upper())

    def filter_subscribed_by(self, queryset, name, value):
        return extensions.reuse().subscribed_by(queryset, value.strip().upper())
