"""Fixtures of the search tests: a real engine (osmem-server from PyPI, an in-memory
OpenSearch-compatible server) on a free loopback port for the session, a fresh clone of it per
test, and the `search_backend` fixture that runs a test once per backend."""
import socket

import pytest
from django.test.utils import override_settings

from fitstore import search


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def search_engine():
    """osmem-server on a free loopback port, or a skip saying why it could not start."""
    try:
        from osmem_server import OsmemError, OsmemServer
    except ImportError as error:  # pragma: no cover - osmem-server is a dev requirement
        pytest.skip(f"osmem-server is not installed ({error}); the engine variant needs it")
    try:
        server = OsmemServer.start(addr=f"127.0.0.1:{_free_port()}", japanese=False)
    except (OsmemError, OSError) as error:
        pytest.skip(f"osmem-server could not start, so the engine variant cannot run: {error}")
    yield server
    server.close()


@pytest.fixture
def engine_url(search_engine):
    """SEARCH_URL of a fresh, empty clone of the engine for one test."""
    clone = search_engine.clone()
    yield f"opensearch+{clone.url}/test"
    clone.close()


@pytest.fixture
def stopped_engine_url(search_engine):
    """The SEARCH_URL of a real osmem-server that was started and then stopped: the engine is down."""
    clone = search_engine.clone()
    url = f"opensearch+{clone.url}/test"
    clone.close()
    return url


@pytest.fixture
def dead_engine_url():
    """A SEARCH_URL where nothing listens: the engine is down."""
    return f"opensearch+http://127.0.0.1:{_free_port()}/test"


@pytest.fixture(params=["embedded", "engine"])
def search_backend(request, db):
    """Runs the test on each backend, with the demo catalogue indexed: "embedded" (SEARCH_URL
    empty) and "engine" (osmem-server)."""
    url = request.getfixturevalue("engine_url") if request.param == "engine" else ""
    with override_settings(SEARCH_URL=url):
        for search_index in search.all_indexes():
            search.rebuild(search_index, backend="embedded")
            if url:
                search.rebuild(search_index, backend="engine")
        yield request.param
