"""`setReuseTerms`: the maintainer of an online service sets its reuse terms."""
import pytest

from fitstore.models import AuditEntry
from licensing.models import ReuseTerms

SET_REUSE_TERMS_MUTATION = """
mutation SetReuseTerms($input: SetReuseTermsInput!) {
  setReuseTerms(input: $input) {
    terms { annualCost oneTimeCost allocationKey license operatingModel legalBases }
    errors { field code message }
  }
}
"""

TERMS = {
    "onlineService": "wohngeld", "annualCost": "125000.00", "oneTimeCost": "0", "allocationKey": "IT_PLR_2023_35",
    "license": "eupl-1.2", "operatingModel": "CENTRAL", "legalBases": ["FIT_STORE", "ADMINISTRATIVE_AGREEMENT"],
}


def _set(graphql, token=None, **changes):
    return graphql.data(SET_REUSE_TERMS_MUTATION, {"input": {**TERMS, **changes}}, token=token)["setReuseTerms"]


def _unchanged():
    return ReuseTerms.objects.count(), AuditEntry.objects.count()


def test_anonymous_is_refused(graphql):
    before = _unchanged()

    assert [e["code"] for e in _set(graphql)["errors"]] == ["PERMISSION_DENIED"]
    assert _unchanged() == before


@pytest.mark.parametrize("role", [
    {"role": "maintainer", "online_service": "elterngeld"},
    {"role": "coordinator", "state": "MV"},
    {"role": "operator"},
])
def test_others_are_refused(graphql, make_user, make_token, role):
    token = make_token(make_user("someone", **role))
    before = _unchanged()

    assert [e["code"] for e in _set(graphql, token)["errors"]] == ["PERMISSION_DENIED"]
    assert _unchanged() == before


def test_an_unknown_service_is_refused_like_a_forbidden_one(graphql, make_user, make_token):
    token = make_token(make_user("pflege", role="maintainer", online_service="wohngeld"))

    unknown = _set(graphql, token, onlineService="gibt-es-nicht")

    assert [e["code"] for e in unknown["errors"]] == ["PERMISSION_DENIED"]


def test_the_maintainer_sets_the_terms(graphql, make_user, make_token):
    user = make_user("pflege", role="maintainer", online_service="wohngeld")

    result = _set(graphql, make_token(user))

    assert result["errors"] == []
    assert result["terms"] == {
        "annualCost": "125000.00", "oneTimeCost": "0.00", "allocationKey": "IT_PLR_2023_35", "license": "EUPL-1.2",
        "operatingModel": "CENTRAL", "legalBases": ["FIT_STORE", "ADMINISTRATIVE_AGREEMENT"],
    }
    entry = AuditEntry.objects.latest("id")
    assert entry.verb == "set_reuse_terms" and entry.actor == user and entry.action == "CREATED"


def test_empty_values_keep_the_current_terms(graphql, make_user, make_token):
    token = make_token(make_user("pflege", role="maintainer", online_service="wohngeld"))
    _set(graphql, token)

    result = graphql.data(SET_REUSE_TERMS_MUTATION, {"input": {
        "onlineService": "wohngeld", "annualCost": "99.90", "license": "", "oneTimeCost": "",
    }}, token=token)["setReuseTerms"]

    assert result["errors"] == []
    assert result["terms"]["annualCost"] == "99.90" and result["terms"]["license"] == "EUPL-1.2"


@pytest.mark.parametrize("changes, field, code", [
    ({"annualCost": "-5.00"}, "annualCost", "NEGATIVE_AMOUNT"),
    ({"annualCost": "zehn"}, "annualCost", "INVALID"),
    ({"oneTimeCost": "1.999"}, "oneTimeCost", "INVALID"),
    ({"license": "Proprietary-Foo"}, "license", "INVALID_LICENSE"),
    ({"legalBases": []}, "legalBases", "INVALID"),
])
def test_bad_values_name_the_field_and_write_nothing(graphql, make_user, make_token, changes, field, code):
    token = make_token(make_user("pflege", role="maintainer", online_service="wohngeld"))
    before = _unchanged()

    result = _set(graphql, token, **changes)

    assert result["terms"] is None
    assert [(e["field"], e["code"]) for e in result["errors"]] == [(field, code)]
    assert _unchanged() == before


def test_an_unknown_allocation_key_is_refused_before_execution(graphql, make_user, make_token):
    token = make_token(make_user("pflege", role="maintainer", online_service="wohngeld"))

    content = graphql.execute(SET_REUSE_TERMS_MUTATION, {"input": {**TERMS, "allocationKey": "BY_AREA"}}, token=token)

    assert "allocationKey" in content["errors"][0]["message"]
    assert not ReuseTerms.objects.exists()
