"""The contract's `search`: full text over the catalogue of online services (German analysis),
hits with scores and highlights, facet counts with German labels.

Answered by the configured backend (fitstore.search); when the engine is down, by the embedded
index with `fallback: true`. Hits pass the same read path as `onlineService` (the public
catalogue) and are loaded in one query.
"""
import graphene

from fitstore import search
from fitstore.search.highlight import highlight
from store.models import OnlineService, Topic

from ..core.errors import BadUserInput
from ..core.search import DEFAULT_FIRST, check_search_arguments, found_objects, search_facets, search_field, search_result_type, state_filter
from ..core.types import MAX_PAGE_SIZE
from .types import OnlineServiceType

INDEX = "online_services"
DEFAULT_SUGGESTIONS = 5


class SearchHit(graphene.ObjectType):
    """One online service found by the full-text search, with its relevance."""

    score = graphene.Float(required=True, description="Relevance; comparable only within one answer.")
    highlight = graphene.String(description="Name or summary with the matching words in <em>…</em> (HTML-escaped).")
    online_service = graphene.Field(OnlineServiceType, required=True, description="The online service found.")


SearchResult = search_result_type(
    "SearchResult", "The answer of the full-text search over online services: hits, total and facets.", SearchHit,
    matching="Online services matching (with the filters).", facets="Counts per topic, providing state and lifecycle.",
)


class SearchQueries(graphene.ObjectType):
    search = search_field(
        SearchResult, typed="„Wohngeld beantragen“",
        description="Full-text search over the catalogue of online services, with facet counts.",
        provider_state="Only online services of this providing state (code, e.g. MV).",
        topic="Only online services of this topic (OZG Themenfeld code).",
    )

    search_suggestions = graphene.List(
        graphene.NonNull(SearchHit),
        required=True,
        query=graphene.String(required=True, description="What is in the search box so far, e.g. „Wohng“."),
        first=graphene.Int(description=f"Number of suggestions (default {DEFAULT_SUGGESTIONS}, at most {MAX_PAGE_SIZE})."),
        description="Search as you type: online services for the words typed so far, the last one possibly "
                    "unfinished („Eltern dig“ → „Elterngeld digital“).",
    )

    @staticmethod
    def resolve_search_suggestions(root, info, query, first=None):
        first = check_search_arguments(query, DEFAULT_SUGGESTIONS if first is None else first)
        result = search.search(INDEX, query, size=first, as_you_type=True)
        return _hits(result)

    @staticmethod
    def resolve_search(root, info, query, first=None, provider_state=None, topic=None):
        first = check_search_arguments(query, DEFAULT_FIRST if first is None else first)
        filters = {}
        if provider_state:
            filters["provider_state"] = state_filter(provider_state, "providerState")
        if topic:
            if not Topic.objects.filter(code=topic.strip()).exists():
                raise BadUserInput("topic", f"there is no topic with the code {topic!r}.")
            filters["topic"] = topic.strip()

        result = search.search(INDEX, query, filters=filters, size=first)
        return SearchResult(total_count=result.total, facets=search_facets(INDEX, result), hits=_hits(result),
                            fallback=result.fallback)


def _hits(result) -> list[SearchHit]:
    """The result's hits with their online services, loaded in one query through the public
    read path; hits whose object is gone since it was indexed are left out."""
    hits = []
    for hit, online_service in found_objects(result, OnlineService.objects.select_related("provider_state", "topic")):
        marked = [highlight(text, result.query_terms) for text in (online_service.name, online_service.summary)]
        hits.append(SearchHit(score=hit.score, highlight=" … ".join(m for m in marked if m) or None,
                              online_service=online_service))
    return hits
