"""The contract's `search`: full text over the catalogue of online services (German analysis),
hits with scores and highlights, facet counts with German labels.

Answered by the configured backend (fitstore.search); when the engine is down, by the embedded
index with `fallback: true`. Hits pass the same read path as `onlineService` (the public
catalogue) and are loaded in one query.
"""
import graphene
from graphene.utils.str_converters import to_camel_case

from api.core.errors import BadUserInput
from api.core.types import MAX_PAGE_SIZE
from directory.models import State
from fitstore import search
from fitstore.search.highlight import highlight
from store.models import OnlineService, Topic

from .types import OnlineServiceType

AUTHORITY_INDEX = "authorities"

INDEX = "online_services"
DEFAULT_FIRST = 10
DEFAULT_SUGGESTIONS = 5


def _check_arguments(query: str, first: int) -> int:
    if first < 0:
        raise BadUserInput("first", "must not be negative.")
    if first > MAX_PAGE_SIZE:
        raise BadUserInput("first", f"at most {MAX_PAGE_SIZE} items per page.")
    if len(query) > 200:
        raise BadUserInput("query", "at most 200 characters.")
    return first


class SearchFacetBucket(graphene.ObjectType):
    """One value of a search facet and how many hits have it."""

    value = graphene.String(required=True, description="The value to filter by: a topic code, a state code, a Lifecycle.")
    label = graphene.String(required=True, description="German label, e.g. „Familie & Kind“, „Bayern“, „Verfügbar“.")
    count = graphene.Int(required=True, description="Hits with this value.")


class SearchFacet(graphene.ObjectType):
    """A facet of the search result (topic, providing state, lifecycle) with its values."""

    name = graphene.String(required=True, description="topic, providerState or lifecycle.")
    label = graphene.String(required=True, description="German label of the facet.")
    buckets = graphene.List(graphene.NonNull(SearchFacetBucket), required=True, description="The facet's values with their hit counts.")


class SearchHit(graphene.ObjectType):
    """One online service found by the full-text search, with its relevance."""

    score = graphene.Float(required=True, description="Relevance; comparable only within one answer.")
    highlight = graphene.String(description="Name or summary with the matching words in <em>…</em> (HTML-escaped).")
    online_service = graphene.Field(OnlineServiceType, required=True, description="The online service found.")


class SearchResult(graphene.ObjectType):
    """The answer of the full-text search over online services: hits, total and facets."""

    total_count = graphene.Int(required=True, description="Online services matching (with the filters).")
    facets = graphene.List(graphene.NonNull(SearchFacet), required=True, description="Counts per topic, providing state and lifecycle.")
    hits = graphene.List(graphene.NonNull(SearchHit), required=True, description="The best `first` hits, best first.")
    fallback = graphene.Boolean(
        required=True, description="True when the search engine was unreachable and the embedded index answered."
    )


class AuthoritySearchHit(graphene.ObjectType):
    """One authority found by the directory's full-text search, with its relevance."""

    score = graphene.Float(required=True, description="Relevance; comparable only within one answer.")
    highlight = graphene.String(description="The name with the matching words in <em>…</em> (HTML-escaped).")
    authority = graphene.Field("api.directory.types.AuthorityType", required=True, description="The authority found.")


class AuthoritySearchResult(graphene.ObjectType):
    """The answer of the full-text search over the directory's authorities: hits, total and facets."""

    total_count = graphene.Int(required=True, description="Authorities matching (with the filters).")
    facets = graphene.List(graphene.NonNull(SearchFacet), required=True, description="Counts per state and kind.")
    hits = graphene.List(graphene.NonNull(AuthoritySearchHit), required=True, description="The best `first` hits, best first.")
    fallback = graphene.Boolean(
        required=True, description="True when the search engine was unreachable and the embedded index answered."
    )


def _facets(index_name: str, result) -> list[SearchFacet]:
    search_index = search.get_index(index_name)
    facets = []
    for facet, label in search_index.facets.items():
        counts = result.facets.get(facet, {})
        labels = search_index.facet_labels(facet, list(counts))
        buckets = [
            SearchFacetBucket(value=value, label=labels.get(value, value), count=count)
            for value, count in sorted(counts.items(), key=lambda item: (-item[1], labels.get(item[0], item[0])))
        ]
        facets.append(SearchFacet(name=to_camel_case(facet), label=label, buckets=buckets))
    return facets


