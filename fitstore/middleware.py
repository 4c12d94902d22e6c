"""Request ids: every request (and every management command) carries one into the audit log."""
import contextvars
import json
import re
import uuid

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.http import HttpResponseBadRequest, JsonResponse
from django.utils.translation import gettext as _

_request_id = contextvars.ContextVar("request_id", default="")
_request = contextvars.ContextVar("request", default=None)
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def current_request_id() -> str:
    return _request_id.get()


def current_request():
    """The request being answered (for the audit log's token, session and address), else None."""
    return _request.get()


def set_request_id(value: str) -> contextvars.Token:
    return _request_id.set(value)


def reset_request_id(token: contextvars.Token) -> None:
    _request_id.reset(token)


class RequestIdMiddleware:
    """Takes a well-formed `X-Request-ID` from the caller or makes one, and echoes it back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get("X-Request-ID", "")
        request.id = given if _ACCEPTABLE.match(given) else uuid.uuid4().hex
        token = set_request_id(request.id)
        request_token = _request.set(request)
        try:
            response = self.get_response(request)
        finally:
            _request.reset(request_token)
            reset_request_id(token)
        response["X-Request-ID"] = request.id
        return response


class bind_request:
    """Context manager: `request` as the current request (when given and not already so), for
    writes made outside the middleware's reach, e.g. from auth signals of the test client."""

    def __init__(self, request):
        self.request = request
        self._token = None

    def __enter__(self):
        if self.request is not None and _request.get() is not self.request:
            self._token = _request.set(self.request)
        return self.request

    def __exit__(self, *exc):
        if self._token is not None:
            _request.reset(self._token)
        return False


class command_request_id:
    """Context manager: a request id (`cmd-<name>-<hex>`) for the writes of a management command."""

    def __init__(self, name: str):
        self.value = f"cmd-{name}-{uuid.uuid4().hex[:12]}"

    def __enter__(self):
        self._token = set_request_id(self.value)
        return self.value

    def __exit__(self, *exc):
        reset_request_id(self._token)
        return False


CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


# GraphiQL (DEBUG only) runs from the project's static files; its stylesheet embeds its fonts
# as data: URIs. Everything else as on every page: no inline script, nothing from other origins.
GRAPHIQL_CONTENT_SECURITY_POLICY = CONTENT_SECURITY_POLICY.replace("font-src 'self'", "font-src 'self' data:")


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline script, nothing from other origins) and a
    Permissions-Policy on every response; GraphiQL's page (DEBUG only) the same policy with
    fonts from data: URIs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        is_graphiql = response.get("Content-Type", "").startswith("text/html") and request.path == "/graphql/"
        response.setdefault("Content-Security-Policy",
                            GRAPHIQL_CONTENT_SECURITY_POLICY if is_graphiql else CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        return response


def _unsafe_character(text: str) -> bool:
    """A NUL byte (PostgreSQL cannot store it) or a lone surrogate (not encodable as UTF-8)."""
    if "\x00" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _unsafe_path(value, path: str = "") -> str | None:
    """The path (e.g. `variables.input.name`) of the first unsafe string in decoded JSON, else None."""
    if isinstance(value, str):
        return path or "(body)" if _unsafe_character(value) else None
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}.{key}" if path else str(key)
            if _unsafe_character(str(key)):
                return where
            found = _unsafe_path(item, where)
            if found:
                return found
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = _unsafe_path(item, f"{path}[{index}]")
            if found:
                return found
    return None


class InputHygieneMiddleware:
    """Refuses, with 400 and the name of the parameter, requests that carry a NUL byte or a lone
    UTF-16 surrogate in the path, the query string, a form field or a JSON body.

    No field of the FIT-Store may hold them, and they do not reach the database cleanly (PostgreSQL
    refuses NUL, neither driver encodes a lone surrogate): refused here, they never turn into a 500
    deep inside a view or resolver. JSON bodies are read only up to Django's upload limit."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = self._unsafe(request)
        if where is not None:
            return self._refuse(request, where)
        return self.get_response(request)

    def _unsafe(self, request) -> str | None:
        if _unsafe_character(request.path):
            return "path"
        for name, values in request.GET.lists():
            if _unsafe_character(name) or any(_unsafe_character(value) for value in values):
                return name
        if request.method not in ("POST", "PUT", "PATCH"):
            return None
        content_type = request.content_type or ""
        if content_type == "application/json" or content_type.endswith("+json"):
            try:
                data = json.loads(request.body or b"null")
            except (ValueError, RequestDataTooBig):
                return None  # the view answers malformed or oversized bodies itself
            return _unsafe_path(data)
        if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            try:
                fields = request.POST
            except (RequestDataTooBig, TooManyFieldsSent, ValueError):
                return None
            for name, values in fields.lists():
                if _unsafe_character(name) or any(_unsafe_character(value) for value in values):
                    return name
        return None

    def _refuse(self, request, where: str):
        shown = where[:80].replace("\x00", "\\0").encode("utf-8", "replace").decode("utf-8")
        message = _("The request contains a NUL byte or an invalid character in %(parameter)s.") % {"parameter": shown}
        if request.path.startswith("/fit-connect/"):  # the routing API answers in RFC 9457 problem details
            return JsonResponse({"type": "about:blank", "title": "Bad Request", "status": 400, "detail": message,
                                 "instance": request.build_absolute_uri(request.path.replace("\x00", ""))},
                                status=400, content_type="application/problem+json",
                                json_dumps_params={"ensure_ascii": False})
        if request.path.startswith("/graphql/") or "json" in (request.content_type or ""):
            return JsonResponse(
                {"errors": [{"message": message, "extensions": {"code": "BAD_USER_INPUT", "argument": shown}}]},
                status=400,
            )
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
