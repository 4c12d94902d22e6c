"""Cost sharing: who pays which part of an online service's annual cost (Kostenverteilung).

`cost_shares(online_service)` splits `terms.annual_cost` by the terms' allocation key:

- KOENIGSTEIN, PER_CAPITA, EQUAL: among the provider state and the states with an ACTIVE or
  CONNECTED subscription, weighted by the Königsteiner Schlüssel, by population, or equally;
- IT_PLR_2023_35 (IT-Planungsrat decision 2023/35, EfA reuse from 2024): 50 % among the reusing
  states (ACTIVE or CONNECTED, not the provider) by Königsteiner Schlüssel, 25 % the federation
  (party "BUND"), 25 % all 16 states by Königsteiner Schlüssel; one row per party, so a reusing
  state gets the sum of its two parts. While nobody reuses the service, the reusing half falls
  to the provider state, the only state using it.

The exact shares are fractions; they are rounded by the largest-remainder method twice: shares
to 6 decimal places summing exactly to 1, and amounts to the cent summing exactly to the bill
(each rounded from the exact share, not from the rounded one). Ties go to the party listed
first (BUND, then the states in the order of their ARS). The Königsteiner Schlüssel of `year`
is used, else of the setting `KOENIGSTEIN_YEAR`, else the latest year loaded.
"""
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.conf import settings
from django.db.models import Max, Prefetch

from directory.models import KoenigsteinShare, State

from .choices import AllocationKey
from .models import ReuseTerms, Subscription

FEDERATION = "BUND"
SHARE_PLACES = 6
CENT = Decimal("0.01")


@dataclass(frozen=True)
class CostShare:
    party: str  # a state code or "BUND"
    state: State | None
    share: Decimal  # of the whole, 6 decimal places
    annual_amount: Decimal  # euros, 2 decimal places


@dataclass(frozen=True)
class BillLine:
    online_service: object
    share: Decimal
    annual_amount: Decimal


@dataclass(frozen=True)
class StateBill:
    state: State
    year: int | None
    lines: list[BillLine]
    total: Decimal


class MissingKoenigsteinShare(ValueError):
    """The Königsteiner Schlüssel lacks a state or the year asked for."""


def koenigstein_year(year: int | None = None) -> int | None:
    """The year asked for, else the setting KOENIGSTEIN_YEAR, else the latest loaded."""
    if year is not None:
        return year
    configured = getattr(settings, "KOENIGSTEIN_YEAR", None)
    if configured:
        return int(configured)
    return KoenigsteinShare.objects.aggregate(latest=Max("year"))["latest"]


def largest_remainder(weights: list[Fraction], total_units: int) -> list[int]:
    """Integer units per weight (weights sum to 1) that sum exactly to `total_units`:
    everyone gets the floor, the units left go to the largest remainders (earlier first on ties)."""
    exact = [weight * total_units for weight in weights]
    units = [int(value.numerator // value.denominator) for value in exact]
    left = total_units - sum(units)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - units[i]), i))
    for i in order[:left]:
        units[i] += 1
    return units


def _koenigstein(states, year: int | None) -> dict[int, Fraction]:
    shares = {}
    for state in states:
        share = state.koenigstein_share(year)
        if share is None:
            raise MissingKoenigsteinShare(f"no Königsteiner Schlüssel {year} for {state.code}")
        shares[state.pk] = Fraction(share)
    return shares


def _normalised(weights: dict[int, Fraction], part: Fraction = Fraction(1)) -> dict[int, Fraction]:
    total = sum(weights.values())
    if total == 0:  # e.g. no population known: equal parts rather than a division by zero
        return {key: part / len(weights) for key in weights}
    return {key: part * weight / total for key, weight in weights.items()}


def _states_queryset():
    return State.objects.prefetch_related(Prefetch("koenigstein_shares", queryset=KoenigsteinShare.objects.order_by("year")))


def _paying_states(online_service) -> list[State]:
    ids = Subscription.objects.paying().filter(online_service=online_service).values_list("state_id", flat=True)
    return list(_states_queryset().filter(pk__in=set(ids)).order_by("ars"))


