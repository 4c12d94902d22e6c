"""GraphQL types of accounts: the viewer, their roles and API tokens."""
import graphene
from graphene_django import DjangoObjectType

from fitstore.access import restrict_tokens
from fitstore.models import ApiToken, RoleAssignment

from ..core.types import NodeType, describe_fields


class RoleAssignmentType(DjangoObjectType):
    """A role of the viewer, scoped to a state or an online service where the role needs it."""

    role = graphene.String(required=True, description="operator, coordinator, directory-maintainer, maintainer or gateway.")

    class Meta:
        model = RoleAssignment
        name = "RoleAssignment"
        fields = ("role", "state", "online_service", "granted_at")


class ApiTokenType(NodeType):
    """An API token (never the token itself: only its prefix). Read by its owner and by operators."""

    prefix = graphene.String(required=True, description="The token's first characters, to recognise it.")

    class Meta:
        model = ApiToken
        fields = ("id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at")

    @classmethod
    def get_queryset(cls, queryset, info):
        # The caller's own tokens (operators: any), node lookups included: the tokens one may revoke.
        return restrict_tokens(queryset, info.context.user)


class ViewerType(graphene.ObjectType):
    """The signed-in user or the token's owner."""

    class Meta:
        name = "Viewer"

    username = graphene.String(required=True)
    roles = graphene.List(graphene.NonNull(RoleAssignmentType), required=True)
    tokens = graphene.List(graphene.NonNull(ApiTokenType), required=True)

    @staticmethod
    def resolve_username(user, info):
        return user.get_username()

    @staticmethod
    def resolve_roles(user, info):
        return user.role_assignments.select_related("state", "online_service").order_by("role", "id")

    @staticmethod
    def resolve_tokens(user, info):
        return user.api_tokens.order_by("-created_at")


# --- Descriptions of the derived model fields -------------------------------------------------
describe_fields(
    ViewerType,
    username="Login name of the signed-in user.",
    roles="The user's roles (Rollen): coordinator of a state, maintainer of an online service, operator …",
    tokens="The user's API tokens, including expired and revoked ones; never the secret.",
)
describe_fields(
    RoleAssignmentType,
    state="The state the role applies to (e.g. a state coordinator's state); null for roles not tied to a state.",
    online_service="The online service the role applies to (maintainer); null for roles not tied to one.",
    granted_at="When the role was granted (ISO 8601 date-time, UTC).",
)
describe_fields(
    ApiTokenType,
    name="Label the owner gave the token, e.g. the gateway using it.",
    created_at="When the token was issued (ISO 8601 date-time, UTC).",
    expires_at="When the token stops working; null: it does not expire.",
    last_used_at="When the token last authenticated a request; null: never used.",
    revoked_at="When the token was revoked; null: not revoked.",
)
