"""Property-based tests (hypothesis): the key validators accept exactly the contract's forms, and
cost sharing always splits a bill exactly, for random bills, random sets of states and every
allocation key."""
import re
import string
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, assume, example, given, settings, strategies as st

from directory.validators import ars_prefixes, validate_ars, validate_authority_identifier
from licensing.choices import AllocationKey
from licensing.costs import FEDERATION, exact_shares, largest_remainder, split
from licensing.models import ReuseTerms
from licensing.services import parse_money
from store.validators import validate_leika_key

ARS_LENGTHS = {2, 3, 5, 9, 12}
EXAMPLES = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
hostile_text = st.text(alphabet=st.characters(codec="utf-8"), max_size=20) | st.text(
    alphabet="0123456789٠١٢٣٤٥٦٧٨٩０１２３ \n\t\x00:-abAB", max_size=16)


def accepts(validator, value) -> bool:
    try:
        validator(value)
    except ValidationError:
        return False
    return True


# --- ARS, LeiKa keys, authority identifiers ---------------------------------------------------

@given(hostile_text)
@example("09188\n")
@example("٠٩")
@example("09")
@EXAMPLES
def test_an_ars_is_exactly_2_3_5_9_or_12_ascii_digits(value):
    expected = len(value) in ARS_LENGTHS and all(c in string.digits for c in value)
    assert accepts(validate_ars, value) == expected


@given(st.sampled_from(sorted(ARS_LENGTHS)).flatmap(lambda n: st.text(alphabet=string.digits, min_size=n, max_size=n)))
@EXAMPLES
def test_the_prefixes_of_an_ars_are_the_canonical_keys_above_it(ars):
    prefixes = ars_prefixes(ars)

    assert prefixes[0] == ars and prefixes[-1] == ars[:2]
    assert all(accepts(validate_ars, prefix) for prefix in prefixes)
    assert all(longer.startswith(shorter) and len(longer) > len(shorter)
               for longer, shorter in zip(prefixes, prefixes[1:]))


@given(hostile_text | st.text(alphabet=string.digits, min_size=14, max_size=14).map(lambda s: "99" + s[2:]))
@example("99107023000000\n")
@example("٩٩١٠٧٠٢٣٠٠٠٠٠٠")
@example("99107023000000")
@EXAMPLES
def test_a_leika_key_is_exactly_14_ascii_digits_starting_with_99(value):
    expected = len(value) == 14 and value.startswith("99") and all(c in string.digits for c in value)
    assert accepts(validate_leika_key, value) == expected


@given(hostile_text | st.from_regex(r"[a-z][a-z0-9-]{0,19}:[A-Za-z0-9][A-Za-z0-9._-]{0,99}", fullmatch=True))
@example("wgb:010540880000\n")
@example("wgb:010540880000")
@EXAMPLES
def test_accepted_authority_identifiers_are_printable_ascii_prefix_colon_key(value):
    if not accepts(validate_authority_identifier, value):
        return
    prefix, _, key = value.partition(":")
    assert value.isascii() and value.isprintable() and not any(c.isspace() for c in value)
    assert prefix and prefix[0].islower() and key and len(value) <= 120


@given(st.from_regex(r"[a-z][a-z0-9-]{0,19}:[A-Za-z0-9][A-Za-z0-9._-]{0,99}", fullmatch=True))
@EXAMPLES
def test_well_formed_authority_identifiers_are_accepted(value):
    assert accepts(validate_authority_identifier, value)


# --- money -----------------------------------------------------------------------------------

@given(st.integers(min_value=0, max_value=99_999_999_999_999))
@EXAMPLES
def test_amounts_in_cents_parse_to_themselves(cents):
    amount = Decimal(cents) / 100

    assert parse_money(f"{amount:.2f}", "annual_cost") == amount


