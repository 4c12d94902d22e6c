"""Cases of the read-permission matrix (tests/api/test_read_matrix.py) for accounts: each caller
reads itself (`viewer`: its name, roles and tokens); a token is read by its owner and by the
operators (who may revoke any), by nobody else."""
from graphql_relay import to_global_id

from fitstore import services

from ..reads import ACCOUNTS, Path, Read

VIEWER = Path("viewer", """
query R { viewer { username roles { role state { code } onlineService { slug } grantedAt } tokens { id } } }""")
TOKEN_NAME = "Lesematrix-Token"


def _token_of_the_other_states_coordinator(context):
    token, _raw = services.issue_token(context.actors["coordinator-other"], name=TOKEN_NAME, actor="test")
    return {"id": to_global_id("ApiToken", token.pk), "marker": to_global_id("ApiToken", token.pk)}


def _role_of(actor):
    if actor is None:
        return None
    return next(iter(actor.role_assignments.values_list("role", flat=True)), None)


ACCOUNT_READS = [
    Read("Viewer", "accounts: the caller", lambda context: {"marker": lambda actor: actor and actor.get_username()},
         ACCOUNTS, (VIEWER,)),
    # Every role finds its own role; an account without one finds none.
    Read("RoleAssignment", "accounts: the caller", lambda context: {"marker": _role_of}, ACCOUNTS - {"account"},
         (VIEWER,)),
    Read("ApiToken", "tokens: their owner", _token_of_the_other_states_coordinator,
         frozenset({"coordinator-other", "operator"}), (
             Path("node", """
query R($id: ID!) { node(id: $id) { id ... on ApiToken { name prefix createdAt expiresAt lastUsedAt revokedAt } } }"""),
             # viewer.tokens lists the caller's own: an operator reads another's by node only.
             Path("viewer.tokens", "query R { viewer { tokens { id name } } }", readers=frozenset({"coordinator-other"})),
         )),
]
