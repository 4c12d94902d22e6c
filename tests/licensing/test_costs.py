"""Cost sharing with the real Königsteiner Schlüssel and populations, against values computed by
hand (largest remainder: shares to 6 places summing to 1, amounts to the cent summing to the bill;
ties go to the party listed first, BUND then the states by ARS)."""
from decimal import Decimal
from fractions import Fraction

import pytest
from django.test import override_settings

from licensing.choices import AllocationKey, SubscriptionStatus
from licensing.costs import cost_shares, largest_remainder, state_bill
from licensing.reuse import connected_states_count

from .support import online_service, state, subscription, terms

S = SubscriptionStatus


def rows(shares):
    return [(row.party, str(row.share), str(row.annual_amount)) for row in shares]


def assert_whole(shares, bill: str):
    assert sum(row.share for row in shares) == Decimal("1.000000")
    assert sum(row.annual_amount for row in shares) == Decimal(bill)


def test_no_terms_no_shares():
    assert cost_shares(online_service("wohngeld")) == []


def test_koenigstein_2016_among_provider_and_concluded_reuses():
    # wohngeld is provided by MV. BY (ACTIVE) and NW (CONNECTED) share; HH only asked, SH was declined.
    terms("wohngeld", annual_cost="100000.00", allocation_key=AllocationKey.KOENIGSTEIN)
    subscription("BY", "wohngeld", S.ACTIVE)
    subscription("NW", "wohngeld", S.CONNECTED)
    subscription("HH", "wohngeld", S.REQUESTED)
    subscription("SH", "wohngeld", S.DECLINED)

    shares = cost_shares(online_service("wohngeld"), year=2016)

    # 2016: NW 0.2114424, BY 0.1553327, MV 0.0201240, sum 0.3868991.
    # Shares ×10⁶: NW 546505.277, BY 401481.161, MV 52013.561 → the one unit left goes to MV.
    # Cents: NW 5465052.77, BY 4014811.61, MV 520135.61 → two cents left: NW (.77), BY (.6137 > .6116).
    assert rows(shares) == [
        ("NW", "0.546505", "54650.53"),
        ("BY", "0.401481", "40148.12"),
        ("MV", "0.052014", "5201.35"),
    ]
    assert_whole(shares, "100000.00")
    assert shares[0].state == state("NW")


def test_the_latest_year_is_the_default_and_a_setting_or_argument_chooses_another():
    terms("wohngeld", allocation_key=AllocationKey.KOENIGSTEIN)
    subscription("BY", "wohngeld", S.ACTIVE)

    latest = cost_shares(online_service("wohngeld"))
    with override_settings(KOENIGSTEIN_YEAR=2014):
        configured = cost_shares(online_service("wohngeld"))

    assert latest == cost_shares(online_service("wohngeld"), year=2016)
    assert configured == cost_shares(online_service("wohngeld"), year=2014) != latest
    # 2014: BY 0.1533048, MV 0.0204165 → BY 0.1533048 / 0.1737213: ×10⁶ = 882475.551, MV 117524.449,
    # the unit left goes to BY; cents 8824755.51 and 1175244.49, the cent left goes to BY.
    assert rows(configured) == [("BY", "0.882476", "88247.56"), ("MV", "0.117524", "11752.44")]


def test_per_capita_by_population():
    # elterngeld is provided by HB (684,864 inhabitants); HH (1,892,122) and ST (2,186,643) reuse it.
    terms("elterngeld", annual_cost="50000.00", allocation_key=AllocationKey.PER_CAPITA)
    subscription("HH", "elterngeld", S.ACTIVE)
    subscription("ST", "elterngeld", S.CONNECTED)

    shares = cost_shares(online_service("elterngeld"))

    # Total 4,763,629. ×10⁶: HH 397201.797, HB 143769.383, ST 459028.820 → units left to ST, HH.
    # Cents: HH 1986008.986, HB 718846.913, ST 2295144.101 → cents left to HH, HB.
    assert rows(shares) == [
        ("HH", "0.397202", "19860.09"),
        ("HB", "0.143769", "7188.47"),
        ("ST", "0.459029", "22951.44"),
    ]
    assert_whole(shares, "50000.00")


def test_equal_shares_give_the_odd_cent_to_the_first_listed():
    terms("elterngeld", annual_cost="100000.00", allocation_key=AllocationKey.EQUAL)
    subscription("BY", "elterngeld", S.ACTIVE)
    subscription("SN", "elterngeld", S.CONNECTED)

    shares = cost_shares(online_service("elterngeld"))

    assert rows(shares) == [
        ("HB", "0.333334", "33333.34"),
        ("BY", "0.333333", "33333.33"),
        ("SN", "0.333333", "33333.33"),
    ]


def test_without_reuse_the_provider_bears_everything():
    terms("bafoeg", annual_cost="1234.56", allocation_key=AllocationKey.KOENIGSTEIN)
    subscription("BY", "bafoeg", S.REQUESTED)

    assert rows(cost_shares(online_service("bafoeg"))) == [("ST", "1.000000", "1234.56")]


