"""Request ids: every request (and every management command) carries one into the audit log."""
import contextvars
import re
import uuid

_request_id = contextvars.ContextVar("request_id", default="")
_ACCEPTABLE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


def current_request_id() -> str:
    return _request_id.get()


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
        try:
            response = self.get_response(request)
        finally:
            reset_request_id(token)
        response["X-Request-ID"] = request.id
        return response


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


class SecurityHeadersMiddleware:
    """A strict Content-Security-Policy (no inline script, nothing from other origins) and a
    Permissions-Policy on every response. GraphiQL (DEBUG only) loads its code from a CDN and is
    left without the policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        is_graphiql = response.get("Content-Type", "").startswith("text/html") and request.path == "/graphql/"
        if not is_graphiql:
            response.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()")
        return response