@given(st.decimals(allow_nan=True, allow_infinity=True, places=None) .map(str) | hostile_text)
@EXAMPLES
def test_money_is_refused_unless_a_plain_non_negative_amount_in_cents(text):
    try:
        amount = parse_money(text, "annual_cost")
    except ValidationError as error:
        assert list(error.error_dict) == ["annual_cost"]
        return
    assert amount >= 0 and amount == amount.quantize(Decimal("0.01")) and amount <= Decimal("999999999999.99")
    assert re.fullmatch(r"\s*[0-9]+(\.[0-9]{1,2})?\s*", text)


# --- cost sharing ----------------------------------------------------------------------------

@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=17),
       st.integers(min_value=0, max_value=10**13))
@EXAMPLES
def test_largest_remainder_always_sums_to_the_units(raw_weights, units):
    assume(sum(raw_weights) > 0)
    weights = [Fraction(weight, sum(raw_weights)) for weight in raw_weights]

    result = largest_remainder(weights, units)

    assert sum(result) == units and all(part >= 0 for part in result)
    assert all(abs(part - weight * units) < 1 for part, weight in zip(result, weights))


_STATES = []


def all_states():
    from licensing.costs import _states_queryset

    if not _STATES:
        _STATES.extend(_states_queryset().order_by("ars"))
    return _STATES


@pytest.mark.django_db
@given(
    bill_cents=st.integers(min_value=0, max_value=99_999_999_999_999),
    key=st.sampled_from(list(AllocationKey.values)),
    provider_index=st.integers(min_value=0, max_value=15),
    reusing_indexes=st.sets(st.integers(min_value=0, max_value=15), max_size=16),
)
@EXAMPLES
def test_cost_shares_always_add_up_to_the_bill_and_to_one(bill_cents, key, provider_index, reusing_indexes):
    states = all_states()
    bill = (Decimal(bill_cents) / 100).quantize(Decimal("0.01"))
    provider = states[provider_index]
    reusing = [states[i] for i in sorted(reusing_indexes)]
    terms = ReuseTerms(allocation_key=key, annual_cost=bill)

    exact = exact_shares(terms, provider, reusing, states, None)
    rows = split(bill, exact)

    assert sum(share for _party, _state, share in exact) == 1
    assert sum(row.share for row in rows) == Decimal("1.000000")
    assert sum(row.annual_amount for row in rows) == bill
    assert all(row.annual_amount >= 0 and row.share >= 0 for row in rows)
    assert all(abs(row.annual_amount - Decimal(share.numerator) * bill / Decimal(share.denominator)) < Decimal("0.01")
               for row, (_p, _s, share) in zip(rows, exact))
    parties = [row.party for row in rows]
    assert len(parties) == len(set(parties))
    if key == AllocationKey.IT_PLR_2023_35:
        assert parties[0] == FEDERATION and len(parties) == 17
    else:
        assert set(parties) == {provider.code, *(state.code for state in reusing)}


# Pre-release identifiers: numeric (no leading zeros) or alphanumeric with hyphens, as semver allows.
_prerelease_identifier = st.one_of(
    st.integers(min_value=0, max_value=10**30).map(str),
    st.text(alphabet=string.ascii_letters + string.digits + "-", min_size=1, max_size=8).filter(
        lambda text: not text.isdigit()),
)
_prerelease = st.lists(_prerelease_identifier, min_size=1, max_size=4).map(".".join)


@given(_prerelease, _prerelease)
def test_the_sql_sort_key_of_pre_releases_agrees_with_semver_precedence(first, second):
    from store.repositories import Version, prerelease_key

    by_semver = (Version(1, 0, 0, first).precedence > Version(1, 0, 0, second).precedence) - (
        Version(1, 0, 0, first).precedence < Version(1, 0, 0, second).precedence)
    by_key = (prerelease_key(first) > prerelease_key(second)) - (prerelease_key(first) < prerelease_key(second))
    assert by_key == by_semver
    assert set(prerelease_key(first)) <= set("0123456789abcdef")  # collation-proof
