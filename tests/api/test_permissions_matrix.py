"""The permissions matrix (NetBox's pattern, issue "Reliability and security"): every mutation
runs anonymous, with an invalid and with a revoked token, with each role that must not write,
and with the role that may. Refusals change nothing and leave no audit row; the permitted
call succeeds and is audited. A mutation added to the schema without a row here fails
`test_every_mutation_is_in_the_matrix`.
"""
from dataclasses import dataclass, field
from typing import Callable

import pytest
from graphql_relay import to_global_id

from api.schema import schema
from fitstore import services as fitstore_services
from fitstore.models import ApiToken, AuditEntry

from .directory.permission_cases import DIRECTORY_CASES
from .licensing.permission_cases import LICENSING_CASES
from .store.permission_cases import STORE_CASES


@dataclass
class Role:
    role: str | None = None
    state: str | None = None
    online_service: str | None = None

    def __str__(self):
        return "-".join(filter(None, [self.role or "no-role", self.state, self.online_service]))


@dataclass
class Case:
    mutation: str  # the field name on Mutation
    document: str
    variables: Callable[[object], dict]  # given the acting user (set-up may create objects)
    allowed: Role
    denied: list[Role] = field(default_factory=list)


CASES = [
    Case(
        mutation="revokeToken",
        document="mutation M($input: RevokeTokenInput!) { revokeToken(input: $input) { errors { field code } } }",
        # The target is the token of a third user: only an operator may revoke it.
        variables=lambda actor: {"input": {"token": to_global_id("ApiToken", _third_party_token().pk)}},
        allowed=Role("operator"),
        denied=[Role(), Role("gateway"), Role("coordinator", state="BY"), Role("directory-maintainer", state="BY"),
                Role("maintainer", online_service="wohngeld")],
    ),
]


# Each domain keeps its rows beside its operation tests, as plain data.
CASES += [Case(**case, allowed=Role(**allowed), denied=[Role(**role) for role in denied])
          for case, allowed, denied in DIRECTORY_CASES + LICENSING_CASES + STORE_CASES]


def _third_party_token():
    owner, _ = fitstore_services.ensure_user("third-party", actor="test")
    token = ApiToken.objects.filter(user=owner).first()
    return token or fitstore_services.issue_token(owner, name="target", actor="test")[0]


def _payload(content, case):
    assert "errors" not in content, content
    return content["data"][case.mutation]


def test_every_mutation_is_in_the_matrix():
    mutations = set(schema.graphql_schema.mutation_type.fields)

    assert mutations == {case.mutation for case in CASES}, "add the new mutation to CASES"


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.mutation)
def test_anonymous_and_bad_tokens_change_nothing(case, graphql, make_user, make_token):
    actor = make_user("someone")
    variables = case.variables(actor)
    revoked = make_token(actor, name="revoked")
    fitstore_services.revoke_token(ApiToken.objects.get(name="revoked"), actor="test")
    audit_rows = AuditEntry.objects.count()

    anonymous = _payload(graphql.execute(case.document, variables), case)
    invalid = graphql.post(case.document, variables, token="fst_invalid")
    revoked_answer = graphql.post(case.document, variables, token=revoked)

    assert [error["code"] for error in anonymous["errors"]] == ["PERMISSION_DENIED"]
    assert invalid.status_code == 401 and revoked_answer.status_code == 401
    assert AuditEntry.objects.count() == audit_rows


@pytest.mark.parametrize(
    "case, role", [(case, role) for case in CASES for role in case.denied],
    ids=lambda value: value.mutation if isinstance(value, Case) else str(value),
)
def test_roles_that_must_not_write_change_nothing(case, role, graphql, make_user, make_token):
    actor = make_user("actor", role=role.role, state=role.state, online_service=role.online_service)
    variables = case.variables(actor)
    token = make_token(actor)
    audit_rows = AuditEntry.objects.count()

    payload = _payload(graphql.execute(case.document, variables, token=token), case)

    assert [error["code"] for error in payload["errors"]] == ["PERMISSION_DENIED"]
    assert AuditEntry.objects.count() == audit_rows


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.mutation)
def test_the_permitted_role_writes_with_an_audit_row(case, graphql, make_user, make_token):
    role = case.allowed
    actor = make_user("actor", role=role.role, state=role.state, online_service=role.online_service)
    variables = case.variables(actor)
    token = make_token(actor)
    audit_rows = AuditEntry.objects.count()

    payload = _payload(graphql.execute(case.document, variables, token=token), case)

    assert payload["errors"] == []
    assert AuditEntry.objects.count() > audit_rows
    assert AuditEntry.objects.latest("id").actor == actor
