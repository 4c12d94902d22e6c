"""FilterSets of the store, shared by the web UI, the API and the tests (NetBox's pattern).

Vocabulary: `q` for free text; related objects by the key users know (state code, topic code,
LeiKa key).
"""
import django_filters

from fitstore.filtersets import FilterSet

from .choices import Lifecycle, MaturityLevel
from .models import OnlineService


class OnlineServiceFilterSet(FilterSet):
    search_fields = ("name", "summary", "description")
    unfiltered = {
        "created_at": "bookkeeping, not a criterion",
        "updated_at": "bookkeeping, not a criterion",
    }

    q = django_filters.CharFilter(method="filter_q", label="Free text: name, summary or description")
    provider_state = django_filters.CharFilter(method="filter_provider_state", label="Code of the provider state, e.g. ST")
    lifecycle = django_filters.ChoiceFilter(choices=Lifecycle.choices)
    maturity_level = django_filters.ChoiceFilter(choices=MaturityLevel.choices)
    topic = django_filters.CharFilter(field_name="topic__code", label="Topic code")
    life_situation = django_filters.CharFilter(field_name="life_situations__code", distinct=True, label="Life situation code")
    leika_key = django_filters.CharFilter(field_name="services__leika_key", distinct=True, label="LeiKa key of a service it covers")
    slug = django_filters.CharFilter()
    responsible_ministry = django_filters.CharFilter(lookup_expr="iexact", label="Responsible federal ministry, e.g. BMI")
    it_provider = django_filters.CharFilter(lookup_expr="icontains", label="IT provider")
    is_demo = django_filters.BooleanFilter(label="Demo entry")

    class Meta:
        model = OnlineService
        fields = [
            "q", "provider_state", "lifecycle", "maturity_level", "topic", "life_situation", "leika_key", "slug",
            "responsible_ministry", "it_provider", "is_demo",
        ]

    def filter_provider_state(self, queryset, name, value):
        return queryset.filter(provider_state__code=value.strip().upper())