def exact_shares(terms: ReuseTerms, provider: State, reusing: list[State], all_states: list[State] | None,
                 year: int | None) -> list[tuple[str, State | None, Fraction]]:
    """The exact share of every party (summing to 1), BUND first, then states by ARS."""
    reusing = [state for state in reusing if state.pk != provider.pk]
    key = terms.allocation_key
    if key == AllocationKey.IT_PLR_2023_35:
        all_states = all_states if all_states is not None else list(_states_queryset().order_by("ars"))
        parts: dict[int, Fraction] = dict.fromkeys((s.pk for s in all_states), Fraction(0))
        by_pk = {state.pk: state for state in all_states}
        by_pk.setdefault(provider.pk, provider)
        for state in reusing:
            by_pk.setdefault(state.pk, state)
        users = reusing or [provider]
        for pk, part in _normalised(_koenigstein(users, year), Fraction(1, 2)).items():
            parts[pk] = parts.get(pk, Fraction(0)) + part
        for pk, part in _normalised(_koenigstein(all_states, year), Fraction(1, 4)).items():
            parts[pk] = parts.get(pk, Fraction(0)) + part
        states = sorted((by_pk[pk] for pk in parts), key=lambda s: s.ars)
        return [(FEDERATION, None, Fraction(1, 4))] + [(s.code, s, parts[s.pk]) for s in states]
    parties = sorted([provider, *reusing], key=lambda s: s.ars)
    if key == AllocationKey.KOENIGSTEIN:
        weights = _koenigstein(parties, year)
    elif key == AllocationKey.PER_CAPITA:
        weights = {state.pk: Fraction(state.population) for state in parties}
    elif key == AllocationKey.EQUAL:
        weights = {state.pk: Fraction(1) for state in parties}
    else:  # pragma: no cover - the database constrains the key
        raise ValueError(f"unknown allocation key {key}")
    shares = _normalised(weights)
    return [(state.code, state, shares[state.pk]) for state in parties]


def split(annual_cost: Decimal, exact: list[tuple[str, State | None, Fraction]]) -> list[CostShare]:
    """Round the exact shares (6 places) and the amounts (cents), each summing exactly to the whole."""
    weights = [share for _party, _state, share in exact]
    share_units = largest_remainder(weights, 10**SHARE_PLACES)
    cents = int((annual_cost / CENT).to_integral_value())
    cent_units = largest_remainder(weights, cents)
    return [
        CostShare(
            party=party, state=state,
            share=(Decimal(units) / 10**SHARE_PLACES).quantize(Decimal(1).scaleb(-SHARE_PLACES)),
            annual_amount=(Decimal(amount) * CENT).quantize(CENT),
        )
        for (party, state, _share), units, amount in zip(exact, share_units, cent_units)
    ]


def cost_shares(online_service, year: int | None = None) -> list[CostShare]:
    """The parties' shares of the online service's annual cost; empty without reuse terms."""
    terms = ReuseTerms.objects.filter(online_service=online_service).first()
    if terms is None:
        return []
    year = koenigstein_year(year)
    provider = _states_queryset().get(pk=online_service.provider_state_id)
    return split(terms.annual_cost, exact_shares(terms, provider, _paying_states(online_service), None, year))


def state_bill(state: State, year: int | None = None) -> StateBill:
    """What the state pays per year across all online services with reuse terms, service by service."""
    year = koenigstein_year(year)
    all_states = list(_states_queryset().order_by("ars"))
    by_pk = {s.pk: s for s in all_states}
    paying: dict[int, list[State]] = {}
    for online_service_id, state_id in Subscription.objects.paying().values_list("online_service_id", "state_id"):
        paying.setdefault(online_service_id, []).append(by_pk[state_id])
    lines = []
    for terms in ReuseTerms.objects.select_related("online_service").order_by("online_service__name"):
        online_service = terms.online_service
        reusing = sorted(paying.get(online_service.pk, []), key=lambda s: s.ars)
        rows = split(terms.annual_cost, exact_shares(terms, by_pk[online_service.provider_state_id], reusing, all_states, year))
        for row in rows:
            if row.state is not None and row.state.pk == state.pk:
                lines.append(BillLine(online_service=online_service, share=row.share, annual_amount=row.annual_amount))
    total = sum((line.annual_amount for line in lines), Decimal("0.00"))
    return StateBill(state=state, year=year, lines=lines, total=total)

