"""Panels that licensing adds to other apps' pages (through their extension points; registered
in LicensingConfig.ready()).

`reuse_panel(request, online_service)` is the reuse section of an online service page
(`store.extensions.online_service_page`): the reuse terms, the cost shares (by the agreed
allocation key, and compared across all keys), the states that reuse the service on a map of
Germany with a table beside it, and "Nachnutzung beantragen" for a coordinator of another state.
The page's view calls it; the template only renders what it returns.
"""
import copy

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from directory.models import State
from fitstore.access import has_role, states_with_role
from fitstore.choices import Role
from fitstore.sections import Section

from . import costs
from .access import restrict_subscriptions
from .choices import AllocationKey, SubscriptionStatus
from .germany_map import map_states
from .models import ReuseTerms, Subscription
from .words import LEGAL_BASIS_WORDS, MAP_STATUSES

# A subscription's status as the map shows it (open subscriptions only).
MAP_STATUS_OF = {
    SubscriptionStatus.CONNECTED: "connected",
    SubscriptionStatus.ACTIVE: "active",
    SubscriptionStatus.REQUESTED: "requested",
}


def shares_by_key(terms, provider, reusing, states, year) -> tuple[list[str], list[dict]]:
    """The annual amount of every party under each allocation key, for the comparison table:
    the keys' labels and one row per party that pays under any key."""
    columns = []
    for key, label in AllocationKey.choices:
        variant = copy.copy(terms)
        variant.allocation_key = key
        rows = costs.split(terms.annual_cost, costs.exact_shares(variant, provider, reusing, states, year))
        columns.append((key, label, {row.party: row for row in rows}))
    parties = [(costs.FEDERATION, _("Federation"))] + [(state.code, state.name) for state in states]
    table = []
    for code, name in parties:
        cells = [column[code].annual_amount if code in column else None for _key, _label, column in columns]
        if any(cells):
            table.append({"code": code, "name": name, "cells": cells})
    return [label for _key, label, _column in columns], table


def reuse_panel_context(online_service, user) -> dict:
    """What the reuse panel shows, in a fixed number of queries whatever the number of states."""
    terms = ReuseTerms.objects.filter(online_service=online_service).first()
    states = list(State.objects.prefetch_related("koenigstein_shares").order_by("ars"))
    by_pk = {state.pk: state for state in states}
    provider = by_pk[online_service.provider_state_id]
    open_subscriptions = list(
        restrict_subscriptions(Subscription.objects.open().filter(online_service=online_service), user)
        .only("id", "state_id", "status")
    )
    statuses = {provider.code: "provider"}
    for subscription in open_subscriptions:
        code = by_pk[subscription.state_id].code
        if code != provider.code:
            statuses[code] = MAP_STATUS_OF[subscription.status]
    reusing = sorted(
        (by_pk[s.state_id] for s in open_subscriptions if s.is_paying and s.state_id != provider.pk),
        key=lambda s: s.ars,
    )
    on_map = map_states(states, statuses)
    context = {
        "online_service": online_service,
        "terms": terms,
        "provider": provider,
        "map_states": on_map,
        "map_legend": list(MAP_STATUSES.items()),
        "listed_states": sorted(
            (s for s in on_map if s.status != "none"),
            key=lambda s: (list(MAP_STATUSES).index(s.status), s.name),
        ),
        "year": None,
        "shares": [],
        "comparison_headers": [],
        "comparison_rows": [],
        "legal_bases": [],
        "requests": [],
        "is_maintainer": has_role(user, Role.MAINTAINER, online_service=online_service.slug),
        "signed_in": bool(getattr(user, "is_authenticated", False)),
    }
    if terms is not None:
        year = costs.koenigstein_year()
        context["year"] = year
        try:
            context["shares"] = costs.split(terms.annual_cost, costs.exact_shares(terms, provider, reusing, states, year))
            context["comparison_headers"], context["comparison_rows"] = shares_by_key(
                terms, provider, reusing, states, year)
        except costs.MissingKoenigsteinShare:
            context["shares_missing"] = True
        context["legal_bases"] = [LEGAL_BASIS_WORDS.get(basis, basis) for basis in terms.legal_bases]
    for code in sorted(states_with_role(user, Role.COORDINATOR)):
        state = next((s for s in states if s.code == code), None)
        if state is None or state.pk == provider.pk:
            continue
        context["requests"].append({"state": state, "status": statuses.get(code), "word": MAP_STATUSES.get(statuses.get(code, ""))})
    return context


def reuse_panel(request, online_service) -> Section:
    """The reuse section of an online service page: terms, reusing states, cost shares, request."""
    return Section(
        "licensing/_reuse_panel.html", reuse_panel_context(online_service, request.user),
        anchor="reuse", title=gettext("Reuse"),
    )
