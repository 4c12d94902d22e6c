"""The GraphQL schema: joins the domains' queries and mutations (api/<domain>/)."""
import graphene
from graphene import relay

from .accounts.mutations import AccountMutations
from .accounts.queries import AccountQueries
from .directory.queries import DirectoryQueries
from .licensing.types import AccessionType
from .store.types import LeikaServiceType, LifeSituationType, OnlineServiceType, OzgServiceType, TopicType


class Query(AccountQueries, DirectoryQueries, graphene.ObjectType):
    node = relay.Node.Field(description="Any object by its global ID.")


class Mutation(AccountMutations, graphene.ObjectType):
    pass


schema = graphene.Schema(
    query=Query,
    mutation=Mutation,
    types=[AccessionType, TopicType, LifeSituationType, OzgServiceType, LeikaServiceType, OnlineServiceType],
)
