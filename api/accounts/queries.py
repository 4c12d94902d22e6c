"""Queries about the caller."""
import graphene

from .types import ViewerType


class AccountQueries(graphene.ObjectType):
    viewer = graphene.Field(ViewerType, description="Who is asking: null for anonymous callers.")

    @staticmethod
    def resolve_viewer(root, info):
        user = info.context.user
        return user if user.is_authenticated else None
