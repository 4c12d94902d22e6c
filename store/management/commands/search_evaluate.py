"""`manage.py search_evaluate` — how well search finds what citizens look for.

Builds a throwaway catalogue of all OZG-Leistungen as online services (name = the OZG-Leistung,
its topic, life situation and LeiKa services) in a transaction that is rolled back, indexes it in
a throwaway index of the chosen backend, runs every query of the queries files and prints
MRR@10 and recall@5 (the expected OZG-Leistung's rank among the hits).

    search_evaluate [--queries PATH ...] [--backend embedded|engine] [-v 2: every query's rank]

Queries files: `query<TAB>expected OZG-Leistung (exact name)`, `#` starts a comment. Default:
../shared/relevance/dev-queries.tsv (the development set) and data/search/queries.tsv (ours).
"""
import logging
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from tqdm import tqdm

from directory.models import State
from fitstore import search
from store import services
from store.models import OzgService

ACTOR = "system:search_evaluate"


def default_query_files() -> list[Path]:
    return [settings.BASE_DIR.parent / "shared" / "relevance" / "dev-queries.tsv",
            settings.DATA_DIR / "search" / "queries.tsv"]


def read_queries(path: Path) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#") or "\t" not in line:
            continue
        query, expected = line.split("\t", 1)
        pairs.append((query.strip(), expected.strip()))
    return pairs


class _Rollback(Exception):
    pass


def evaluate(pairs, *, backend: str, progress=None) -> dict:
    """Ranks of the expected OZG-Leistung for each query, over a throwaway catalogue."""
    search_index = search.get_index("online_services")
    chosen = search.get_backend(backend)
    index_name = f"evaluate-{uuid.uuid4().hex[:8]}"
    result = {}
    try:
        with transaction.atomic():
            states = list(State.objects.order_by("ars"))
            ids_by_name: dict[str, set[str]] = {}
            ozg_services = OzgService.objects.select_related("life_situation", "topic").prefetch_related(
                "leika_services"
            )
            created = []
            for number, ozg in enumerate(ozg_services):
                online_service = services.register_online_service(
                    slug=f"evaluate-ozg-{ozg.ozg_id}", name=ozg.name, provider_state=states[number % len(states)],
                    topic=ozg.topic, life_situations=[ozg.life_situation],
                    services=[leika.pk for leika in ozg.leika_services.all()], actor=ACTOR,
                )
                ids_by_name.setdefault(ozg.name, set()).add(str(online_service.pk))
                created.append(online_service.pk)
                if progress:
                    progress(1)
            queryset = search_index.get_queryset().filter(pk__in=created)
            search.rebuild(search_index, backend=backend, queryset=queryset, index_name=index_name)
            rows = []
            for query, expected in pairs:
                if expected not in ids_by_name:
                    raise CommandError(f"No OZG-Leistung named {expected!r} (query {query!r}).")
                answer = chosen.search(search_index, query, size=10, index_name=index_name)
                ranked = [hit.object_id for hit in answer.hits]
                rank = next((i for i, object_id in enumerate(ranked, 1) if object_id in ids_by_name[expected]), None)
                names = {object_id: name for name, ids in ids_by_name.items() for object_id in ids}
                rows.append((query, expected, rank, [names.get(object_id, "?") for object_id in ranked[:3]]))
            result["rows"] = rows
            raise _Rollback
    except _Rollback:
        pass
    finally:
        if chosen.name == "engine":
            try:
                chosen.drop(search_index, index_name=index_name)
            except Exception:  # the throwaway index is not worth a failure
                pass
    rows = result["rows"]
    n = len(rows) or 1
    result["mrr"] = sum(1 / rank for _, _, rank, _ in rows if rank and rank <= 10) / n
    result["recall5"] = sum(1 for _, _, rank, _ in rows if rank and rank <= 5) / n
    return result


class Command(BaseCommand):
    help = "Evaluate search relevance (MRR@10, recall@5) over a throwaway catalogue of all OZG-Leistungen."

    def add_arguments(self, parser):
        parser.add_argument("--queries", action="append", type=Path, help="Queries file (repeatable).")
        parser.add_argument("--backend", choices=("embedded", "engine"),
                            help="Default: the configured one (engine when SEARCH_URL is set).")

    def handle(self, *args, queries, backend, verbosity, **options):
        files = queries or [path for path in default_query_files() if path.exists()]
        pairs = []
        for path in files:
            if not path.exists():
                raise CommandError(f"No queries file {path}.")
            pairs.extend(read_queries(path))
        if not pairs:
            raise CommandError("No queries.")
        backend = backend or ("engine" if search.engine_configured() else "embedded")
        for name in ("opensearch", "elastic_transport", "elasticsearch"):  # one line per request is noise here
            logging.getLogger(name).setLevel(logging.WARNING)
        started = time.monotonic()
        total = OzgService.objects.count()
        with tqdm(total=total, desc="catalogue", unit="service", file=sys.stderr,
                  disable=verbosity < 1 or not sys.stderr.isatty()) as bar:
            result = evaluate(pairs, backend=backend, progress=bar.update)
        if verbosity >= 2:
            for query, expected, rank, top in result["rows"]:
                mark = "  " if rank == 1 else "~ " if rank and rank <= 10 else "✗ "
                self.stdout.write(f"{mark}{rank or '-':>2}  {query!r} → {expected!r}   top: {top}")
        self.stdout.write(
            f"search_evaluate ({backend}): {len(pairs)} queries from {', '.join(str(p) for p in files)}: "
            f"MRR@10 {result['mrr']:.3f}, recall@5 {result['recall5']:.3f} in {time.monotonic() - started:.1f} s"
        )
