"""Views of the project itself: the health check, sign-in and the signing keys."""
from django.conf import settings
from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import ratelimit, signing


def search_backend_name() -> str:
    if not settings.SEARCH_URL:
        return "embedded"
    return settings.SEARCH_URL.split("+", 1)[0].split(":", 1)[0]


@never_cache
@require_safe
def healthz(request):
    """200 when the database answers; says which search backend serves. No authentication."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # the point of a health check: any database failure is "unavailable"
        return JsonResponse({"status": "unavailable", "database": "unavailable", "search": search_backend_name()}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor, "search": search_backend_name()})


class ThrottledLoginView(LoginView):
    """Sign-in with at most settings.RATE_LIMITS["login"] attempts per address and window."""

    def post(self, request, *args, **kwargs):
        decision = ratelimit.hit("login", ratelimit.client_address(request))
        if not decision.allowed:
            form = self.get_form()
            form.errors.clear()
            form.add_error(None, _("Too many sign-in attempts. Please wait %(seconds)d seconds.") % {"seconds": decision.reset})
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(decision.reset)
            return response
        return super().post(request, *args, **kwargs)


@require_safe
def jwks(request):
    """The directory's public signing keys (JWKS, RFC 7517) for checking `destinationSignature`."""
    response = JsonResponse(signing.jwks())
    response["Cache-Control"] = "public, max-age=3600"
    return response
