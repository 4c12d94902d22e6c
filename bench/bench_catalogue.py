"""The catalogue and the search: the list of 100 online services with nested fields (SQL queries,
constant in the page size, and median latency) and the search's median latency on both
backends over the names of all 557 OZG-Leistungen.

    python bench/bench_catalogue.py [--database postgres|sqlite] [--requests 500]

Like bench_routes.py: one run, gunicorn with 2 workers, DEBUG off, loopback HTTP with
keep-alive; the engine is osmem-server (an in-memory OpenSearch-compatible server, as the
search tests use it) on a loopback port.
"""
import argparse
import json
import socket
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import Client, fresh_database, manage, median_ms, report, server, server_env, shared_cache  # noqa: E402
from bench.seed_catalogue import CATALOGUE  # noqa: E402

SEARCH = """query Search($query: String!, $first: Int) {
  search(query: $query, first: $first) {
    totalCount
    facets { name buckets { value label count } }
    hits { score highlight onlineService { slug name } }
  }
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed(client: Client, query: str, variables_list: list[dict], count: int) -> list[float]:
    times = []
    for index in range(count):
        status, body, seconds = client.graphql(query, variables_list[index % len(variables_list)])
        if status != 200 or "errors" in body:
            raise RuntimeError(f"HTTP {status}: {body.get('errors')}")
        times.append(seconds)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--requests", type=int, default=500, help="requests per catalogue latency figure")
    options = parser.parse_args()

    env = server_env(fresh_database(options.database, "bench_catalogue"), **shared_cache(database=4))
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_demo", "--no-progress", env=env)
    seeded = json.loads(manage("shell", "-c", "from bench.seed_catalogue import main; main()", env=env,
                               capture=True).strip().splitlines()[-1])
    names = [{"query": name, "first": 10} for name in seeded["ozg_names"]]

    with server(env) as (host, port):
        client = Client(host, port)
        timed(client, CATALOGUE, [{"first": 100}], 50)  # warm-up
        catalogue = timed(client, CATALOGUE, [{"first": 100}], options.requests)
        manage("search_index", "--rebuild", "--backend", "embedded", env=env, capture=True)
        timed(client, SEARCH, names, 50)
        embedded = timed(client, SEARCH, names, len(names))

    from osmem_server import OsmemServer

    engine = OsmemServer.start(addr=f"127.0.0.1:{free_port()}", japanese=False)
    try:
        engine_env = {**env, "SEARCH_URL": f"opensearch+{engine.url}/bench"}
        manage("search_index", "--rebuild", "--backend", "engine", env=engine_env, capture=True)
        with server(engine_env) as (host, port):
            client = Client(host, port)
            timed(client, SEARCH, names, 50)
            engine_times = timed(client, SEARCH, names, len(names))
    finally:
        engine.close()

    rows = [
        ("catalogue list, 100 online services: SQL queries",
         f"{seeded['queries_100']} (10 per page: {seeded['queries_10']})", "constant"),
        ("catalogue list, 100 online services: median", f"{median_ms(catalogue):.2f} ms", ""),
        ("search median, embedded backend", f"{median_ms(embedded):.2f} ms", ""),
        ("search median, engine (osmem-server, OpenSearch API)", f"{median_ms(engine_times):.2f} ms", ""),
    ]
    report(f"Catalogue and search ({options.database})", rows,
           notes=f"{seeded['online_services']} online services (6 demo, the rest registered through the store's "
                 f"services with 3 LeiKa services, 2 life situations and a topic each); catalogue figure over "
                 f"{options.requests} requests of the contract's OnlineServices list (first: 100, anonymous); "
                 f"search over the names of all {len(names)} OZG-Leistungen, first: 10, with facets.")


if __name__ == "__main__":
    main()
