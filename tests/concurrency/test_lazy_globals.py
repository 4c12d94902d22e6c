"""What a process keeps for all its threads is whole before any thread sees it, and what it
keeps for a moment does not outlive what another process changed (issue 22).

Each test is about one such value: the search registry (filled at start-up), the filter
searches of a request, the Snowball stemmer, the SPDX licence index, the FilterSets' labels after
the API schema is built, and the files a process generates on its first start.
"""
import csv
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager

import pytest
import snowballstemmer
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from fitstore import search
from fitstore.files import create_once
from fitstore.search import analysis
from fitstore.search.embedded import EmbeddedBackend
from store.filtersets import OnlineServiceFilterSet
from store.models import OnlineService
from store.validators import normalize_spdx_expression, spdx_licensing


@contextmanager
def rapid_thread_switching():
    """Threads take turns every microsecond instead of every 5 ms: a race shows at once."""
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)


def test_the_apps_register_their_search_indexes_at_start_up():
    """Set-up alone imports every app's search.py: no index is registered on first use."""
    script = ("import sys, django; django.setup(); from fitstore import search; "
              "print(sorted(m for m in ('store.search', 'directory.search') if m in sys.modules)); "
              "print(sorted(index.name for index in search.all_indexes()))")
    result = subprocess.run([sys.executable, "-c", script], cwd=settings.BASE_DIR, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "DJANGO_SETTINGS_MODULE": "fitstore.settings"})
    assert result.returncode == 0, result.stderr
    imported, indexes = result.stdout.strip().splitlines()
    assert imported == "['directory.search', 'store.search']"
    assert indexes == "['authorities', 'online_services']"


def test_an_unknown_index_is_named_in_the_error():
    with pytest.raises(LookupError, match="No search index 'nonesuch' is registered"):
        search.get_index("nonesuch")


def _hit_ids(text: str) -> list[int]:
    return list(search.filter_queryset(OnlineService.objects.all(), "online_services", text)
                .values_list("pk", flat=True))


@pytest.mark.django_db
def test_outside_a_request_a_filter_sees_what_another_process_changed_at_once():
    wohngeld = OnlineService.objects.get(slug="wohngeld")
    assert wohngeld.pk in _hit_ids("Wohngeld")
    # What another process's write leaves behind: the index changed, and nothing told this process.
    EmbeddedBackend().delete(search.get_index("online_services"), [str(wohngeld.pk)])

    assert wohngeld.pk not in _hit_ids("Wohngeld")


@pytest.mark.django_db
def test_a_request_searches_each_filter_once_and_again_after_its_own_index_write():
    search.remember_filter_hits()  # what the request_started signal does
    try:
        first = _hit_ids("Elterngeld")
        with CaptureQueriesContext(connection) as queries:
            again = _hit_ids("Elterngeld")
        assert again == first and len(queries) == 1  # the rows only: the search was remembered

        search.index_objects(search.get_index("online_services"), [first[0]])  # forgets the request's hits
        with CaptureQueriesContext(connection) as queries:
            assert _hit_ids("Elterngeld") == first
        assert len(queries) > 1
    finally:
        search.stop_remembering_filter_hits()


def test_threads_stemming_at_once_get_the_stems_one_thread_gets():
    names = []
    with open(settings.DATA_DIR / "ozg" / "ozg_leika_leistungen.csv", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            names.append(row["leistung"])
    words = sorted({word for name in names for word in analysis.words(name)})[:4000]
    expected = {word: snowballstemmer.stemmer("german").stemWord(word) for word in words}
    analysis.stem.cache_clear()
    try:
        with rapid_thread_switching(), ThreadPoolExecutor(8) as pool:
            chunks = [words[number::8] for number in range(8)]
            stems = dict(pair for chunk in pool.map(lambda chunk: [(w, analysis.stem(w)) for w in chunk], chunks)
                         for pair in chunk)
    finally:
        analysis.stem.cache_clear()  # a wrong stem must not stay for the rest of the suite
    wrong = {word: stem for word, stem in stems.items() if stem != expected[word]}
    assert not wrong, f"{len(wrong)} of {len(words)} words got another word's stem, e.g. {list(wrong.items())[:5]}"


def test_threads_validating_the_first_licences_of_a_process_all_succeed():
    spdx_licensing.cache_clear()  # as in a fresh worker: the index is loaded, nothing parsed yet
    spdx_licensing()
    barrier = threading.Barrier(8)

    def normalise(_number):
        barrier.wait()
        return normalize_spdx_expression("mit or eupl-1.2")

    with rapid_thread_switching(), ThreadPoolExecutor(8) as pool:
        answers = [future.exception() or future.result() for future in [pool.submit(normalise, n) for n in range(8)]]

    assert answers == ["MIT OR EUPL-1.2"] * 8


def test_filter_labels_stay_translated_after_the_api_schema_is_built():
    from api.schema import schema

    assert schema.graphql_schema.query_type.fields["onlineServices"].args  # the filters as arguments
    with translation.override("de"):
        form = OnlineServiceFilterSet({"lifecycle": "LIVE"}, queryset=OnlineService.objects.none()).form
        assert form["lifecycle"].label == "Stand"
    with translation.override("en"):
        form = OnlineServiceFilterSet({"lifecycle": "LIVE"}, queryset=OnlineService.objects.none()).form
        assert form["lifecycle"].label == "Lifecycle"


def _create_slowly(path, content: bytes) -> bytes:
    def make():
        time.sleep(0.3)  # long enough for every thread to find no file yet
        return content

    return create_once(path, make)


CREATE = """
import sys, time
from pathlib import Path
from fitstore.files import create_once

def make():
    time.sleep(1.0)  # long enough for every process to find no file yet
    return f"key of process {sys.argv[2]}\\n".encode() * 1000

sys.stdout.write(create_once(Path(sys.argv[1]), make).decode())
"""


def test_processes_starting_together_agree_on_one_generated_file(tmp_path):
    path = tmp_path / "var" / "key.pem"
    processes = [subprocess.Popen([sys.executable, "-c", CREATE, str(path), str(number)], cwd=settings.BASE_DIR,
                                  stdout=subprocess.PIPE, text=True) for number in range(4)]
    answers = [process.communicate(timeout=60)[0] for process in processes]

    assert path.read_text() in [f"key of process {number}\n" * 1000 for number in range(4)]
    assert answers == [path.read_text()] * 4
    assert [item.name for item in path.parent.iterdir()] == ["key.pem"]  # no temporary file left


def test_threads_starting_together_agree_on_one_generated_file(tmp_path):
    path = tmp_path / "secret_key"
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(_create_slowly, [path] * 4, [str(n).encode() * 100 for n in range(4)]))

    assert answers == [path.read_bytes()] * 4 and len(path.read_bytes()) == 100
