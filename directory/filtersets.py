"""FilterSets of the directory, shared by the web UI, the API and the tests (NetBox's pattern).

Vocabulary: `q` for free text; related objects by the key users know (state code, ARS).
"""
import django_filters
from django.db.models import Q

from .choices import RegionLevel
from .models import Region


class RegionFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Free text: name, ARS or postcode")
    state = django_filters.CharFilter(method="filter_state", label="State code, e.g. BY")
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices)
    parent = django_filters.CharFilter(field_name="parent_id", label="ARS of the parent region")
    ars = django_filters.CharFilter(field_name="ars", lookup_expr="startswith", label="ARS prefix")
    postcode = django_filters.CharFilter()

    class Meta:
        model = Region
        fields = ["q", "state", "level", "parent", "ars", "postcode"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(state__code=value.strip().upper())

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(name__icontains=value) | Q(ars=value) | Q(postcode=value))
