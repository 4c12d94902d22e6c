"""The embedded backend: an inverted index of analysed terms with weights in the database
(`fitstore.SearchTerm`), so it needs no server, works on SQLite and PostgreSQL, and every
process sees the same index. Scoring is BM25's idea without length normalisation (the fields'
weights already favour short, specific fields): score = Σ query weight × idf × term weight.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict

from django.db import IntegrityError, transaction

from . import analysis
from .base import Backend, Hit, SearchResult
from .models import SearchTerm

DOC_MARKER = "=doc"
BATCH = 500
PREFIX_EXPANSIONS = 100  # indexed terms a word being typed may stand for


def facet_term(facet: str, value) -> str:
    return f"={facet}:{value}"


class EmbeddedBackend(Backend):
    name = "embedded"

    def _rows(self, search_index, documents, index_name):
        for document in documents:
            yield SearchTerm(index=index_name, object_id=document.object_id, term=DOC_MARKER, weight=0.0)
            for facet in search_index.facets:
                value = document.facets.get(facet)
                if value not in (None, ""):
                    yield SearchTerm(index=index_name, object_id=document.object_id,
                                     term=facet_term(facet, value)[:120], weight=0.0)
            weights: dict[str, float] = {}
            for term, weight in search_index.weighted_terms(document).items():
                weights[term[:120]] = weights.get(term[:120], 0.0) + weight
            for term, weight in weights.items():
                yield SearchTerm(index=index_name, object_id=document.object_id, term=term, weight=weight)

    def index(self, search_index, documents, *, index_name=None):
        index_name = index_name or search_index.name
        documents = list(documents)
        for attempt in range(3):
            try:
                with transaction.atomic():
                    SearchTerm.objects.filter(
                        index=index_name, object_id__in=[d.object_id for d in documents]
                    ).delete()
                    SearchTerm.objects.bulk_create(self._rows(search_index, documents, index_name), batch_size=BATCH)
                return
            except IntegrityError:  # another process indexed the same object meanwhile: do it again
                if attempt == 2:
                    raise

    def delete(self, search_index, object_ids, *, index_name=None):
        SearchTerm.objects.filter(index=index_name or search_index.name, object_id__in=list(object_ids)).delete()

    def rebuild(self, search_index, documents, *, total, progress=None, index_name=None):
        """Replace the whole index in one transaction: readers see the old one until it commits."""
        index_name = index_name or search_index.name
        count = 0
        with transaction.atomic():
            SearchTerm.objects.filter(index=index_name).delete()
            batch = []
            for document in documents:
                batch.append(document)
                if len(batch) >= BATCH:
                    SearchTerm.objects.bulk_create(self._rows(search_index, batch, index_name), batch_size=BATCH)
                    count += len(batch)
                    if progress:
                        progress(len(batch))
                    batch = []
            if batch:
                SearchTerm.objects.bulk_create(self._rows(search_index, batch, index_name), batch_size=BATCH)
                count += len(batch)
                if progress:
                    progress(len(batch))
        return count

    def drop(self, search_index, *, index_name):
        SearchTerm.objects.filter(index=index_name).delete()

    # -- searching -------------------------------------------------------------------------

    def _expand_fuzzy(self, index_name: str, query_terms) -> dict[str, float]:
        """Query term weights, typos included: an indexed term within AUTO edits of a fuzzy
        query term that shares its first PREFIX_LENGTH characters counts, less the more edits."""
        weights: dict[str, float] = {}
        for query_term in query_terms:
            weights[query_term.term] = max(weights.get(query_term.term, 0.0), query_term.weight)
        for query_term in query_terms:
            if query_term.prefix:
                completions = (
                    SearchTerm.objects.filter(index=index_name, term__startswith=query_term.term)
                    .values_list("term", flat=True).distinct()[:PREFIX_EXPANSIONS]
                )
                for completion in completions:
                    weights[completion] = max(weights.get(completion, 0.0), query_term.weight)
                continue
            if not query_term.fuzzy:
                continue
            limit = analysis.max_edits(query_term.term)
            prefix = query_term.term[: analysis.PREFIX_LENGTH]
            candidates = (
                SearchTerm.objects.filter(index=index_name, term__startswith=prefix)
                .exclude(term=query_term.term).values_list("term", flat=True).distinct()
            )
            for candidate in candidates:
                distance = analysis.edit_distance(query_term.term, candidate, limit)
                if distance <= limit:
                    weight = query_term.weight * fuzzy_factor(distance)
                    weights[candidate] = max(weights.get(candidate, 0.0), weight)
        return weights

    def search(self, search_index, query, *, filters=None, size=10, index_name=None, as_you_type=False):
        index_name = index_name or search_index.name
        query_terms = (analysis.analyse_prefix_query if as_you_type else analysis.analyse_query)(query)
        if not query_terms:
            return SearchResult(0, [], {facet: {} for facet in search_index.facets}, [], self.name)
        weights = self._expand_fuzzy(index_name, query_terms)
        rows = SearchTerm.objects.filter(index=index_name, term__in=list(weights)).values_list(
            "object_id", "term", "weight"
        )
        total_documents = SearchTerm.objects.filter(index=index_name, term=DOC_MARKER).count()
        if not total_documents and index_name == search_index.name and search_index.get_queryset().exists():
            # A database migrated before search existed (or restored without the index): build
            # the index from the rows once, instead of answering "nothing found".
            total_documents = self.rebuild(search_index, _iter_documents(search_index), total=0)
            return self.search(search_index, query, filters=filters, size=size, index_name=index_name,
                               as_you_type=as_you_type)
        total_documents = total_documents or 1
        postings: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for object_id, term, weight in rows:
            postings[term].append((object_id, weight))
        scores: Counter = Counter()
        for term, entries in postings.items():
            df = len(entries)
            idf = math.log(1 + (total_documents - df + 0.5) / (df + 0.5))
            for object_id, weight in entries:
                scores[object_id] += weights[term] * idf * weight

        facet_values: dict[str, dict[str, str]] = defaultdict(dict)  # object → facet → value
        facet_rows = SearchTerm.objects.filter(index=index_name, term__startswith="=").exclude(term=DOC_MARKER)
        if len(scores) < 900:  # stay below SQLite's limit of bound parameters
            facet_rows = facet_rows.filter(object_id__in=list(scores))
        for object_id, term in facet_rows.values_list("object_id", "term"):
            facet, _, value = term[1:].partition(":")
            facet_values[object_id][facet] = value
        matching = [
            object_id for object_id in scores
            if all(facet_values[object_id].get(facet) == value for facet, value in (filters or {}).items() if value)
        ]
        facets = {facet: Counter() for facet in search_index.facets}
        for object_id in matching:
            for facet in search_index.facets:
                value = facet_values[object_id].get(facet)
                if value is not None:
                    facets[facet][value] += 1
        ranked = sorted(matching, key=lambda object_id: (-scores[object_id], object_id))
        hits = [Hit(object_id, round(scores[object_id], 4)) for object_id in ranked[:size]]
        return SearchResult(len(matching), hits, {k: dict(v) for k, v in facets.items()}, query_terms, self.name)


def _iter_documents(search_index):
    for obj in search_index.get_queryset().iterator(chunk_size=BATCH):
        yield search_index.document(obj)


def fuzzy_factor(distance: int) -> float:
    """How much a match with `distance` typos counts against an exact one."""
    return {0: 1.0, 1: 0.8, 2: 0.6}.get(distance, 0.0)
