"""API tokens and `Authorization: Bearer` authentication.

A token is `fst_` followed by 43 random URL-safe characters; only its SHA-256 is stored. A request
with a Bearer header is authenticated by the token alone (no session, no CSRF); a request with an
unknown, expired or revoked token is anonymous and marked, so the API answers 401.
"""
import re
import secrets
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db import transaction
from django.dispatch import receiver
from django.utils import timezone

from . import audit
from .choices import AuditAction
from .middleware import bind_request
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


# --- sign-in and sign-out in the audit log ------------------------------------------------------
#
# Sessions are attributable: every sign-in, sign-out and failed sign-in leaves an audit row with
# the session's keyed hash, the address and the request id, so that a session's writes (which
# carry the same hash) can be traced to where it began.

_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f]")


def _record_session_event(verb: str, action: str, user, request, *, username: str = "") -> None:
    with transaction.atomic(), bind_request(request):
        if user is not None:
            audit.record(verb, user, actor=user, action=action, after={})
            return
        known = get_user_model()._default_manager.filter(**{get_user_model().USERNAME_FIELD: username}).first()
        audit.record(verb, known or get_user_model()(**{get_user_model().USERNAME_FIELD: username}),
                     actor=f"anonymous:{username}"[:150], action=action, after={},
                     object_id=None if known else "", note=f"username: {username}")


@receiver(user_logged_in, dispatch_uid="fitstore.audit.signed_in")
def _signed_in(sender, request, user, **kwargs):
    _record_session_event("sign_in", AuditAction.SIGNED_IN, user, request)


@receiver(user_logged_out, dispatch_uid="fitstore.audit.signed_out")
def _signed_out(sender, request, user, **kwargs):
    if user is None:  # signing out without a session changes nothing
        return
    _record_session_event("sign_out", AuditAction.SIGNED_OUT, user, request)


@receiver(user_login_failed, dispatch_uid="fitstore.audit.sign_in_failed")
def _sign_in_failed(sender, credentials, request=None, **kwargs):
    field = get_user_model().USERNAME_FIELD
    username = str(credentials.get(field) or credentials.get("username") or "")
    _record_session_event("sign_in_failed", AuditAction.SIGN_IN_FAILED, None, request,
                          username=_UNPRINTABLE.sub("\ufffd", username)[:120])
