"""One search interface, two backends (chosen by settings.SEARCH_URL).

- Empty SEARCH_URL: the **embedded** backend, an inverted index in the database.
- `opensearch+http(s)://…` or `elasticsearch+http(s)://…`: the **engine** backend
  (elasticsearch-dsl). The embedded index is kept as well, so that search still answers —
  flagged as a fallback — while the engine is down.

Apps declare what they index in `<app>/search.py` (fitstore.search.indexes.SearchIndex). Services
call `index_on_commit(obj)` after a write: once the transaction commits, the object is indexed;
when the engine is unreachable the object is marked dirty (`SearchDirty`) and `catch_up()` (run
at the next successful write, or `manage.py search_index --catch-up`) indexes it later. A write
never fails because of search.
"""
from __future__ import annotations

import contextvars
import logging
import threading

from django.conf import settings
from django.db import transaction

from .base import EngineUnavailable, SearchResult
from .embedded import EmbeddedBackend
from .indexes import Document, SearchIndex, all_indexes, get_index, index_for_model, register

__all__ = [
    "Document", "SearchIndex", "SearchResult", "EngineUnavailable", "register", "get_index", "all_indexes",
    "get_backend", "search", "index_objects", "index_on_commit", "index_ids_on_commit", "index_audited_on_commit",
    "catch_up", "rebuild", "filter_queryset",
]

logger = logging.getLogger(__name__)


def engine_configured() -> bool:
    return bool(settings.SEARCH_URL)


def get_backend(name: str | None = None):
    """The backend by name ("embedded", "engine") or, without one, the configured backend."""
    if name == "embedded" or (name is None and not engine_configured()):
        return EmbeddedBackend()
    if not settings.SEARCH_URL:
        raise ValueError("The engine backend needs SEARCH_URL.")
    from .engine import EngineBackend

    return EngineBackend(settings.SEARCH_URL)


def search(index_name: str, query: str, *, filters=None, size: int = 10, backend: str | None = None,
           as_you_type: bool = False) -> SearchResult:
    """Search one declared index. With an engine configured but down, the embedded backend
    answers and the result says `fallback=True`. `as_you_type`: the last word is still being
    typed and matches every word it begins (suggestions for a search box)."""
    search_index = get_index(index_name)
    chosen = get_backend(backend)
    try:
        return chosen.search(search_index, query, filters=filters, size=size, as_you_type=as_you_type)
    except EngineUnavailable as error:
        if backend == "engine":
            raise
        logger.warning("search engine unavailable, answering from the embedded index: %s", error)
        result = EmbeddedBackend().search(search_index, query, filters=filters, size=size, as_you_type=as_you_type)
        result.fallback = True
        return result


def _documents(search_index, object_ids):
    objects = search_index.get_queryset().filter(pk__in=list(object_ids))
    documents = [search_index.document(obj) for obj in objects]
    missing = {str(object_id) for object_id in object_ids} - {document.object_id for document in documents}
    return documents, missing


def _mark_dirty(index_name: str, object_ids) -> None:
    from .models import SearchDirty

    for object_id in object_ids:
        SearchDirty.objects.get_or_create(index=index_name, object_id=str(object_id))


def index_objects(search_index: SearchIndex, object_ids) -> None:
    """(Re)index objects by primary key in the embedded index and, if configured, the engine;
    objects that no longer exist are removed. Engine failures mark the objects dirty."""
    forget_filter_hits()
    object_ids = [str(object_id) for object_id in object_ids]
    documents, missing = _documents(search_index, object_ids)
    embedded = EmbeddedBackend()
    embedded.index(search_index, documents)
    if missing:
        embedded.delete(search_index, missing)
    if not engine_configured():
        return
    try:
        engine = get_backend("engine")
        catch_up(search_index_names=[search_index.name])
        engine.index(search_index, documents)
        if missing:
            engine.delete(search_index, missing)
    except EngineUnavailable as error:
        logger.warning("search engine unavailable, %d objects marked dirty: %s", len(object_ids), error)
        _mark_dirty(search_index.name, object_ids)


_pending = threading.local()  # per thread (= per connection): index name → ids awaiting the commit


def index_ids_on_commit(search_index: SearchIndex, object_ids) -> None:
    """Index these objects once the current transaction commits. Requests of one transaction
    are gathered: the first callback indexes them all, once each (a service's explicit call and
    the audit hook of the same write do not index twice). Never raises into the write path."""
    queue = getattr(_pending, "queue", None)
    if queue is None:
        queue = _pending.queue = {}
    queue.setdefault(search_index.name, set()).update(str(object_id) for object_id in object_ids)
    transaction.on_commit(_flush)


def _flush() -> None:
    queue = getattr(_pending, "queue", None) or {}
    _pending.queue = {}
    for index_name, object_ids in queue.items():
        if not object_ids:
            continue
        try:
            index_objects(get_index(index_name), sorted(object_ids))
        except Exception:  # a write never fails because of search
            logger.exception("indexing %s %s failed", index_name, sorted(object_ids))
            try:
                _mark_dirty(index_name, object_ids)
            except Exception:
                logger.exception("could not mark %s %s dirty", index_name, sorted(object_ids))


