"""Mutations about the caller's own credentials."""
import graphene

from fitstore import services
from fitstore.access import token_for_revoke

from ..core.permissions import Allowed
from ..core.types import BaseMutation
from .types import ApiTokenType


class RevokeTokenInput(graphene.InputObjectType):
    """Input of revokeToken: the API token to revoke."""

    token = graphene.ID(required=True, description="The token's global ID (see `viewer { tokens { id } }`).")


class RevokeToken(BaseMutation):
    """Revoke an API token: one's own, or any as operator. Takes effect at once."""

    class Arguments:
        input = RevokeTokenInput(required=True)

    token = graphene.Field(ApiTokenType, description="The revoked token (revokedAt set); null on errors.")
    permission = Allowed(token_for_revoke, "token", global_id="ApiToken", as_="token")

    @classmethod
    def perform_mutation(cls, root, info, token):
        return {"token": services.revoke_token(token, actor=info.context.user)}


class AccountMutations(graphene.ObjectType):
    revoke_token = RevokeToken.Field()
