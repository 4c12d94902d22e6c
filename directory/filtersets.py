"""FilterSets of the directory, shared by the web UI, the API and the tests (NetBox's pattern).

Vocabulary: `q` for free text; related objects by the key users know (state code, ARS).
"""
import re

import django_filters
from django.core.exceptions import ValidationError
from django.db.models import Q

from fitstore import search as fitstore_search
from fitstore.filtersets import FilterSet
from store.validators import validate_leika_key

from .choices import AuthorityKind, RegionLevel
from .models import Authority, Postcode, Region, State
from .validators import validate_ars


def validate_state_code(value: str) -> None:
    if State.objects.by_code(value) is None:
        raise ValidationError(
            "unknown state code %(value)r; use BW, BY, BE, BB, HB, HH, HE, MV, NI, NW, RP, SL, SN, ST, SH or TH.",
            code="invalid", params={"value": value},
        )


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
    postcode = django_filters.CharFilter(method="filter_postcode",
                                         label="Postcode: the municipalities it serves (and regions seated there)")
    kind = django_filters.CharFilter(lookup_expr="icontains", label="Kind, e.g. Samtgemeinde")
    ags = django_filters.CharFilter(label="Amtlicher Gemeindeschlüssel (8 digits)")

    class Meta:
        model = Region
        fields = ["q", "state", "level", "parent", "ars", "postcode", "kind", "ags"]

    def filter_state(self, queryset, name, value):
        return queryset.filter(state__code=value.strip().upper())

    def filter_postcode(self, queryset, name, value):
        value = value.strip()
        served = Postcode.regions.through.objects.filter(postcode__code=value).values("region_id")
        return queryset.filter(Q(postcode=value) | Q(pk__in=served))


IDENTIFIER_LIKE = re.compile(r"^[^\s:]+:\S*$")


class AuthorityFilterSet(FilterSet):
    search_fields = ("name", "identifier")
    unfiltered = {
        "created_at": "bookkeeping, not a criterion",
        "updated_at": "bookkeeping, not a criterion; the change feed serves mirrors",
    }

    q = django_filters.CharFilter(
        method="filter_q",
        label="Free text: name, identifier, seat, kind, state or the services it is responsible for; best hits first",
    )
    search = django_filters.CharFilter(method="filter_q", label="Free text (the contract's name for q)")
    identifier = django_filters.CharFilter(label="Identifier, prefix:key")
    state = django_filters.CharFilter(method="filter_state", validators=[validate_state_code], label="State code, e.g. BY")
    region = django_filters.CharFilter(
        method="filter_region", validators=[validate_ars],
        label="ARS (prefix) of the seat region, e.g. 09188",
    )
    kind = django_filters.ChoiceFilter(choices=AuthorityKind.choices)
    leika_key = django_filters.CharFilter(
        field_name="responsibilities__service__leika_key", distinct=True, validators=[validate_leika_key],
        label="LeiKa key of a service it is responsible for",
    )
    active = django_filters.BooleanFilter(label="Active")
    origin = django_filters.CharFilter(label="Node it is mirrored from; empty for local entries")

    class Meta:
        model = Authority
        fields = ["q", "search", "identifier", "state", "region", "kind", "leika_key", "active", "origin"]

    def filter_q(self, queryset, name, value):
        """The search (fitstore.search, index "authorities") as the free-text filter: its hits
        ordered by score, then rows whose name or identifier contain the text as typed."""
        text = value.strip()
        if IDENTIFIER_LIKE.match(text):  # "by:lra": an identifier (prefix), no words to search
            return queryset.filter(identifier__icontains=text)
        return fitstore_search.filter_queryset(queryset, "authorities", text, literal_fields=self.search_fields)

    def filter_state(self, queryset, name, value):
        return queryset.filter(state__code=value.strip().upper())

    def filter_region(self, queryset, name, value):
        return queryset.filter(region__ars__startswith=value.strip())
