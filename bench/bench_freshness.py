"""Freshness of a following mirror: how long a change written on the source takes until the
mirror's routing answers it, over signed, verified pages (docs/federation.md).

    python bench/bench_freshness.py [--database postgres|sqlite] [--changes 100] [--max-gap 4]

Two nodes with their own databases and keys, each served by gunicorn (2 workers, DEBUG off); the
mirror runs `sync_directory --follow` with its defaults, trusting the source by a trust anchor.
Each change renames an authority on the source (the `updateAuthority` mutation) and is timed
until the mirror's FIT-Connect `/routes` names it (polled every 20 ms); between changes the bench
waits a random 0 to `--max-gap` seconds, so that the mirror's polling has backed off as it does
between real changes. Goal: every change within 10 s.
"""
import argparse
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.harness import PYTHON, ROOT, Client, fresh_database, manage, report, server, server_env  # noqa: E402

WOHNGELD = "99107023000000"
DISTRICT = "09188"
UPDATE = """mutation U($input: UpdateAuthorityInput!) { updateAuthority(input: $input) { errors { field code } } }"""
TOKENS = (
    "import json\n"
    "from directory.models import State\n"
    "from fitstore import services\n"
    "user, _ = services.ensure_user('bench-pflege', actor='bench')\n"
    "services.grant_role(user, 'directory-maintainer', state=State.objects.by_code('BY'), actor='bench')\n"
    "gateway, _ = services.ensure_user('bench-mirror', actor='bench')\n"
    "services.grant_role(gateway, 'gateway', actor='bench')\n"
    "print(json.dumps([services.issue_token(user, actor='bench')[1], services.issue_token(gateway, actor='bench')[1]]))\n"
)


def node_env(kind: str, name: str) -> dict:
    var = ROOT / "var" / f"bench-{name}"
    var.mkdir(parents=True, exist_ok=True)
    for key in var.glob("*.pem"):  # each run its own keys
        key.unlink()
    env = server_env(fresh_database(kind, f"bench_{name}"), FITSTORE_VAR_DIR=str(var),
                     DIRECTORY_ISSUER=f"https://{name}.bench.example", CACHE_URL="")
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_demo", "--no-progress", env=env)
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--changes", type=int, default=100)
    parser.add_argument("--max-gap", type=float, default=4.0, help="longest pause between two changes (s)")
    options = parser.parse_args()
    random.seed(18)

    source_env, mirror_env = node_env(options.database, "fresh_source"), node_env(options.database, "fresh_mirror")
    directory = ROOT / "var" / "bench-fresh-directory.jsonl"
    directory.write_text("\n".join(json.dumps(line) for line in (
        {"type": "authority", "identifier": "by:lra-bench", "name": "Landratsamt Bench", "stateCode": "BY",
         "ars": DISTRICT, "kind": "DISTRICT"},
        {"type": "endpoint", "authority": "by:lra-bench", "kind": "FIT_CONNECT", "address": "https://fc.bench.example/api",
         "destinationId": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "serviceUri": "", "certificatePem": ""},
        {"type": "responsibility", "authority": "by:lra-bench", "leikaKey": WOHNGELD, "ars": [DISTRICT]},
    )) + "\n")
    manage("import_directory", "--no-progress", str(directory), env=source_env)
    maintainer, gateway = json.loads(manage("shell", "-c", TOKENS, env=source_env, capture=True).strip().splitlines()[-1])

    latencies, gaps = [], []
    with server(source_env) as (source_host, source_port), server(mirror_env) as (mirror_host, mirror_port):
        base = f"http://{source_host}:{source_port}"
        anchor = ROOT / "var" / "bench-fresh-anchor.json"
        anchor.write_text(json.dumps({"keys": json.loads(Client(source_host, source_port).get(
            "/.well-known/jwks.json")[1])["keys"]}))
        follow = [PYTHON, "manage.py", "sync_directory", "--source", base, "--token", gateway, "--no-progress",
                  "--trust-anchor", str(anchor)]
        subprocess.run(follow, cwd=ROOT, env=mirror_env, check=True, capture_output=True)
        follower = subprocess.Popen([*follow, "--follow"], cwd=ROOT, env=mirror_env, stdout=subprocess.DEVNULL)
        try:
            writer = Client(source_host, source_port, maintainer)
            reader = Client(mirror_host, mirror_port)
            path = f"/fit-connect/v1/routes?leikaKey={WOHNGELD}&ars={DISTRICT}"
            for number in range(options.changes):
                gap = random.uniform(0, options.max_gap)
                gaps.append(gap)
                time.sleep(gap)
                name = f"Landratsamt Bench {number}"
                started = time.perf_counter()
                status, body, _ = writer.graphql(UPDATE, {"input": {"identifier": "by:lra-bench", "name": name}})
                if status != 200 or body["data"]["updateAuthority"]["errors"]:
                    raise RuntimeError(f"the change was refused: {body}")
                while True:
                    _status, answer, _ = reader.get(path)
                    if any(route["destinationName"] == name for route in json.loads(answer)["routes"]):
                        break
                    if time.perf_counter() - started > 120:
                        raise RuntimeError(f"change {number} did not reach the mirror within 120 s")
                    time.sleep(0.02)
                latencies.append(time.perf_counter() - started)
        finally:
            follower.terminate()
            follower.wait(timeout=10)

    within = sum(1 for latency in latencies if latency <= 10)
    rows = [
        (f"change on the source → mirror's /routes, median ({len(latencies)} changes)",
         f"{statistics.median(latencies):.2f} s", ""),
        ("worst", f"{max(latencies):.2f} s", "≤ 10 s"),
        ("within 10 s", f"{within} of {len(latencies)}", f"{len(latencies)} of {len(latencies)}"),
    ]
    report(f"Freshness of a following mirror ({options.database})", rows,
           notes=f"`sync_directory --follow` with its defaults (poll 1 s after a change, doubling while nothing "
                 f"changes up to --max-wait 8 s), every page verified against the source's key (RSA 4096, PS512) "
                 f"before it is applied; pauses between changes 0 to {options.max_gap:g} s (mean "
                 f"{statistics.mean(gaps):.1f} s); polled every 20 ms on the mirror's FIT-Connect /routes.")


if __name__ == "__main__":
    main()
