"""The directory's full-text search (`searchAuthorities`): authorities by name, identifier,
seat, kind, state and the LeiKa names of their responsibilities (German analysis), with facet
counts per state and kind. Needs a token, like `authorities`; hits pass the same read path."""
import graphene

from directory.access import restrict_authorities
from directory.choices import AuthorityKind
from directory.models import Authority, State
from fitstore import search
from fitstore.search.highlight import highlight

from ..core.errors import BadUserInput
from ..core.search import DEFAULT_FIRST, SearchFacet, check_search_arguments, found_objects, search_facets
from ..core.types import MAX_PAGE_SIZE
from .types import AuthorityType, require_directory_reader

AUTHORITY_INDEX = "authorities"


class AuthoritySearchHit(graphene.ObjectType):
    """One authority found by the directory's full-text search, with its relevance."""

    score = graphene.Float(required=True, description="Relevance; comparable only within one answer.")
    highlight = graphene.String(description="The name with the matching words in <em>…</em> (HTML-escaped).")
    authority = graphene.Field(AuthorityType, required=True, description="The authority found.")


class AuthoritySearchResult(graphene.ObjectType):
    """The answer of the full-text search over the directory's authorities: hits, total and facets."""

    total_count = graphene.Int(required=True, description="Authorities matching (with the filters).")
    facets = graphene.List(graphene.NonNull(SearchFacet), required=True, description="Counts per state and kind.")
    hits = graphene.List(graphene.NonNull(AuthoritySearchHit), required=True, description="The best `first` hits, best first.")
    fallback = graphene.Boolean(
        required=True, description="True when the search engine was unreachable and the embedded index answered."
    )


class AuthoritySearchQueries(graphene.ObjectType):
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
        require_directory_reader(info)
        first = check_search_arguments(query, DEFAULT_FIRST if first is None else first)
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
        hits = [
            AuthoritySearchHit(score=hit.score, highlight=highlight(authority.name, result.query_terms),
                               authority=authority)
            for hit, authority in found_objects(result, readable)
        ]
        return AuthoritySearchResult(total_count=result.total, facets=search_facets(AUTHORITY_INDEX, result),
                                     hits=hits, fallback=result.fallback)
