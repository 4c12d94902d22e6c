"""API tokens and `Authorization: Bearer` authentication.

A token is `fst_` followed by 43 random URL-safe characters; only its SHA-256 is stored. A request
with a Bearer header is authenticated by the token alone (no session, no CSRF); a request with an
unknown, expired or revoked token is anonymous and marked, so the API answers 401.
"""
import secrets
from datetime import timedelta

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from .models import ApiToken, hash_token

TOKEN_PREFIX = "fst_"
LAST_USED_RESOLUTION = timedelta(minutes=1)


def generate_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def bearer_token(request) -> str | None:
    """The raw token of an `Authorization: Bearer …` header, '' for a malformed one, None if absent."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "bearer":
        return None
    return value.strip()


def authenticate_token(raw: str) -> ApiToken | None:
    if not raw or not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = ApiToken.objects.usable().select_related("user").filter(key_hash=hash_token(raw)).first()
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        # Coarse on purpose: at most one write per token and minute, not one per request.
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.user.authenticated_token = token
    return token


class BearerTokenMiddleware:
    """Authenticates `Authorization: Bearer` requests; runs after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = bearer_token(request)
        request.token_error = None
        if raw is not None:
            token = authenticate_token(raw)
            if token is None:
                request.token_error = "invalid_token"
                request.user = AnonymousUser()
            else:
                request.api_token = token
                request.user = token.user
            # A bearer request carries no ambient credentials, so CSRF does not apply.
            request._dont_enforce_csrf_checks = True
        return self.get_response(request)
