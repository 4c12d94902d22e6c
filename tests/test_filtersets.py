"""Every model field is filterable, searchable with `q`, or deliberately unfiltered with a reason.

NetBox's rule: a field added to a model without a filter fails here, so the UI, the API and the
tests keep one vocabulary.
"""
import importlib

import pytest
from django.apps import apps

from fitstore.filtersets import FilterSet


def filtersets():
    found = []
    for app in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{app.name}.filtersets")
        except ModuleNotFoundError:
            continue
        found += [obj for obj in vars(module).values()
                  if isinstance(obj, type) and issubclass(obj, FilterSet) and obj is not FilterSet
                  and obj.__module__ == module.__name__]
    return found


def root(path: str) -> str:
    name = path.split("__")[0]
    return name[:-3] if name.endswith("_id") else name


@pytest.mark.parametrize("filterset", filtersets(), ids=lambda f: f.__name__)
def test_every_model_field_has_a_filter_or_a_reason(filterset):
    model = filterset._meta.model
    covered = {root(f.field_name) for f in filterset.base_filters.values()}
    covered |= {root(field) for field in filterset.search_fields}
    covered |= set(filterset.unfiltered)
    fields = {f.name for f in model._meta.get_fields() if f.concrete and not f.primary_key}
    fields |= {f.name for f in model._meta.many_to_many}

    missing = sorted(fields - covered)

    assert not missing, f"{filterset.__name__}: no filter for {missing}; add one or a reason in `unfiltered`"


def test_filtersets_are_found():
    assert {"RegionFilterSet", "OnlineServiceFilterSet"} <= {f.__name__ for f in filtersets()}
