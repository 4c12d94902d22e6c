"""The GraphQL endpoint."""
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView as BaseGraphQLView


@method_decorator(csrf_exempt, name="dispatch")
class GraphQLView(BaseGraphQLView):
    pass
