"""What every backend answers: hits with scores, total count and facet counts."""
from __future__ import annotations

from dataclasses import dataclass, field


class EngineUnavailable(Exception):
    """The search engine did not answer (down, unreachable, timed out)."""


@dataclass
class Hit:
    object_id: str
    score: float


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, dict[str, int]]  # facet → value → count
    query_terms: list = field(default_factory=list)
    backend: str = ""
    fallback: bool = False  # answered by the embedded backend because the engine was down


class Backend:
    name = ""

    def index(self, search_index, documents, *, index_name: str | None = None) -> None:
        raise NotImplementedError

    def delete(self, search_index, object_ids, *, index_name: str | None = None) -> None:
        raise NotImplementedError

    def search(self, search_index, query: str, *, filters: dict[str, str] | None = None, size: int = 10,
               index_name: str | None = None, as_you_type: bool = False) -> SearchResult:
        """Hits for `query`; with `as_you_type` its last word counts as the beginning of a word."""
        raise NotImplementedError

    def rebuild(self, search_index, documents, *, total: int, progress=None, index_name: str | None = None) -> int:
        raise NotImplementedError

    def drop(self, search_index, *, index_name: str) -> None:
        """Remove a throwaway index."""
        raise NotImplementedError
