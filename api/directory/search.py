"""The directory's full-text search (`searchAuthorities`): authorities by name, identifier,
seat, kind, state and the LeiKa names of their responsibilities (German analysis), with facet
counts per state and kind. Needs a token, like `authorities`; hits pass the same read path."""
import graphene

from directory.access import restrict_authorities
from directory.choices import AuthorityKind
from directory.models import Authority
from fitstore import search
from fitstore.search.highlight import highlight

from ..core.errors import BadUserInput
from ..core.search import DEFAULT_FIRST, check_search_arguments, found_objects, search_facets, search_field, search_result_type, state_filter
from .types import AuthorityType, require_directory_reader

AUTHORITY_INDEX = "authorities"


class AuthoritySearchHit(graphene.ObjectType):
    """One authority found by the directory's full-text search, with its relevance."""

    score = graphene.Float(required=True, description="Relevance; comparable only within one answer.")
    highlight = graphene.String(description="The name with the matching words in <em>…</em> (HTML-escaped).")
    authority = graphene.Field(AuthorityType, required=True, description="The authority found.")


AuthoritySearchResult = search_result_type(
    "AuthoritySearchResult", "The answer of the full-text search over the directory's authorities: hits, total and "
    "facets.", AuthoritySearchHit, matching="Authorities matching (with the filters).",
    facets="Counts per state and kind.",
)


class AuthoritySearchQueries(graphene.ObjectType):
    search_authorities = search_field(
        AuthoritySearchResult, typed="„Wohngeldstelle Starnberg“",
        description="Full-text search over the directory's authorities (name, identifier, seat, kind, state, LeiKa "
                    "names of their responsibilities; German analysis), with facet counts per state and kind. "
                    "Needs a token, like `authorities`.",
        state="Only authorities of this state (code, e.g. BY).",
        kind="Only authorities of this kind (AuthorityKind, e.g. MUNICIPAL).",
    )

    @staticmethod
    def resolve_search_authorities(root, info, query, first=None, state=None, kind=None):
        require_directory_reader(info)
        first = check_search_arguments(query, DEFAULT_FIRST if first is None else first)
        filters = {}
        if state:
            filters["state"] = state_filter(state, "state")
        if kind:
            if kind.strip().upper() not in AuthorityKind.values:
                raise BadUserInput("kind", f"use one of {', '.join(AuthorityKind.values)}.")
            filters["kind"] = kind.strip().upper()
        # The directory's read rule is all or nothing (directory.access.may_read_directory): whoever
        # passes require_directory_reader may read every authority, so the engine's total and
        # facets count only what the caller may read. A finer rule must become a search filter
        # here (the read matrix compares totals and facets with the hits for every role).
        result = search.search(AUTHORITY_INDEX, query, filters=filters, size=first)
        readable = restrict_authorities(Authority.objects.select_related("state", "region"), info.context.user)
        hits = [
            AuthoritySearchHit(score=hit.score, highlight=highlight(authority.name, result.query_terms),
                               authority=authority)
            for hit, authority in found_objects(result, readable)
        ]
        return AuthoritySearchResult(total_count=result.total, facets=search_facets(AUTHORITY_INDEX, result),
                                     hits=hits, fallback=result.fallback)
