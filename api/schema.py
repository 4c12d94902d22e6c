"""The GraphQL schema: joins the domains' queries and mutations (api/<domain>/)."""
import graphene
from graphene import relay

from .accounts.mutations import AccountMutations
from .accounts.queries import AccountQueries
from .directory.mutations import DirectoryMutations
from .directory.queries import DirectoryQueries
from .licensing.mutations import LicensingMutations
from .licensing.queries import LicensingQueries
from .licensing.types import AccessionType
from .store.mutations import StoreMutations
from .store.queries import StoreQueries
from .store.search import SearchQueries
from .store.types import (
    LeikaServiceType, LifeSituationType, OnlineServiceType, OzgServiceType, ReleaseType, RepositoryType, TopicType,
)


class Query(AccountQueries, DirectoryQueries, StoreQueries, SearchQueries, LicensingQueries, graphene.ObjectType):
    """Read access to the FIT-Store: catalogue, online services, reuse (Nachnutzung), directory and accounts."""

    node = relay.Node.Field(description="Any object by its global ID.")


class Mutation(AccountMutations, DirectoryMutations, LicensingMutations, StoreMutations, graphene.ObjectType):
    """Changes to the FIT-Store; each mutation says which role may call it and returns errors in its payload."""


schema = graphene.Schema(
    query=Query,
    mutation=Mutation,
    types=[AccessionType, TopicType, LifeSituationType, OzgServiceType, LeikaServiceType, OnlineServiceType,
           RepositoryType, ReleaseType],
)
