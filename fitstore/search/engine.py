"""The engine backend: elasticsearch-dsl documents and queries on Elasticsearch or OpenSearch.

The client follows SEARCH_URL's scheme:
- `opensearch+http://host:9200/prefix` or `opensearch+https://…`: opensearch-py executes the
  DSL's `to_dict()` and the raw answer is wrapped in the DSL's `Response` (the elasticsearch 8
  client refuses to talk to OpenSearch);
- `elasticsearch+https://user:password@host:9200/prefix` (or `+http`): the elasticsearch client.
The path's first segment, if any, prefixes index names ("fitstore" → alias "fitstore-online_services").

Text is analysed in Python (fitstore.search.analysis) and indexed with a whitespace analyzer,
so both engines and the embedded backend agree on the terms. Every index is reached through an
alias; a rebuild fills a new physical index and swaps the alias in one atomic request.
"""
from __future__ import annotations

import logging
import math
import time
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from elasticsearch_dsl import A, Document, Index, Keyword, Q, Search, Text
from elasticsearch_dsl.response import Response

from . import analysis
from .base import Backend, EngineUnavailable, Hit, SearchResult
from .embedded import fuzzy_factor

logger = logging.getLogger(__name__)

TIMEOUT = 5  # seconds; a write must not hang on a dead engine
BULK_CHUNK = 500


class _Client:
    """The few calls we make, over opensearch-py or the elasticsearch client."""

    def __init__(self, url: str):
        parts = urlsplit(url)
        scheme, _, transport = parts.scheme.partition("+")
        if scheme not in ("opensearch", "elasticsearch") or transport not in ("http", "https"):
            raise ValueError(f"SEARCH_URL: unsupported scheme {parts.scheme!r} "
                             "(use opensearch+http(s):// or elasticsearch+http(s)://)")
        self.kind = scheme
        host = f"{transport}://{parts.hostname}:{parts.port or 9200}"
        auth = (unquote(parts.username), unquote(parts.password or "")) if parts.username else None
        self.prefix = parts.path.strip("/").split("/")[0]
        if scheme == "opensearch":
            from opensearchpy import OpenSearch

            self.raw = OpenSearch(hosts=[host], http_auth=auth, timeout=TIMEOUT, max_retries=0,
                                  retry_on_timeout=False)
        else:
            from elasticsearch import Elasticsearch

            self.raw = Elasticsearch(host, basic_auth=auth, request_timeout=TIMEOUT, max_retries=0,
                                     retry_on_timeout=False)

    def call(self, method: str, **kwargs):
        """A client call; connection problems and server errors become EngineUnavailable,
        except a 404, which callers read as an answer."""
        target = self.raw
        for name in method.split("."):
            target = getattr(target, name)
        if self.kind == "elasticsearch" and "body" in kwargs:
            body = kwargs.pop("body")
            if method == "bulk":
                kwargs["operations"] = body
            elif method == "indices.update_aliases":
                kwargs["actions"] = body["actions"]
            else:
                kwargs.update({("source" if key == "_source" else key): value for key, value in body.items()})
        try:
            return target(**kwargs)
        except Exception as error:  # both clients' transport errors and API errors
            status = getattr(error, "status_code", None) or getattr(getattr(error, "meta", None), "status", None)
            if status == 404:
                raise LookupError(str(error)) from error
            raise EngineUnavailable(f"{method}: {error}") from error


def idf(total: int, df: int) -> float:
    """BM25's inverse document frequency, as the embedded backend computes it."""
    return math.log(1 + (total - df + 0.5) / (df + 0.5))


@lru_cache(maxsize=8)
def client_for(url: str) -> _Client:
    return _Client(url)


def document_class(search_index) -> type[Document]:
    """The elasticsearch-dsl Document of an index: one whitespace-analysed text field per
    declared field and one for its compound parts, keywords for facets, the display texts."""
    attrs = {"__module__": __name__}
    for name in search_index.fields:
        attrs[name] = Text(analyzer="whitespace", norms=False)
        attrs[f"{name}_parts"] = Text(analyzer="whitespace", norms=False)
    for facet in search_index.facets:
        attrs[f"facet_{facet}"] = Keyword()
    for name in search_index.highlight_fields:
        attrs[f"display_{name}"] = Text(index=False)
    return type(f"{search_index.name.title().replace('_', '')}Document", (Document,), attrs)