class SearchQueries(graphene.ObjectType):
    search = graphene.Field(
        SearchResult,
        required=True,
        query=graphene.String(required=True, description="What the user typed, e.g. „Wohngeld beantragen“."),
        first=graphene.Int(description=f"Number of hits (default {DEFAULT_FIRST}, at most {MAX_PAGE_SIZE})."),
        provider_state=graphene.String(description="Only online services of this providing state (code, e.g. MV)."),
        topic=graphene.String(description="Only online services of this topic (OZG Themenfeld code)."),
        description="Full-text search over the catalogue of online services, with facet counts.",
    )

    search_suggestions = graphene.List(
        graphene.NonNull(SearchHit),
        required=True,
        query=graphene.String(required=True, description="What is in the search box so far, e.g. „Wohng“."),
        first=graphene.Int(description=f"Number of suggestions (default {DEFAULT_SUGGESTIONS}, at most {MAX_PAGE_SIZE})."),
        description="Search as you type: online services for the words typed so far, the last one possibly "
                    "unfinished („Eltern dig“ → „Elterngeld digital“).",
    )

    search_authorities = graphene.Field(
        AuthoritySearchResult,
        required=True,
        query=graphene.String(required=True, description="What the user typed, e.g. „Wohngeldstelle Starnberg“."),
        first=graphene.Int(description=f"Number of hits (default {DEFAULT_FIRST}, at most {MAX_PAGE_SIZE})."),
        state=graphene.String(description="Only authorities of this state (code, e.g. BY)."),
        kind=graphene.String(description="Only authorities of this kind (AuthorityKind, e.g. MUNICIPAL)."),
        description="Full-text search over the directory's authorities (name, identifier, seat, kind, state, LeiKa "
                    "names of their responsibilities; German analysis), with facet counts per state and kind. "
                    "Needs a token, like `authorities`.",
    )

    @staticmethod
    def resolve_search_authorities(root, info, query, first=None, state=None, kind=None):
        from api.directory.types import require_directory_reader
        from directory.access import restrict_authorities
        from directory.choices import AuthorityKind
        from directory.models import Authority

        require_directory_reader(info)
        first = _check_arguments(query, DEFAULT_FIRST if first is None else first)
        filters = {}
        if state:
            code = state.strip().upper()
            if not State.objects.filter(code=code).exists():
                raise BadUserInput("state", f"there is no state with the code {state!r}.")
            filters["state"] = code
        if kind:
            if kind.strip().upper() not in AuthorityKind.values:
                raise BadUserInput("kind", f"use one of {', '.join(AuthorityKind.values)}.")
            filters["kind"] = kind.strip().upper()
        result = search.search(AUTHORITY_INDEX, query, filters=filters, size=first)
        readable = restrict_authorities(Authority.objects.select_related("state", "region"), info.context.user)
        by_id = readable.in_bulk([int(hit.object_id) for hit in result.hits if hit.object_id.isdigit()])
        hits = []
        for hit in result.hits:
            authority = by_id.get(int(hit.object_id)) if hit.object_id.isdigit() else None
            if authority is not None:
                hits.append(AuthoritySearchHit(score=hit.score, highlight=highlight(authority.name, result.query_terms),
                                               authority=authority))
        return AuthoritySearchResult(total_count=result.total, facets=_facets(AUTHORITY_INDEX, result), hits=hits,
                                     fallback=result.fallback)

    @staticmethod
    def resolve_search_suggestions(root, info, query, first=None):
        first = _check_arguments(query, DEFAULT_SUGGESTIONS if first is None else first)
        result = search.search(INDEX, query, size=first, as_you_type=True)
        return _hits(result)

    @staticmethod
    def resolve_search(root, info, query, first=None, provider_state=None, topic=None):
        first = _check_arguments(query, DEFAULT_FIRST if first is None else first)
        filters = {}
        if provider_state:
            state = State.objects.by_code(provider_state)
            if state is None:
                raise BadUserInput("providerState", f"there is no state with the code {provider_state!r}.")
            filters["provider_state"] = state.code
        if topic:
            if not Topic.objects.filter(code=topic.strip()).exists():
                raise BadUserInput("topic", f"there is no topic with the code {topic!r}.")
            filters["topic"] = topic.strip()

        result = search.search(INDEX, query, filters=filters, size=first)
        return SearchResult(total_count=result.total, facets=_facets(INDEX, result), hits=_hits(result),
                            fallback=result.fallback)


def _hits(result) -> list[SearchHit]:
    """The result's hits with their online services, loaded in one query through the public
    read path; hits whose object is gone since it was indexed are left out."""
    by_id = OnlineService.objects.select_related("provider_state", "topic").in_bulk(
        [int(hit.object_id) for hit in result.hits if hit.object_id.isdigit()]
    )
    hits = []
    for hit in result.hits:
        online_service = by_id.get(int(hit.object_id)) if hit.object_id.isdigit() else None
        if online_service is None:
            continue
        marked = [highlight(text, result.query_terms) for text in (online_service.name, online_service.summary)]
        hits.append(SearchHit(score=hit.score, highlight=" … ".join(m for m in marked if m) or None,
                              online_service=online_service))
    return hits
