"""Views of the project itself: the home page and the health check."""
from django.conf import settings
from django.contrib.auth.views import LoginView
from django.db import connection
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from directory.models import State
from store.models import LifeSituation, OnlineService, Topic

from . import ratelimit, signing


@require_safe
def home(request):
    """The search box and the user journeys ("Nutzerreisen"): topics with their life situations.

    Life situations without OZG services or online services are left out (the catalogue has a
    few empty test rows). The data does not say which situations concern citizens and which
    businesses, so they are grouped by their topic."""
    from store.views import with_url_slugs

    topics = list(Topic.objects.annotate(
        online_service_count=Count("online_services", distinct=True),
        ozg_service_count=Count("ozg_services", distinct=True),
    ).order_by("name"))
    situations = with_url_slugs(LifeSituation.objects.annotate(
        online_service_count=Count("online_services", distinct=True),
        ozg_service_count=Count("ozg_services", distinct=True),
    ).filter(Q(online_service_count__gt=0) | Q(ozg_service_count__gt=0)).order_by("name"))
    by_topic = {}
    for situation in situations:
        by_topic.setdefault(situation.topic_id, []).append(situation)
    for topic in topics:
        topic.situations = by_topic.get(topic.pk, [])
    return render(
        request,
        "home.html",
        {
            "topics": topics,
            "states": State.objects.order_by("name"),
            "online_service_count": OnlineService.objects.count(),
        },
    )


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
