"""How an app declares what it indexes (NetBox's `search.py`): a `SearchIndex` per model with
weighted text fields and facets, registered in `<app>/search.py`. Only the backends know the
engine; an index only turns an object into a `Document`.

The registry is filled once, at start-up: each app imports its `search.py` in its
`AppConfig.ready()`, before any request or command runs, and nothing registers later. Readers
never fill it on first use, so no thread can see it half-filled (issue 22: a fresh worker's
threads found it empty while the first of them was still importing the apps' indexes).
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from . import analysis

_registry: dict[str, "SearchIndex"] = {}


@dataclass
class Document:
    """What one object contributes: text per declared field, one value per facet, and what a
    hit shows (display texts, used for highlights)."""

    object_id: str
    texts: dict[str, str | list[str]]
    facets: dict[str, str | None] = field(default_factory=dict)

    def text(self, name: str) -> str:
        value = self.texts.get(name) or ""
        return " \n".join(value) if isinstance(value, (list, tuple)) else value


class SearchIndex:
    """Base of an app's declaration. Subclasses set `name`, `model`, `fields` ({field: weight}),
    `facets` ({facet: German label}), `highlight_fields` and implement `document()`."""

    name: str = ""
    model = None
    fields: dict[str, float] = {}
    facets: dict[str, str] = {}
    highlight_fields: tuple[str, ...] = ()

    def get_queryset(self):
        return self.model._default_manager.all()

    def document(self, obj) -> Document:  # pragma: no cover - abstract
        raise NotImplementedError

    def ids_for_audit(self, model, object_id: str, before: dict | None, after: dict | None) -> list[str]:
        """Which objects of this index an audited write to `model` (row `object_id`, snapshots
        before/after) changes; the audit hook reindexes them on commit. Default: the row itself
        when it is one of ours; an index whose documents include related rows extends this."""
        if self.model is not None and isinstance(model, type) and issubclass(model, self.model):
            return [object_id]
        return []

    def facet_labels(self, facet: str, values: list[str]) -> dict[str, str]:
        """German labels of facet values (default: the value itself)."""
        return {value: value for value in values}

    def weighted_terms(self, document: Document) -> dict[str, float]:
        """Term → weight of a document: the field's weight for each whole-word stem, half of it
        for compound parts, term frequency saturating (tf / (tf + 1) * 2, so once counts 1)."""
        weights: Counter = Counter()
        for name, weight in self.fields.items():
            terms = analysis.analyse(document.text(name))
            for counts, factor in ((Counter(terms.whole), 1.0), (Counter(terms.parts), analysis.PART_WEIGHT)):
                for term, tf in counts.items():
                    weights[term] += weight * factor * (2 * tf / (tf + 1))
        return dict(weights)

    def engine_fields(self, document: Document) -> dict[str, str]:
        """The document as the engine indexes it: per field its analysed whole terms and parts,
        each a whitespace-separated string (the engine's analyzer only splits on spaces)."""
        body = {}
        for name in self.fields:
            terms = analysis.analyse(document.text(name))
            body[name] = " ".join(terms.whole)
            body[f"{name}_parts"] = " ".join(terms.parts)
        return body


def register(index_class: type[SearchIndex]) -> type[SearchIndex]:
    """Class decorator for `<app>/search.py`, which the app imports in its AppConfig.ready()."""
    _registry[index_class.name] = index_class()
    return index_class


def get_index(name: str) -> SearchIndex:
    try:
        return _registry[name]
    except KeyError:
        raise LookupError(f"No search index {name!r} is registered (registered: {', '.join(sorted(_registry))}); "
                          "an app registers its indexes by importing its search.py in AppConfig.ready().") from None


def all_indexes() -> list[SearchIndex]:
    return list(_registry.values())


def index_for_model(model) -> SearchIndex | None:
    for index in _registry.values():
        if index.model is model or (index.model and isinstance(model, type) and issubclass(model, index.model)):
            return index
    return None
