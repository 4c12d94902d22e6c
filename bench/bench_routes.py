"""Routing at national scale: `routes` latency against /healthz, on an empty and on a national
directory, the import rate, and throughput with 8 concurrent clients.

    python bench/bench_routes.py [--database postgres|sqlite] [--requests 2000]

Each run measures in one go (same machine, same server) so that the ratios compare like with
like: the server is gunicorn with 2 workers, DEBUG off, requests over loopback HTTP with
keep-alive, a gateway token as gateways send it.
"""
import argparse
import json
import random
import re
import statistics
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_directory import main as generate  # noqa: E402
from bench.harness import (  # noqa: E402
    ROOT, Client, fresh_database, manage, median_ms, p99_ms, report, server, server_env, shared_cache,
)

ROUTES = """query Routes($leikaKey: String!, $ars: String!) {
  routes(leikaKey: $leikaKey, ars: $ars) {
    leikaKey region { ars name level } authority { id identifier name state { code } }
    endpoints { kind address destinationId serviceUri certificate { fingerprintSha256 notAfter } }
    onlineService { slug name }
  }
}"""


def sample(client: Client, requests: list, count: int) -> list[float]:
    times = []
    for index in range(count):
        kind, argument = requests[index % len(requests)]
        if kind == "health":
            status, _, seconds = client.get("/healthz")
        else:
            status, body, seconds = client.graphql(ROUTES, argument)
            if "errors" in body:
                raise RuntimeError(body["errors"])
        if status != 200:
            raise RuntimeError(f"{kind}: HTTP {status}")
        times.append(seconds)
    return times


def interleaved(client: Client, route_requests: list, count: int) -> tuple[list[float], list[float]]:
    """Health and routes alternate, so that both see the same machine at the same moments."""
    health, routes = [], []
    for index in range(count):
        health += sample(client, [("health", None)], 1)
        routes += sample(client, [route_requests[index % len(route_requests)]], 1)
    return health, routes


def concurrent(host, port, token, route_requests, clients: int, per_client: int) -> tuple[float, list[float]]:
    samples: list[float] = []
    lock = threading.Lock()

    def work(offset):
        client = Client(host, port, token)
        mine = sample(client, route_requests[offset:] + route_requests[:offset], per_client)
        with lock:
            samples.extend(mine)

    threads = [threading.Thread(target=work, args=(i * 97,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(samples) / (time.perf_counter() - started), samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--requests", type=int, default=2000, help="requests per latency figure")
    options = parser.parse_args()

    cache = shared_cache(database=5)  # routing answers and rate limits shared by the workers
    env = server_env(fresh_database(options.database), **cache)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_demo", "--no-progress", env=env)
    manage("grant", "bench-gateway", "gateway", env=env, capture=True)
    token = manage("issue_token", "bench-gateway", "--name", "bench", env=env, capture=True).split()[-1]

    directory_file = ROOT / "var" / "national-directory.jsonl"
    with open(directory_file, "w", encoding="utf-8") as handle:
        lines = generate(handle)
    random.seed(7)
    municipalities = [line for line in directory_file.read_text(encoding="utf-8").splitlines()
                      if '"type": "responsibility"' in line and '"gem:' in line]
    picks = [random.choice(municipalities) for _ in range(500)]

    route_requests = [("routes", {"leikaKey": json.loads(p)["leikaKey"], "ars": json.loads(p)["ars"][0]}) for p in picks]

    with server(env) as (host, port):
        client = Client(host, port, token)
        sample(client, route_requests, 200)  # warm-up: connections, caches, parsed documents
        empty_health, empty_routes = interleaved(client, route_requests, options.requests)

    started = time.perf_counter()
    summary = manage("import_directory", str(directory_file), env=env, capture=True)
    total_seconds = time.perf_counter() - started
    # The search indexes are updated after the import's commit (a side effect, like the services'
    # reindexing); the command says how long that took, and both figures are reported.
    search = re.search(r"search index updated after the commit: ([\d.]+) s", summary)
    search_seconds = float(search.group(1)) if search else 0.0
    import_seconds = total_seconds - search_seconds

    with server(env) as (host, port):
        client = Client(host, port, token)
        sample(client, route_requests, 200)
        answer = client.graphql(ROUTES, route_requests[0][1])[1]
        assert answer["data"]["routes"], f"the national directory answers nothing: {answer}"
        health, national = interleaved(client, route_requests, options.requests)
        throughput, loaded = concurrent(host, port, token, route_requests, clients=8, per_client=options.requests // 4)

    # The same on the national directory without the routing cache: what a cache miss costs.
    with server({**env, "ROUTING_CACHE_SECONDS": "0"}) as (host, port):
        client = Client(host, port, token)
        sample(client, route_requests, 200)
        uncached_health, uncached = interleaved(client, route_requests, options.requests)

    rows = [
        ("/healthz median", f"{median_ms(health):.2f} ms", ""),
        ("routes median (national directory)", f"{median_ms(national):.2f} ms", ""),
        ("routes ÷ healthz (national)", f"{statistics.median(national) / statistics.median(health):.2f}", "≤ 2.0"),
        ("routes median (empty directory)", f"{median_ms(empty_routes):.2f} ms", ""),
        ("routes national ÷ empty", f"{statistics.median(national) / statistics.median(empty_routes):.2f}", "≤ 1.3"),
        ("import rate (to the commit)", f"{lines / import_seconds:,.0f} lines/s ({lines:,} lines in {import_seconds:.1f} s)",
         "≥ 5,000 lines/s"),
        ("import with the search index update after it",
         f"{lines / total_seconds:,.0f} lines/s ({total_seconds:.1f} s, of which search index {search_seconds:.1f} s)", ""),
        ("routes throughput, 8 clients", f"{throughput:,.0f} requests/s", ""),
        ("routes p99, 8 clients", f"{p99_ms(loaded):.1f} ms", ""),
        ("routes median, routing cache off (national)", f"{median_ms(uncached):.2f} ms", ""),
        ("routes ÷ healthz, routing cache off", f"{statistics.median(uncached) / statistics.median(uncached_health):.2f}", ""),
    ]
    report(f"Routing at national scale ({options.database})", rows,
           notes=f"Empty-directory /healthz median {median_ms(empty_health):.2f} ms. "
                 f"{options.requests} requests per latency figure, interleaved with /healthz; 500 random "
                 "municipality/LeiKa pairs of the generated national directory. Shared cache: "
                 + (f"Redis ({env['CACHE_URL']}), routing answers cached under the change counter"
                    if cache else "none (no Redis answered), so the routing cache was off") + ".")


if __name__ == "__main__":
    main()