IT_PLR_2016 = [
    # party, share, amount — 200,000.00 € with BY and NW reusing wohngeld (provider MV).
    # BUND 1/4. Each state ¼·key; BY and NW also ½·key/(0.1553327 + 0.2114424).
    # ×10⁶ remainders sum to 8 units: NW .903, BY .872, SH .85, HH .8, SL .775, TH .75, BW .55, ST .525.
    # Cents: HB, HE, RP, SL, BB, SN, ST at .5, NW .069, BY .431 → 4 cents to HB, HE, RP, SL (ARS order).
    ("BUND", "0.250000", "50000.00"),
    ("SH", "0.008477", "1695.37"),
    ("HH", "0.006394", "1278.76"),
    ("NI", "0.023328", "4665.69"),
    ("HB", "0.002383", "476.66"),
    ("NW", "0.341106", "68221.18"),
    ("HE", "0.018497", "3699.43"),
    ("RP", "0.012077", "2415.45"),
    ("BW", "0.032417", "6483.31"),
    ("BY", "0.250588", "50117.57"),
    ("SL", "0.003028", "605.56"),
    ("BE", "0.012708", "2541.62"),
    ("BB", "0.007591", "1518.27"),
    ("MV", "0.005031", "1006.20"),
    ("SN", "0.012639", "2527.88"),
    ("ST", "0.006999", "1399.70"),
    ("TH", "0.006737", "1347.35"),
]


def test_it_planungsrat_2023_35():
    terms("wohngeld", annual_cost="200000.00", allocation_key=AllocationKey.IT_PLR_2023_35)
    subscription("BY", "wohngeld", S.ACTIVE)
    subscription("NW", "wohngeld", S.CONNECTED)
    subscription("HE", "wohngeld", S.REQUESTED)

    shares = cost_shares(online_service("wohngeld"), year=2016)

    assert rows(shares) == IT_PLR_2016
    assert shares[0].state is None
    assert_whole(shares, "200000.00")


def test_it_planungsrat_without_reuse_gives_the_reusing_half_to_the_provider():
    terms("wohngeld", annual_cost="1000.00", allocation_key=AllocationKey.IT_PLR_2023_35)

    shares = {row.party: row for row in cost_shares(online_service("wohngeld"), year=2016)}

    # MV: ½ + ¼·0.0201240 = 0.505031
    assert str(shares["MV"].share) == "0.505031" and str(shares["MV"].annual_amount) == "505.03"
    assert str(shares["BUND"].annual_amount) == "250.00"
    assert len(shares) == 17


@pytest.mark.parametrize("cost", ["0.00", "0.01", "0.07", "999999999.99", "100.00"])
@pytest.mark.parametrize("key", AllocationKey.values)
def test_shares_and_amounts_always_add_up(cost, key):
    terms("wohngeld", annual_cost=cost, allocation_key=key)
    for code, status in (("BY", S.ACTIVE), ("NW", S.CONNECTED), ("SL", S.CONNECTED), ("HB", S.ACTIVE)):
        subscription(code, "wohngeld", status)

    shares = cost_shares(online_service("wohngeld"))

    assert_whole(shares, cost)
    assert all(row.annual_amount >= 0 and row.share >= 0 for row in shares)
    assert all(row.share.as_tuple().exponent == -6 and row.annual_amount.as_tuple().exponent == -2 for row in shares)


def test_largest_remainder_is_exact():
    assert largest_remainder([Fraction(1, 3)] * 3, 100) == [34, 33, 33]
    assert largest_remainder([Fraction(1, 6), Fraction(5, 6)], 7) == [1, 6]


def test_state_bill_across_services():
    terms("wohngeld", annual_cost="100000.00", allocation_key=AllocationKey.KOENIGSTEIN)
    terms("elterngeld", annual_cost="200000.00", allocation_key=AllocationKey.IT_PLR_2023_35)
    terms("bafoeg", annual_cost="5000.00", allocation_key=AllocationKey.EQUAL)
    subscription("BY", "wohngeld", S.ACTIVE)
    subscription("NW", "wohngeld", S.CONNECTED)

    bill = state_bill(state("BY"), year=2016)

    lines = {line.online_service.slug: (str(line.share), str(line.annual_amount)) for line in bill.lines}
    # wohngeld as in the KOENIGSTEIN test. elterngeld: nobody reuses it, BY pays its quarter part,
    # ¼·0.1553327·200000 = 7766.635; the 2016 cents at .5 are HB, HE, RP, BY, SL, BB, SN, ST:
    # 4 cents left go to the first four by ARS, BY among them. bafoeg (EQUAL): BY is no party.
    assert lines == {"wohngeld": ("0.401481", "40148.12"), "elterngeld": ("0.038833", "7766.64")}
    assert bill.total == Decimal("47914.76") and bill.year == 2016


def test_connected_states_count_is_the_provider_plus_connected_states():
    assert connected_states_count(online_service("wohngeld")) == 1
    subscription("BY", "wohngeld", S.CONNECTED)
    subscription("NW", "wohngeld", S.ACTIVE)
    subscription("HH", "wohngeld", S.TERMINATED)

    assert connected_states_count(online_service("wohngeld")) == 2


def test_annotated_connected_states_count_agrees():
    from licensing.reuse import annotate_connected_states
    from store.models import OnlineService

    subscription("BY", "wohngeld", S.CONNECTED)
    subscription("NW", "wohngeld", S.CONNECTED)
    subscription("HH", "wohngeld", S.ACTIVE)
    subscription("BY", "elterngeld", S.CONNECTED)

    annotated = {o.slug: o.connected_states_count for o in annotate_connected_states(OnlineService.objects.all())}

    assert annotated == {o.slug: connected_states_count(o) for o in OnlineService.objects.all()}
    assert annotated["wohngeld"] == 3 and annotated["elterngeld"] == 2 and annotated["bafoeg"] == 1
