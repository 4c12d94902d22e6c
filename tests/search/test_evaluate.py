"""Relevance does not regress: the project's own queries over all 557 OZG-Leistungen."""
from django.conf import settings
from django.core.management import call_command

from store.management.commands.search_evaluate import evaluate, read_queries
from store.models import OnlineService


def test_embedded_relevance_on_our_queries(db):
    pairs = read_queries(settings.DATA_DIR / "search" / "queries.tsv")
    result = evaluate(pairs, backend="embedded")
    assert result["mrr"] >= 0.8 and result["recall5"] >= 0.8
    assert not OnlineService.objects.filter(slug__startswith="evaluate-").exists()  # thrown away


def test_command_prints_the_figures(db, capsys, tmp_path):
    queries = tmp_path / "q.tsv"
    queries.write_text("# comment\nwohngelt\tWohngeld\nHochzeit\tEheschließung und -beurkundung\n", encoding="utf-8")
    call_command("search_evaluate", "--queries", str(queries), "--backend", "embedded")
    out = capsys.readouterr().out
    assert "MRR@10 1.000, recall@5 1.000" in out