class EngineBackend(Backend):
    name = "engine"

    def __init__(self, url: str):
        self.client = client_for(url)

    # -- names ----------------------------------------------------------------------------

    def alias(self, search_index, index_name=None) -> str:
        base = index_name or search_index.name
        return f"{self.client.prefix}-{base}" if self.client.prefix else base

    def _new_physical(self, alias: str) -> str:
        return f"{alias}-{time.strftime('%Y%m%d%H%M%S')}-{time.monotonic_ns() % 1_000_000:06d}"

    def _create_physical(self, search_index, physical: str) -> None:
        index = Index(physical)
        index.settings(number_of_shards=1, number_of_replicas=0)
        index.document(document_class(search_index))
        self.client.call("indices.create", index=physical, body=index.to_dict())

    def _physical_indexes(self, alias: str) -> list[str]:
        if not self.client.call("indices.exists_alias", name=alias):
            return []
        try:
            return sorted(self.client.call("indices.get_alias", name=alias))
        except LookupError:
            return []

    def ensure_index(self, search_index, index_name=None) -> str:
        """The alias, creating a physical index behind it on first use."""
        alias = self.alias(search_index, index_name)
        if not self._physical_indexes(alias):
            physical = self._new_physical(alias)
            self._create_physical(search_index, physical)
            self.client.call("indices.update_aliases", body={"actions": [{"add": {"index": physical, "alias": alias}}]})
        return alias

    # -- writing --------------------------------------------------------------------------

    def _source(self, search_index, document) -> dict:
        body = search_index.engine_fields(document)
        for facet in search_index.facets:
            body[f"facet_{facet}"] = document.facets.get(facet)
        for name in search_index.highlight_fields:
            body[f"display_{name}"] = document.text(name)
        return body

    def _bulk(self, target: str, search_index, documents, *, refresh) -> int:
        lines, count = [], 0
        for document in documents:
            lines.append({"index": {"_index": target, "_id": document.object_id}})
            lines.append(self._source(search_index, document))
            count += 1
            if len(lines) >= 2 * BULK_CHUNK:
                self._send(lines, refresh=False)
                lines = []
        if lines:
            self._send(lines, refresh=refresh)
        return count

    def _send(self, lines, *, refresh):
        answer = self.client.call("bulk", body=lines, refresh="true" if refresh else "false")
        if answer.get("errors"):
            failed = [item for item in answer["items"] if list(item.values())[0].get("error")]
            raise EngineUnavailable(f"bulk: {len(failed)} documents refused: {failed[:1]}")

    def index(self, search_index, documents, *, index_name=None):
        alias = self.ensure_index(search_index, index_name)
        self._bulk(alias, search_index, list(documents), refresh=True)

    def delete(self, search_index, object_ids, *, index_name=None):
        alias = self.ensure_index(search_index, index_name)
        lines = [{"delete": {"_index": alias, "_id": object_id}} for object_id in object_ids]
        if lines:
            self.client.call("bulk", body=lines, refresh="true")

    def rebuild(self, search_index, documents, *, total, progress=None, index_name=None):
        """Fill a new physical index, then swap the alias atomically (zero downtime) and drop
        the old physical indexes."""
        alias = self.alias(search_index, index_name)
        physical = self._new_physical(alias)
        self._create_physical(search_index, physical)
        count, batch = 0, []
        for document in documents:
            batch.append(document)
            if len(batch) >= BULK_CHUNK:
                count += self._bulk(physical, search_index, batch, refresh=False)
                if progress:
                    progress(len(batch))
                batch = []
        count += self._bulk(physical, search_index, batch, refresh=True) if batch else 0
        if progress and batch:
            progress(len(batch))
        self.client.call("indices.refresh", index=physical)
        old = self._physical_indexes(alias)
        actions = [{"remove": {"index": name, "alias": alias}} for name in old]
        actions.append({"add": {"index": physical, "alias": alias}})
        self.client.call("indices.update_aliases", body={"actions": actions})
        for name in old:
            try:
                self.client.call("indices.delete", index=name)
            except LookupError:
                pass
        return count

    def drop(self, search_index, *, index_name):
        alias = self.alias(search_index, index_name)
        for name in self._physical_indexes(alias):
            try:
                self.client.call("indices.delete", index=name)
            except LookupError:
                pass

    # -- searching ------------------------------------------------------------------------

    @staticmethod
    def _whole_fields(search_index) -> dict[str, float]:
        return dict(search_index.fields)

    @staticmethod
    def _all_fields(search_index) -> dict[str, float]:
        """Whole-term fields at the field's weight, compound-part fields at half."""
        fields = {}
        for name, weight in search_index.fields.items():
            fields[name] = weight
            fields[f"{name}_parts"] = weight * analysis.PART_WEIGHT
        return fields

    def _exact(self, search_index, term: str) -> Q:
        return Q("multi_match", query=term, fields=list(self._all_fields(search_index)))

    def _typo(self, search_index, term: str, field: str | None = None) -> Q:
        """Within AUTO edits of `term`, sharing its first PREFIX_LENGTH characters, but not `term` itself."""
        fields = [field] if field else list(self._whole_fields(search_index))
        return Q("bool", must=[Q("multi_match", query=term, fields=fields, fuzziness="AUTO",
                                 prefix_length=analysis.PREFIX_LENGTH, max_expansions=50)],
                 must_not=[Q("multi_match", query=term, fields=fields)])

    def _prefix(self, search_index, term: str, field: str | None = None) -> Q:
        fields = [field] if field else list(self._whole_fields(search_index))
        return Q("bool", should=[Q("prefix", **{name: {"value": term}}) for name in fields], minimum_should_match=1)

    def build_stats_search(self, search_index, query_terms, *, alias=None) -> Search:
        """How many documents contain each query term in any field (and how many only a typo
        of it): the engine's IDF is per field, ours is per document, as on the embedded backend."""
        search = Search(index=alias).extra(size=0, track_total_hits=True)
        for number, query_term in enumerate(query_terms):
            if query_term.prefix:
                search.aggs.bucket(f"exact{number}", A("filter", filter=self._prefix(search_index, query_term.term)))
                continue
            search.aggs.bucket(f"exact{number}", A("filter", filter=self._exact(search_index, query_term.term)))
            if query_term.fuzzy:
                search.aggs.bucket(f"typo{number}", A("filter", filter=self._typo(search_index, query_term.term)))
        return search

    def build_search(self, search_index, query_terms, *, filters=None, size=10, alias=None, stats=None) -> Search:
        """The DSL query, scoring as the embedded backend does: per query term and field a
        constant score of query weight × idf × field weight (parts at half the field's weight),
        a typo (fuzzy match with a prefix, AUTO edits) at fuzzy_factor(1) of that; the filters in
        filter context; terms aggregations for the facets. `stats` is the answer of
        build_stats_search (document counts); without it every term counts alike."""
        total = stats["total"] if stats else 1
        should = []
        for number, query_term in enumerate(query_terms):
            df = stats["exact"].get(number, 0) if stats else 0
            if query_term.prefix:
                term_idf = idf(total, df) if stats else 1.0
                for field, weight in self._whole_fields(search_index).items():
                    should.append(Q("constant_score", filter=self._prefix(search_index, query_term.term, field),
                                    boost=round(query_term.weight * term_idf * weight, 6)))
                continue
            if not stats or df:
                term_idf = idf(total, df) if stats else 1.0
                for field, weight in self._all_fields(search_index).items():
                    should.append(Q("constant_score", filter=Q("term", **{field: query_term.term}),
                                    boost=round(query_term.weight * term_idf * weight, 6)))
            typo_df = stats["typo"].get(number, 0) if stats else 1
            if query_term.fuzzy and typo_df:
                typo_idf = idf(total, typo_df) if stats else 1.0
                for field, weight in self._whole_fields(search_index).items():
                    should.append(Q("constant_score", filter=self._typo(search_index, query_term.term, field),
                                    boost=round(query_term.weight * typo_idf * weight * fuzzy_factor(1), 6)))
        filter_clauses = [Q("term", **{f"facet_{facet}": value}) for facet, value in (filters or {}).items() if value]
        if not should:
            should = [Q("match_none")]
        search = Search(index=alias).query(Q("bool", should=should, minimum_should_match=1, filter=filter_clauses))
        for facet in search_index.facets:
            search.aggs.bucket(facet, A("terms", field=f"facet_{facet}", size=100))
        return search.extra(size=size, track_total_hits=True).source(False)

    def _stats(self, search_index, query_terms, alias) -> dict:
        search = self.build_stats_search(search_index, query_terms, alias=alias)
        response = Response(search, self.client.call("search", index=alias, body=search.to_dict()))
        aggregations = response.aggregations
        counts = {"exact": {}, "typo": {}}
        for number, query_term in enumerate(query_terms):
            counts["exact"][number] = getattr(aggregations, f"exact{number}").doc_count
            if query_term.fuzzy:
                counts["typo"][number] = getattr(aggregations, f"typo{number}").doc_count
        total = response.hits.total.value if hasattr(response.hits.total, "value") else int(response.hits.total)
        counts["total"] = max(total, 1)
        return counts

    def search(self, search_index, query, *, filters=None, size=10, index_name=None, as_you_type=False):
        query_terms = (analysis.analyse_prefix_query if as_you_type else analysis.analyse_query)(query)
        if not query_terms:
            return SearchResult(0, [], {facet: {} for facet in search_index.facets}, [], self.name)
        alias = self.alias(search_index, index_name)
        try:
            stats = self._stats(search_index, query_terms, alias)
            search = self.build_search(search_index, query_terms, filters=filters, size=size, alias=alias, stats=stats)
            raw = self.client.call("search", index=alias, body=search.to_dict())
        except LookupError as error:  # never built: let the embedded index answer
            raise EngineUnavailable(f"no index {alias}; run manage.py search_index --rebuild") from error
        response = Response(search, raw)
        hits = [Hit(str(hit.meta.id), round(float(hit.meta.score or 0.0), 4)) for hit in response]
        facets = {
            facet: {str(bucket.key): bucket.doc_count for bucket in getattr(response.aggregations, facet).buckets}
            for facet in search_index.facets
        }
        total = response.hits.total.value if hasattr(response.hits.total, "value") else int(response.hits.total)
        return SearchResult(total, hits, facets, query_terms, self.name)
