"""`joinStore`: a state's coordinator signs the framework agreement in force."""
from fitstore.models import AuditEntry
from licensing.models import Accession
from tests.licensing.support import ACTOR, state

from licensing import services

JOIN_STORE_MUTATION = """
mutation JoinStore($input: JoinStoreInput!) {
  joinStore(input: $input) {
    accession { status signedAt agreementVersion state { code } }
    errors { field code message }
  }
}
"""


def _join(graphql, token=None, state_code="BY", signatory="Dr. Anna Muster"):
    return graphql.data(JOIN_STORE_MUTATION, {"input": {"stateCode": state_code, "signatory": signatory}},
                        token=token)["joinStore"]


def test_anonymous_is_refused(graphql):
    before = (Accession.objects.count(), AuditEntry.objects.count())

    result = _join(graphql)

    assert result["accession"] is None
    assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"]
    assert (Accession.objects.count(), AuditEntry.objects.count()) == before


def test_the_coordinator_of_another_state_is_refused(graphql, make_user, make_token):
    token = make_token(make_user("koordination-nw", role="coordinator", state="NW"))
    before = (Accession.objects.count(), AuditEntry.objects.count())

    result = _join(graphql, token)

    assert result["errors"] == [{"field": None, "code": "PERMISSION_DENIED",
                                 "message": "You are not allowed to do this, or the object does not exist."}]
    assert (Accession.objects.count(), AuditEntry.objects.count()) == before


def test_a_maintainer_is_refused(graphql, make_user, make_token):
    token = make_token(make_user("pflege", role="maintainer", online_service="wohngeld"))

    assert [e["code"] for e in _join(graphql, token)["errors"]] == ["PERMISSION_DENIED"]
    assert not Accession.objects.exists()


def test_the_coordinator_joins(graphql, make_user, make_token):
    user = make_user("koordination-by", role="coordinator", state="BY")

    result = _join(graphql, make_token(user), state_code="by")

    assert result["errors"] == []
    assert result["accession"]["status"] == "SIGNED" and result["accession"]["signedAt"]
    assert result["accession"]["agreementVersion"] == "1" and result["accession"]["state"] == {"code": "BY"}
    entry = AuditEntry.objects.latest("id")
    assert entry.verb == "join_store" and entry.actor == user


def test_joining_twice_and_an_empty_signatory_name_the_fields(graphql, make_user, make_token):
    token = make_token(make_user("koordination-by", role="coordinator", state="BY"))
    _join(graphql, token)
    before = AuditEntry.objects.count()

    twice = _join(graphql, token)
    empty = _join(graphql, token, signatory="")

    assert [(e["field"], e["code"]) for e in twice["errors"]] == [("stateCode", "ALREADY_JOINED")]
    assert ("signatory", "REQUIRED") in [(e["field"], e["code"]) for e in empty["errors"]]
    assert AuditEntry.objects.count() == before


def test_joining_again_after_withdrawal(graphql, make_user, make_token):
    token = make_token(make_user("koordination-by", role="coordinator", state="BY"))
    _join(graphql, token)
    services.withdraw_from_store(state("BY"), actor=ACTOR)

    again = _join(graphql, token, signatory="Neue Staatssekretärin")

    assert again["errors"] == [] and again["accession"]["status"] == "SIGNED"
    assert Accession.objects.get(state__code="BY").signatory == "Neue Staatssekretärin"
