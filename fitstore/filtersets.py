"""The base of every FilterSet (NetBox's pattern: one FilterSet per model, used by the web UI,
the API and the tests).

`q` is the free-text filter over `search_fields` (a lookup may be given, e.g. "ars__exact";
the default is icontains). `unfiltered` names the model fields that deliberately have no
filter, each with the reason; a test fails when a field has neither a filter nor a reason.
"""
from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q


class FilterSet(django_filters.FilterSet):
    search_fields: tuple[str, ...] = ()
    unfiltered: dict[str, str] = {}

    q = django_filters.CharFilter(method="filter_q", label="Free text")

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        lookups = [field if "__" in field else f"{field}__icontains" for field in self.search_fields]
        return queryset.filter(reduce(or_, (Q(**{lookup: value}) for lookup in lookups)))
