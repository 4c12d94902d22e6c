"""FilterSets of the directory, shared by the web UI, the API and the tests (NetBox's pattern).

Vocabulary: `q` for free text; related objects by the key users know (state code, ARS).
"""
import django_filters

from fitstore.filtersets import FilterSet

from .choices import RegionLevel
from .models import Region


class RegionFilterSet(FilterSet):
    search_fields = ("name", "ars__exact", "postcode__exact", "ags__exact")
    unfiltered = {
        "seat": "free text of the Gemeindeverzeichnis, rarely given",
        "population": "a figure, not a criterion",
    }

    q = django_filters.CharFilter(method="filter_q", label="Free text: name, ARS, AGS or postcode")
    state = django_filters.CharFilter(method="filter_state", label="State code, e.g. BY")
    level = django_filters.ChoiceFilter(choices=RegionLevel.choices)
    parent = django_filters.CharFilter(field_name="parent_id", label="ARS of the parent region")
    ars = django_filters.CharFilter(field_name="ars", lookup_expr="startswith", label="ARS prefix")
    postcode = django_filters.CharFilter()
    kind = django_filters.CharFilter(lookup_expr="icontains", label="Kind, e.g. Samtgemeinde")
    ags = django_filters.CharFilter(label="Amtlicher Gemeindeschlüssel (8 digits)")

    class Meta:
        model = Region
        fields = ["q", "state", "level", "parent", "ars", "postcode", "kind", "ags"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(state__code=value.strip().upper())
