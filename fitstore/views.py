"""Views of the project itself: the health check, sign-in and the signing keys."""
from django.conf import settings
from django.contrib.auth.views import LoginView
from django.db import connection
from django.http import HttpResponseServerError, JsonResponse
from django.template import loader
from django.utils import translation
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from . import ratelimit, signing
from .middleware import current_request_id


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
    """Sign-in, refused for a while after too many failures: at most
    settings.RATE_LIMITS["login-account"] failures per account name and ["login-address"] per
    address in a window. Only failures count; signing in resets the account's count. Every
    failure is audited (fitstore.auth)."""

    def post(self, request, *args, **kwargs):
        account = self.account_identity(request)
        address = f"address:{ratelimit.client_address(request)}"
        for scope, identity in (("login-account", account), ("login-address", address)):
            decision = ratelimit.check(scope, identity)
            if not decision.allowed:
                return self.refuse(decision)
        response = super().post(request, *args, **kwargs)
        if request.user.is_authenticated:
            ratelimit.reset("login-account", account)
        else:
            ratelimit.hit("login-account", account)
            ratelimit.hit("login-address", address)
        return response

    @staticmethod
    def account_identity(request) -> str:
        return "account:" + (request.POST.get("username") or "").strip().casefold()[:150]

    def refuse(self, decision):
        form = self.get_form()
        form.errors.clear()
        minutes = max(1, -(-decision.reset // 60))
        form.add_error(None, ngettext(
            "Too many failed sign-in attempts. Please wait a minute and try again.",
            "Too many failed sign-in attempts. Please wait %(minutes)d minutes and try again.",
            minutes,
        ) % {"minutes": minutes})
        response = self.render_to_response(self.get_context_data(form=form), status=429)
        response["Retry-After"] = str(decision.reset)
        return response


def server_error(request, template_name="500.html"):
    """The 500 page, in the site's frame, with the request id to quote to the operators. Rendered
    without the request's context processors: nothing that could fail again (the database, the
    session) is touched."""
    context = {"request_id": current_request_id(), "LANGUAGE_CODE": translation.get_language()}
    return HttpResponseServerError(loader.get_template(template_name).render(context))


@require_safe
def jwks(request):
    """The directory's public signing keys (JWKS, RFC 7517) for checking `destinationSignature`."""
    response = JsonResponse(signing.jwks())
    response["Cache-Control"] = "public, max-age=3600"
    return response
