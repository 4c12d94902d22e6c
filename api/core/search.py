"""What the full-text searches of the API share (the catalogue's `search`, the directory's
`searchAuthorities`): argument checks, facets with German labels, and loading the hits' objects
through the caller's read path."""
import graphene
from graphene.utils.str_converters import to_camel_case

from directory.models import State
from fitstore import search

from .errors import BadUserInput
from .types import MAX_PAGE_SIZE

DEFAULT_FIRST = 10
MAX_QUERY_LENGTH = 200


def check_search_arguments(query: str, first: int) -> int:
    """`first` when it and the query are within bounds; else BAD_USER_INPUT naming the argument."""
    if first < 0:
        raise BadUserInput("first", "must not be negative.")
    if first > MAX_PAGE_SIZE:
        raise BadUserInput("first", f"at most {MAX_PAGE_SIZE} items per page.")
    if len(query) > MAX_QUERY_LENGTH:
        raise BadUserInput("query", f"at most {MAX_QUERY_LENGTH} characters.")
    return first


def state_filter(value: str, argument: str) -> str:
    """The code of the state a search is narrowed to; BAD_USER_INPUT naming `argument` when no
    state has it."""
    state = State.objects.by_code(value)
    if state is None:
        raise BadUserInput(argument, f"there is no state with the code {value!r}.")
    return state.code


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


def search_field(result_type, *, typed: str, description: str, **filters: str) -> graphene.Field:
    """The query field of a full-text search: `query` (`typed`: an example of what users type),
    `first`, and a String argument per filter (name → description), in that order."""
    arguments = {
        "query": graphene.String(required=True, description=f"What the user typed, e.g. {typed}."),
        "first": graphene.Int(description=f"Number of hits (default {DEFAULT_FIRST}, at most {MAX_PAGE_SIZE})."),
    }
    arguments.update({name: graphene.String(description=text) for name, text in filters.items()})
    return graphene.Field(result_type, required=True, description=description, **arguments)


def search_result_type(name: str, description: str, hit_type, *, matching: str, facets: str):
    """The answer type of a full-text search: how many match, the facets, the best hits (of
    `hit_type`) and whether the embedded index stood in for the engine."""
    return type(name, (graphene.ObjectType,), {
        "__doc__": description,
        "total_count": graphene.Int(required=True, description=matching),
        "facets": graphene.List(graphene.NonNull(SearchFacet), required=True, description=facets),
        "hits": graphene.List(graphene.NonNull(hit_type), required=True, description="The best `first` hits, best first."),
        "fallback": graphene.Boolean(
            required=True, description="True when the search engine was unreachable and the embedded index answered."
        ),
    })


def search_facets(index_name: str, result) -> list[SearchFacet]:
    """The facets the index declares, with the result's counts, most hits first."""
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


def found_objects(result, queryset) -> list[tuple]:
    """(hit, object) for the result's hits, the objects loaded from `queryset` (what the caller
    may read) in one query; hits whose object is gone or not readable are left out."""
    by_id = queryset.in_bulk([int(hit.object_id) for hit in result.hits if hit.object_id.isdigit()])
    found = []
    for hit in result.hits:
        instance = by_id.get(int(hit.object_id)) if hit.object_id.isdigit() else None
        if instance is not None:
            found.append((hit, instance))
    return found
