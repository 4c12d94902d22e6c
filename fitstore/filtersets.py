"""The base of every FilterSet (NetBox's pattern: one FilterSet per model, used by the web UI,
the API and the tests).

`q` is the free-text filter over `search_fields` (a lookup may be given, e.g. "ars__exact";
the default is icontains). `unfiltered` names the model fields that deliberately have no
filter, each with the reason; a test fails when a field has neither a filter nor a reason.
"""
import copy
from functools import reduce
from operator import or_

import django_filters
from django.db.models import Q


class FilterSet(django_filters.FilterSet):
    search_fields: tuple[str, ...] = ()
    unfiltered: dict[str, str] = {}

    q = django_filters.CharFilter(method="filter_q", label="Free text")

    @classmethod
    def get_filters(cls):
        """The class's filters, its own copies. A filter caches its form field, label included, the
        first time it is asked for it; a subclass (graphene-django's, made when the API schema is
        built) shares the declared filters with its parent and would fill that cache without a
        label, so that the web UI showed English field names in every process that had built the
        schema, and German ones in the others."""
        return {name: copy.deepcopy(filter_) for name, filter_ in super().get_filters().items()}

    def filter_q(self, queryset, name, value):
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        lookups = [field if "__" in field else f"{field}__icontains" for field in self.search_fields]
        return queryset.filter(reduce(or_, (Q(**{lookup: value}) for lookup in lookups)))
