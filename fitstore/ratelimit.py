"""Rate limits per API token, per address and for sign-in, in fixed windows kept in the cache.

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


def hit(scope: str, identity: str) -> Decision:
    """Count one request of `identity` in `scope` (a key of settings.RATE_LIMITS)."""
    limit, window = settings.RATE_LIMITS[scope]
    now = time.time()
    start = int(now // window * window)
    key = "rl:{}:{}:{}".format(scope, hashlib.sha256(identity.encode()).hexdigest()[:32], start)
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    reset = max(int(start + window - now), 1)
    return Decision(allowed=count <= limit, limit=limit, remaining=max(limit - count, 0), reset=reset)


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def api_identity(request) -> tuple[str, str]:
    """(scope, identity): tokens are limited per token, everyone else per address."""
    token = getattr(request, "api_token", None)
    if token is not None:
        return "api-token", f"token:{token.pk}"
    return "api-anonymous", f"address:{client_address(request)}"
