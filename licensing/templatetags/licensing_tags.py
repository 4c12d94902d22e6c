"""Template tags through which other apps' pages show licensing information, and the words and
formats the licensing pages share.

`{% reuse_panel online_service %}` is the reuse section of an online service page: the reuse
terms, the cost shares (by the agreed allocation key, and compared across all keys), the states
that reuse the service on a map of Germany with a table beside it, and "Nachnutzung beantragen"
for a coordinator of another state.
"""
import copy
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from django import template
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from directory.models import State
from fitstore.access import has_role, states_with_role
from fitstore.choices import Role

from .. import costs
from ..access import restrict_subscriptions
from ..agreement import euros, percent
from ..choices import AllocationKey, LegalBasis, SubscriptionStatus
from ..models import ReuseTerms, Subscription

register = template.Library()

# The procedure's statuses as the states' staff say them (status badges in words).
STATUS_WORDS = {
    SubscriptionStatus.REQUESTED: pgettext_lazy("subscription status", "requested"),
    SubscriptionStatus.ACTIVE: pgettext_lazy("subscription status", "active"),
    SubscriptionStatus.DECLINED: pgettext_lazy("subscription status", "declined"),
    SubscriptionStatus.CONNECTED: pgettext_lazy("subscription status", "connected"),
    SubscriptionStatus.TERMINATED: pgettext_lazy("subscription status", "terminated"),
}
LEGAL_BASIS_WORDS = {
    LegalBasis.FIT_STORE: pgettext_lazy("legal basis", "FIT-Store framework agreement"),
    LegalBasis.ADMINISTRATIVE_AGREEMENT: pgettext_lazy("legal basis", "Administrative agreement"),
}
# What the map says about a state, strongest first.
MAP_STATUSES = {
    "provider": _("provides the service"),
    "connected": pgettext_lazy("subscription status", "connected"),
    "active": pgettext_lazy("subscription status", "active"),
    "requested": pgettext_lazy("subscription status", "requested"),
    "none": _("no reuse"),
}
_MAP_STATUS_OF = {
    SubscriptionStatus.CONNECTED: "connected",
    SubscriptionStatus.ACTIVE: "active",
    SubscriptionStatus.REQUESTED: "requested",
}

GERMANY_SVG = Path(__file__).resolve().parent.parent / "static" / "licensing" / "germany.svg"
# Where a label would sit on a neighbour or outside a small state, it is placed by hand.
LABEL_AT = {"BB": (520, 330), "BE": (481, 275), "NI": (228, 275)}


@dataclass(frozen=True)
class MapState:
    code: str
    name: str
    path: str
    label_x: float
    label_y: float
    status: str
    status_word: str


@register.filter
def subscription_status(value) -> str:
    """A SubscriptionStatus value in words: "beantragt", "aktiv", "abgelehnt", …"""
    return STATUS_WORDS.get(value, value)


@register.filter
def legal_basis(value) -> str:
    return LEGAL_BASIS_WORDS.get(value, value)


@register.filter(name="euros")
def euros_filter(value) -> str:
    return euros(value) if value is not None else "–"


@register.filter(name="percent")
def percent_filter(value) -> str:
    return percent(value) if value is not None else "–"


def _rings(d: str) -> list[list[tuple[float, float]]]:
    """The outlines of a path written as `M x,y l dx,dy … z` (as germany.svg is)."""
    rings = []
    for part in re.findall(r"M[^M]*", d):
        numbers = [float(n) for n in re.findall(r"-?\d*\.?\d+", part)]
        x, y = numbers[0], numbers[1]
        ring = [(x, y)]
        for dx, dy in zip(numbers[2::2], numbers[3::2]):
            x, y = x + dx, y + dy
            ring.append((x, y))
        rings.append(ring)
    return rings


def _centroid(ring) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1]):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    area /= 2
    if not area:
        return ring[0][0], ring[0][1], 0.0
    return cx / (6 * area), cy / (6 * area), abs(area)


@lru_cache(maxsize=1)
def germany_outlines() -> MappingProxyType:
    """State code → (SVG path, label x, label y), read once per process from the file shipped in
    licensing/static/licensing/germany.svg; read-only, as every thread shares it."""
    outlines = {}
    for element in ET.parse(GERMANY_SVG).getroot():
        if not element.tag.endswith("path"):
            continue
        code = element.get("id").upper()
        d = element.get("d")
        x, y, _area = max((_centroid(ring) for ring in _rings(d)), key=lambda c: c[2])
        x, y = LABEL_AT.get(code, (x, y))
        outlines[code] = (d, round(x, 1), round(y, 1))
    return MappingProxyType(outlines)


def map_states(states, statuses: dict[str, str]) -> list[MapState]:
    outlines = germany_outlines()
    result = []
    for state in states:
        d, x, y = outlines[state.code]
        status = statuses.get(state.code, "none")
        result.append(MapState(state.code, state.name, d, x, y, status, MAP_STATUSES[status]))
    return result


def _shares_by_key(terms, provider, reusing, states, year):
    """The shares of every party under each allocation key, for the comparison table."""
    columns = []
    for key, label in AllocationKey.choices:
        variant = copy.copy(terms)
        variant.allocation_key = key
        rows = costs.split(terms.annual_cost, costs.exact_shares(variant, provider, reusing, states, year))
        columns.append((key, label, {row.party: row for row in rows}))
    parties = [("BUND", _("Federation"))] + [(state.code, state.name) for state in states]
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
            statuses[code] = _MAP_STATUS_OF[subscription.status]
    reusing = sorted(
        (by_pk[s.state_id] for s in open_subscriptions
         if s.status in (SubscriptionStatus.ACTIVE, SubscriptionStatus.CONNECTED) and s.state_id != provider.pk),
        key=lambda s: s.ars,
    )
    on_map = map_states(states, statuses)
    context = {
        "online_service": online_service,
        "terms": terms,
        "provider": provider,
        "map_states": on_map,
        "map_legend": [(status, word) for status, word in MAP_STATUSES.items()],
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
            context["comparison_headers"], context["comparison_rows"] = _shares_by_key(
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


@register.inclusion_tag("licensing/_reuse_panel.html", takes_context=True)
def reuse_panel(context, online_service):
    """The reuse section of an online service page: terms, reusing states, cost shares, request."""
    user = context.get("user")
    return {
        **reuse_panel_context(online_service, user),
        "request": context.get("request"),
        "user": user,
    }


@register.inclusion_tag("licensing/_nav.html", takes_context=True)
def licensing_nav(context):
    """Navigation entries for signed-in users with a licensing role: the workspace of each state
    they coordinate and the inbox of the online services they maintain."""
    user = context.get("user")
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = (match.view_name, match.kwargs.get("code", "").upper()) if match else ("", "")
    codes = sorted(states_with_role(user, Role.COORDINATOR))
    names = dict(State.objects.filter(code__in=codes).values_list("code", "name")) if len(codes) > 1 else {}
    return {
        "workspaces": [
            {"code": code, "name": names.get(code), "current": current == ("licensing:state_workspace", code)}
            for code in codes
        ],
        "inbox": has_role(user, Role.MAINTAINER),
        "inbox_current": current[0] == "licensing:inbox",
    }
