"""`revokeToken`: the BaseMutation's errors-as-data, permissions and audit in one operation."""
from graphql_relay import to_global_id

from fitstore.models import ApiToken, AuditEntry

REVOKE_TOKEN_MUTATION = """
mutation RevokeToken($input: RevokeTokenInput!) {
  revokeToken(input: $input) {
    token { id name revokedAt }
    errors { field code message }
  }
}
"""


def _token_id(user):
    return to_global_id("ApiToken", ApiToken.objects.get(user=user, name="victim").pk)


def test_anonymous_cannot_revoke(graphql, make_user, make_token):
    owner = make_user("owner")
    make_token(owner, name="victim")

    result = graphql.data(REVOKE_TOKEN_MUTATION, {"input": {"token": _token_id(owner)}})["revokeToken"]

    assert result["token"] is None
    assert result["errors"] == [{"field": None, "code": "PERMISSION_DENIED", "message": "Sign in or send a valid API token."}]
    assert ApiToken.objects.get(name="victim").revoked_at is None


def test_another_users_token_is_refused_like_a_missing_one(graphql, make_user, make_token):
    owner = make_user("owner")
    make_token(owner, name="victim")
    other_token = make_token(make_user("other", role="gateway"))
    audit_rows = AuditEntry.objects.count()

    refused = graphql.data(REVOKE_TOKEN_MUTATION, {"input": {"token": _token_id(owner)}}, token=other_token)
    missing = graphql.data(REVOKE_TOKEN_MUTATION, {"input": {"token": to_global_id("ApiToken", 999999)}}, token=other_token)

    assert refused["revokeToken"]["errors"] == missing["revokeToken"]["errors"]
    assert refused["revokeToken"]["errors"][0]["code"] == "PERMISSION_DENIED"
    assert ApiToken.objects.get(name="victim").revoked_at is None
    assert AuditEntry.objects.count() == audit_rows


def test_owner_revokes_own_token_with_one_audit_row(graphql, make_user, make_token):
    owner = make_user("owner")
    make_token(owner, name="victim")
    session_token = make_token(owner, name="session")

    result = graphql.data(
        REVOKE_TOKEN_MUTATION, {"input": {"token": _token_id(owner)}}, token=session_token,
        headers={"X-Request-ID": "req-revoke-1"},
    )["revokeToken"]

    assert result["errors"] == []
    assert result["token"]["name"] == "victim" and result["token"]["revokedAt"]
    entry = AuditEntry.objects.filter(verb="revoke_token").get()
    assert entry.actor == owner and entry.request_id == "req-revoke-1"
    assert entry.token.name == "session"
    assert entry.before["revoked_at"] is None and entry.after["revoked_at"]
    assert "key_hash" not in entry.after


def test_revoking_twice_names_the_field(graphql, make_user, make_token):
    owner = make_user("owner")
    make_token(owner, name="victim")
    session_token = make_token(owner, name="session")
    graphql.data(REVOKE_TOKEN_MUTATION, {"input": {"token": _token_id(owner)}}, token=session_token)

    again = graphql.data(REVOKE_TOKEN_MUTATION, {"input": {"token": _token_id(owner)}}, token=session_token)

    assert again["revokeToken"]["errors"] == [
        {"field": "token", "code": "ALREADY_REVOKED", "message": "This token is already revoked."}
    ]


def test_operator_revokes_anyones_token(graphql, make_user, make_token):
    owner = make_user("owner")
    make_token(owner, name="victim")
    operator_token = make_token(make_user("ops", role="operator"))

    result = graphql.data(REVOKE_TOKEN_MUTATION, {"input": {"token": _token_id(owner)}}, token=operator_token)

    assert result["revokeToken"]["errors"] == []
    assert ApiToken.objects.get(name="victim").revoked_at is not None
