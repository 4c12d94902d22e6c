"""Mutations about the caller's own credentials."""
import graphene
from django.core.exceptions import PermissionDenied

from fitstore import services
from fitstore.access import is_operator
from fitstore.models import ApiToken

from ..core.types import BaseMutation, pk_from_global_id
from .types import ApiTokenType


class RevokeTokenInput(graphene.InputObjectType):
    """Input of revokeToken: the API token to revoke."""

    token = graphene.ID(required=True, description="The token's global ID (see `viewer { tokens { id } }`).")


class RevokeToken(BaseMutation):
    """Revoke an API token: one's own, or any as operator. Takes effect at once."""

    class Arguments:
        input = RevokeTokenInput(required=True)

    token = graphene.Field(ApiTokenType, description="The revoked token (revokedAt set); null on errors.")

    @classmethod
    def perform_mutation(cls, root, info, token):
        user = info.context.user
        if not user.is_authenticated:
            raise PermissionDenied("Sign in or send a valid API token.")
        pk = pk_from_global_id(token, "ApiToken")
        candidates = ApiToken.objects.filter(pk=pk) if pk is not None else ApiToken.objects.none()
        if not is_operator(user):
            candidates = candidates.filter(user=user)
        target = candidates.first()
        if target is None:
            raise PermissionDenied("You are not allowed to do this, or the object does not exist.")
        return {"token": services.revoke_token(target, actor=user)}


class AccountMutations(graphene.ObjectType):
    revoke_token = RevokeToken.Field()