def index_on_commit(obj) -> None:
    """Index `obj` once the current transaction commits; never raises into the write path."""
    search_index = index_for_model(type(obj))
    if search_index is not None:
        index_ids_on_commit(search_index, [obj.pk])


def index_audited_on_commit(model, object_id: str, before=None, after=None) -> None:
    """For an audit record of a write to `model`: every declared index that the write changes
    (SearchIndex.ids_for_audit) is updated once the transaction commits."""
    for search_index in all_indexes():
        object_ids = search_index.ids_for_audit(model, str(object_id), before, after)
        if object_ids:
            index_ids_on_commit(search_index, object_ids)


def catch_up(search_index_names=None) -> int:
    """Index the dirty objects in the engine; returns how many. Raises EngineUnavailable when
    the engine is still down (the rows stay dirty)."""
    from .models import SearchDirty

    if not engine_configured():
        return 0
    engine = get_backend("engine")
    done = 0
    for search_index in all_indexes():
        if search_index_names and search_index.name not in search_index_names:
            continue
        dirty = list(SearchDirty.objects.filter(index=search_index.name).values_list("pk", "object_id"))
        if not dirty:
            continue
        documents, missing = _documents(search_index, [object_id for _, object_id in dirty])
        engine.index(search_index, documents)
        if missing:
            engine.delete(search_index, missing)
        SearchDirty.objects.filter(pk__in=[pk for pk, _ in dirty]).delete()
        done += len(dirty)
    return done


def iter_documents(search_index, queryset=None, chunk_size: int = 500):
    queryset = queryset if queryset is not None else search_index.get_queryset()
    for obj in queryset.iterator(chunk_size=chunk_size):
        yield search_index.document(obj)


def rebuild(search_index: SearchIndex, *, backend: str | None = None, progress=None, queryset=None,
            index_name: str | None = None) -> int:
    """Build the index anew from the database (engine: new physical index, alias swapped)."""
    forget_filter_hits()
    chosen = get_backend(backend)
    queryset = queryset if queryset is not None else search_index.get_queryset()
    total = queryset.count()
    count = chosen.rebuild(search_index, iter_documents(search_index, queryset), total=total, progress=progress,
                           index_name=index_name)
    if chosen.name == "engine" and index_name is None:
        from .models import SearchDirty

        SearchDirty.objects.filter(index=search_index.name).delete()
    return count


FILTER_MIN_SCORE_RATIO = 0.2
"""A filter keeps the hits scoring at least this share of the best one: "Wohngeld" lists Wohngeld,
not every service whose LeiKa text mentions "Geld" (the ranked `search` API keeps them all)."""
_filter_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("fitstore_search_filter_memo", default=None)
"""The filter hits of the request being answered (fitstore.search.hooks opens it when a request
starts and closes it when it ends); None outside a request, where every filter searches."""


def remember_filter_hits() -> None:
    """From now on in this request (or context), equal filter searches share one answer: a
    list view applies its FilterSet once for the page and once per facet count."""
    _filter_memo.set({})


def forget_filter_hits() -> None:
    """Empty the memo of the current request, if any: after an index write (in this request) the
    next filter searches afresh. Other requests keep theirs: each is one moment of the index."""
    memo = _filter_memo.get()
    if memo is not None:
        memo.clear()


def stop_remembering_filter_hits() -> None:
    _filter_memo.set(None)


def _filter_hits(index_name: str, text: str, limit: int):
    """The hits a filter keeps, searched once per request (see remember_filter_hits)."""
    key = (index_name, text, limit, settings.SEARCH_URL)
    memo = _filter_memo.get()
    if memo is not None and key in memo:
        return memo[key]
    hits = search(index_name, text, size=limit).hits
    if hits:
        floor = hits[0].score * FILTER_MIN_SCORE_RATIO
        hits = [hit for hit in hits if hit.score >= floor]
    if memo is not None:
        memo[key] = hits
    return hits


def filter_queryset(queryset, index_name: str, text: str, *, literal_fields=(), limit: int = 1000):
    """`queryset` narrowed to the hits of `text` in the index, best first (then the queryset's
    own order), plus the rows whose `literal_fields` contain the text as typed (an identifier's
    fragment, a word the analysis drops), after the hits. The free-text filter of the
    FilterSets; the queryset keeps its permission filter, the hits are only ids."""
    from django.db.models import Case, IntegerField, Q, Value, When

    text = (text or "").strip()
    if not text:
        return queryset
    pk_field = queryset.model._meta.pk
    ids = []
    for hit in _filter_hits(index_name, text, limit):
        try:
            ids.append(pk_field.to_python(hit.object_id))
        except Exception:  # a stale id of another type: not a row of this queryset
            continue
    condition = Q(pk__in=ids)
    for field in literal_fields:
        condition |= Q(**{field if "__" in field else f"{field}__icontains": text})
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering) or ["pk"]
    if ids:
        rank = Case(*(When(pk=pk, then=Value(position)) for position, pk in enumerate(ids)),
                    default=Value(len(ids)), output_field=IntegerField())
        ordering = [rank, *ordering]
    return queryset.filter(condition).order_by(*ordering)
