"""The GraphQL schema: joins the domains' queries and mutations (api/<domain>/)."""
import graphene
from django.db import InterfaceError, OperationalError
from graphene import relay
from graphql import GraphQLError

from .accounts.mutations import AccountMutations
from .accounts.queries import AccountQueries
from .core.errors import BadUserInput
from .directory.search import AuthoritySearchQueries
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


class NodeField(relay.node.NodeField):
    """Relay's `node(id:)`; an ID that is not the global ID of one of our objects is the caller's
    error (BAD_USER_INPUT), not a server fault (graphene raises bare exceptions for it)."""

    def wrap_resolve(self, parent_resolver):
        resolve = super().wrap_resolve(parent_resolver)

        def resolve_node(root, info, **arguments):
            try:
                return resolve(root, info, **arguments)
            except (GraphQLError, OperationalError, InterfaceError):
                raise
            except Exception:
                raise BadUserInput("id", "not the global ID of an object") from None

        return resolve_node


class Query(AccountQueries, DirectoryQueries, StoreQueries, AuthoritySearchQueries, SearchQueries, LicensingQueries,
            graphene.ObjectType):
    """Read access to the FIT-Store: catalogue, online services, reuse (Nachnutzung), directory and accounts."""

    node = NodeField(relay.Node, description="Any object by its global ID.")


class Mutation(AccountMutations, DirectoryMutations, LicensingMutations, StoreMutations, graphene.ObjectType):
    """Changes to the FIT-Store; each mutation says which role may call it and returns errors in its payload."""


schema = graphene.Schema(
    query=Query,
    mutation=Mutation,
    types=[AccessionType, TopicType, LifeSituationType, OzgServiceType, LeikaServiceType, OnlineServiceType,
           RepositoryType, ReleaseType],
)
