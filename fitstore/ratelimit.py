"""Rate limits per API token, per address and for sign-in, in fixed windows kept in the cache.

Sign-in counts failures only, per account (the user name typed) and per address separately: a
successful sign-in resets the account's count, and the address limit is high enough for a
ministry whose staff sign in from behind one NAT address (docs/security.md gives the numbers).

With `CACHE_URL` (Redis in production) all workers share the counters; without it each process
counts for itself. Answers carry FIT-Connect's headers (`RateLimit-Limit`, `RateLimit-Remaining`,
`RateLimit-Reset`) and, when refused, `429` with `Retry-After`.
"""
import hashlib
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache


@dataclass(frozen=True)
class Decision:
    allowed: bool
    limit: int
    remaining: int
    reset: int  # seconds until the window ends

    def headers(self) -> dict[str, str]:
        headers = {
            "RateLimit-Limit": str(self.limit),
            "RateLimit-Remaining": str(self.remaining),
            "RateLimit-Reset": str(self.reset),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.reset)
        return headers


def _window(scope: str) -> tuple[int, int, str, float]:
    limit, window = settings.RATE_LIMITS[scope]
    now = time.time()
    return limit, window, str(int(now // window * window)), now


def _key(scope: str, identity: str, start: str) -> str:
    return "rl:{}:{}:{}".format(scope, hashlib.sha256(identity.encode()).hexdigest()[:32], start)


def _decision(limit: int, window: int, start: str, now: float, count: int, *, allowed: bool) -> Decision:
    reset = max(int(int(start) + window - now), 1)
    return Decision(allowed=allowed, limit=limit, remaining=max(limit - count, 0), reset=reset)


def hit(scope: str, identity: str) -> Decision:
    """Count one request of `identity` in `scope` (a key of settings.RATE_LIMITS)."""
    limit, window, start, now = _window(scope)
    key = _key(scope, identity, start)
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    return _decision(limit, window, start, now, count, allowed=count <= limit)


def check(scope: str, identity: str) -> Decision:
    """Whether `identity` may try once more in `scope`, without counting: for limits that count
    only failures (sign-in), which `hit` counts once they happened."""
    limit, window, start, now = _window(scope)
    count = cache.get(_key(scope, identity, start)) or 0
    return _decision(limit, window, start, now, count, allowed=count < limit)


def reset(scope: str, identity: str) -> None:
    """Forget what `identity` has counted in the current window of `scope` (e.g. an account's
    failed sign-ins once it signs in)."""
    _limit, _window_seconds, start, _now = _window(scope)
    cache.delete(_key(scope, identity, start))


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def api_identity(request) -> tuple[str, str]:
    """(scope, identity): tokens are limited per token, everyone else per address."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return "api-token", f"token:{token.pk}"
    return "api-anonymous", f"address:{client_address(request)}"
