"""The GraphQL schema: joins the domains' queries and mutations."""
import graphene


class Query(graphene.ObjectType):
    ping = graphene.String()


schema = graphene.Schema(query=Query)
