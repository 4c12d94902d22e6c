"""The GraphQL endpoint at /graphql/.

Bearer tokens are checked by `fitstore.auth.BearerTokenMiddleware`; a request whose token is
unknown, expired or revoked gets 401 before anything executes. Errors that are not ours (bugs,
database failures) reach clients as "Internal server error" with the request id, never with
their text; the log has the traceback.
"""
import logging

from django.conf import settings
from django.http import JsonResponse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView as BaseGraphQLView
from graphql import GraphQLError

from fitstore.middleware import current_request_id

logger = logging.getLogger("fitstore.api")


@method_decorator(csrf_exempt, name="dispatch")
class GraphQLView(BaseGraphQLView):
    def __init__(self, **kwargs):
        kwargs.setdefault("graphiql", settings.DEBUG)
        super().__init__(**kwargs)

    def dispatch(self, request, *args, **kwargs):
        if getattr(request, "token_error", None):
            response = JsonResponse(
                {"errors": [{"message": "The API token is unknown, expired or revoked.",
                             "extensions": {"code": "UNAUTHENTICATED"}}]},
                status=401,
            )
            response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return response
        # The API speaks English unless the caller asks for another language explicitly.
        language = translation.get_language_from_request(request) if "HTTP_ACCEPT_LANGUAGE" in request.META else "en"
        with translation.override(language):
            return super().dispatch(request, *args, **kwargs)

    @staticmethod
    def format_error(error):
        if isinstance(error, GraphQLError):
            original = error.original_error
            if original is None or isinstance(original, GraphQLError):
                return error.formatted
            logger.error("GraphQL resolver failed", exc_info=original)
            return {
                "message": "Internal server error",
                "locations": error.formatted.get("locations"),
                "path": error.path,
                "extensions": {"code": "INTERNAL_SERVER_ERROR", "requestId": current_request_id()},
            }
        return BaseGraphQLView.format_error(error)
