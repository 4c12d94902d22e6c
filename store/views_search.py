"""Search as you type for the UI's search boxes: GET /suche/vorschlaege?q=wohng answers JSON with
up to 8 suggestions, online services (name and page) first, then completed words that lead to
the catalogue's search (fitstore/static/fitstore/suggest.js shows them as a combobox).

Public like the catalogue, rate-limited per address like the other public endpoints
(fitstore.ratelimit, scope "api-anonymous"), cacheable for a minute.
"""
import re
from urllib.parse import urlencode

from django.http import JsonResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.translation import gettext, ngettext
from django.views.decorators.http import require_GET

from fitstore import ratelimit, search
from fitstore.search import analysis

from .models import OnlineService

MAX_SUGGESTIONS = 8
MAX_SERVICES = 5
MAX_QUERY_LENGTH = 200
CACHE_SECONDS = 60
_WORD = re.compile(r"[\wÄÖÜäöüß]+(?:-[\wÄÖÜäöüß]+)*")


def _answer(data: dict, status: int, decision) -> JsonResponse:
    response = JsonResponse(data, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in decision.headers().items():
        response[name] = value
    if status == 200:
        patch_cache_control(response, public=True, max_age=CACHE_SECONDS)
        patch_vary_headers(response, ["Accept-Language", "Cookie"])  # the labels follow the language
    else:
        patch_cache_control(response, no_store=True)
    return response


def _completions(typed: str, names: list[str], limit: int) -> list[str]:
    """Words of the hits' names that complete the last word typed ("wohng" → "Wohngeld"), with
    the words typed before it ("Eltern dig" → "Eltern digital"); umlauts folded alike."""
    words = typed.split()
    if not words or not limit:
        return []
    head, last = words[:-1], analysis.fold(words[-1]).lower()
    seen, found = set(), []
    for name in names:
        for word in _WORD.findall(name):
            folded = analysis.fold(word).lower()
            if folded.startswith(last) and folded != last and folded not in seen:
                seen.add(folded)
                found.append(" ".join([*head, word]))
                if len(found) == limit:
                    return found
    return found


@require_GET
def suggestions(request):
    decision = ratelimit.hit("api-anonymous", f"address:{ratelimit.client_address(request)}")
    if not decision.allowed:
        return _answer({"error": f"Too many requests; retry after {decision.reset} seconds."}, 429, decision)
    typed = " ".join((request.GET.get("q") or "").split())
    if len(typed) > MAX_QUERY_LENGTH:
        return _answer({"error": f"q: at most {MAX_QUERY_LENGTH} characters."}, 400, decision)
    if len(typed) < 2:
        return _answer({"query": typed, "suggestions": []}, 200, decision)
    result = search.search("online_services", typed, size=MAX_SUGGESTIONS, as_you_type=True)
    ids = [int(hit.object_id) for hit in result.hits if hit.object_id.isdigit()]
    by_id = OnlineService.objects.only("pk", "slug", "name").in_bulk(ids)
    services = [by_id[pk] for pk in ids if pk in by_id]
    suggestions = [
        {"kind": "service", "kind_label": gettext("Online service"), "label": service.name, "url": reverse("store:online_service_detail", args=[service.slug])}
        for service in services[:MAX_SERVICES]
    ]
    catalogue = reverse("store:online_service_list")
    for term in _completions(typed, [service.name for service in services], MAX_SUGGESTIONS - len(suggestions)):
        suggestions.append({"kind": "term", "kind_label": gettext("Search term"), "label": term, "url": f"{catalogue}?{urlencode({'q': term})}"})
    status = ngettext("%(count)d suggestion", "%(count)d suggestions", len(suggestions)) % {"count": len(suggestions)}
    return _answer({"query": typed, "fallback": result.fallback, "status": status, "suggestions": suggestions},
                   200, decision)
