"""FilterSets of the store, shared by the web UI, the API and the tests (NetBox's pattern).

Vocabulary: `q` for free text; related objects by the key users know (state code, topic code,
LeiKa key).
"""
import django_filters
from django.db.models import Q

from .choices import Lifecycle, MaturityLevel
from .models import OnlineService


class OnlineServiceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Free text: name or summary")
    provider_state = django_filters.CharFilter(method="filter_provider_state", label="Code of the provider state, e.g. ST")
    lifecycle = django_filters.ChoiceFilter(choices=Lifecycle.choices)
    maturity_level = django_filters.ChoiceFilter(choices=MaturityLevel.choices)
    topic = django_filters.CharFilter(field_name="topic__code", label="Topic code")
    life_situation = django_filters.CharFilter(field_name="life_situations__code", distinct=True, label="Life situation code")
    leika_key = django_filters.CharFilter(field_name="services__leika_key", distinct=True, label="LeiKa key of a service it covers")
    slug = django_filters.CharFilter()

    class Meta:
        model = OnlineService
        fields = ["q", "provider_state", "lifecycle", "maturity_level", "topic", "life_situation", "leika_key", "slug"]

    def filter_provider_state(self, queryset, name, value):
        return queryset.filter(provider_state__code=value.strip().upper())

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(summary__icontains=value))
