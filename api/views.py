"""The GraphQL endpoint at /graphql/, GraphQL over HTTP as the specification has it.

Media types: a client that accepts `application/graphql-response+json` gets it, with 400 when a
request fails before execution (parse, validation, variable coercion); a client of the older
`application/json` gets 200 with the errors in the body. Malformed parameters (`extensions`
not an object, …) are 400.

Bearer tokens are checked by `fitstore.auth.BearerTokenMiddleware`; a request whose token is
unknown, expired or revoked gets 401 before anything executes. Errors that are not ours (bugs,
database failures) reach clients as "Internal server error" with the request id, never with
their text; the log has the traceback.
"""
import json
import logging
from functools import lru_cache

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_exempt
from graphene_django.views import GraphQLView as BaseGraphQLView
from graphene_django.views import HttpError
from graphene_django.settings import graphene_settings
from graphql import ExecutionResult, GraphQLError, OperationType, execute, get_operation_ast, parse, specified_rules, validate

from fitstore import ratelimit
from fitstore.graphql_limits import LIMITS, DepthAndAliasRule, cost_error

from fitstore.middleware import current_request_id

logger = logging.getLogger("fitstore.api")

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


@lru_cache(maxsize=1024)
def parse_and_validate(schema, query: str):
    """The parsed document and its validation errors, cached: gateways send the same few
    operations again and again, so each is parsed and validated once per process."""
    try:
        document = parse(query)
    except GraphQLError as error:
        return None, (error,)
    errors = validate(schema, document, (*specified_rules, DepthAndAliasRule), max_errors=graphene_settings.MAX_VALIDATION_ERRORS)
    return document, tuple(errors)


def accepted_media_type(request) -> str:
    """The response media type: graphql-response+json where the client names it first,
    application/json otherwise (also without an Accept header or with */*, as the spec asks)."""
    accept = request.headers.get("Accept", "")
    if not accept.strip():
        return JSON
    ranked = []
    for position, item in enumerate(accept.split(",")):
        media, *params = [part.strip() for part in item.split(";")]
        quality = 1.0
        for param in params:
            if param.startswith("q="):
                try:
                    quality = float(param[2:])
                except ValueError:
                    quality = 0.0
        ranked.append((-quality, position, media.lower()))
    for _quality, _position, media in sorted(ranked):
        if media == GRAPHQL_RESPONSE:
            return GRAPHQL_RESPONSE
        if media in (JSON, "application/*", "*/*"):
            return JSON
    return JSON


@method_decorator(csrf_exempt, name="dispatch")
class GraphQLView(BaseGraphQLView):
    # GraphiQL from our own static files (api/static/api/vendor/), not graphene-django's CDN.
    graphiql_template = "api/graphiql.html"

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
        decision = ratelimit.hit(*ratelimit.api_identity(request))
        if not decision.allowed:
            response = JsonResponse(
                {"errors": [{"message": f"Too many requests; try again in {decision.reset} s.",
                             "extensions": {"code": "RATE_LIMITED", "retryAfter": decision.reset}}]},
                status=429,
            )
            for name, value in decision.headers().items():
                response[name] = value
            return response
        # The API speaks English unless the caller asks for another language explicitly.
        language = translation.get_language_from_request(request) if "HTTP_ACCEPT_LANGUAGE" in request.META else "en"
        request.graphql_media_type = accepted_media_type(request)
        if int(request.META.get("CONTENT_LENGTH") or 0) > LIMITS.max_body_bytes:
            return JsonResponse(
                {"errors": [{"message": f"The request body exceeds {LIMITS.max_body_bytes:,} bytes.",
                             "extensions": {"code": "PAYLOAD_TOO_LARGE"}}]},
                status=413,
            )
        with translation.override(language):
            response = super().dispatch(request, *args, **kwargs)
        if response.get("Content-Type", "").startswith(JSON):
            response["Content-Type"] = f"{request.graphql_media_type}; charset=utf-8"
        for name, value in decision.headers().items():
            response[name] = value
        return response

    def execute_graphql_request(self, request, data, query, variables, operation_name, show_graphiql=False):
        if not query:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseBadRequest("Must provide query string."))
        if not isinstance(query, str) or len(query) > LIMITS.max_body_bytes:
            raise HttpError(HttpResponseBadRequest("The query is missing or too long."))
        schema = self.schema.graphql_schema
        document, errors = parse_and_validate(schema, query)
        if errors:
            return ExecutionResult(data=None, errors=list(errors))
        operation = get_operation_ast(document, operation_name)
        if request.method == "GET" and operation is not None and operation.operation != OperationType.QUERY:
            if show_graphiql:
                return None
            raise HttpError(HttpResponseNotAllowed(["POST"], "Only queries may be sent with GET; use POST."))
        if operation is not None:
            too_costly = cost_error(document, operation, variables if isinstance(variables, dict) else {})
            if too_costly:
                return ExecutionResult(data=None, errors=[too_costly])
        options = {
            "root_value": self.get_root_value(request),
            "context_value": self.get_context(request),
            "variable_values": variables,
            "operation_name": operation_name,
            "middleware": self.get_middleware(request),
        }
        try:
            if operation is not None and operation.operation == OperationType.MUTATION:
                with transaction.atomic():
                    return execute(schema, document, **options)
            return execute(schema, document, **options)
        except Exception as error:  # reported, masked by format_error
            return ExecutionResult(errors=[error])

    def parse_body(self, request):
        data = super().parse_body(request)
        for name, kind in (("query", str), ("operationName", str), ("variables", (dict, str)),
                           ("extensions", (dict, str))):
            value = data.get(name) if hasattr(data, "get") else None
            if value is None:
                continue
            if not isinstance(value, kind) or (name == "extensions" and isinstance(value, str) and not _json_object(value)):
                raise HttpError(HttpResponseBadRequest(f"The parameter {name} is malformed."))
        return data

    def get_response(self, request, data, show_graphiql=False):
        result, status_code = super().get_response(request, data, show_graphiql)
        if status_code == 400 and getattr(request, "graphql_media_type", JSON) == JSON:
            # application/json clients read errors from a 200 body (the spec's SHOULD).
            status_code = 200
        return result, status_code

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


def _json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False
