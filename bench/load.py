"""A load run: wrk against gunicorn with threads on the catalogue, the search and the routes.
Any 5xx answer or any traceback in the server log fails the run (issue 22).

    python bench/load.py [--database postgres|sqlite] [--seconds 10] [--connections 8]

Each target gets a server of its own (gunicorn, 2 workers of 4 threads, DEBUG off, production's
--max-requests) and wrk starts on it at once, without waiting for a first answer: the load meets
workers that are still starting, as after every restart or deploy. The figures (requests a second,
latency, answers by status class) are appended to docs/benchmarks.md like the other benchmarks'.

`load_run()` is the part to reuse: give it a server environment and the targets, it returns the
figures or raises LoadFailure saying which answers were 5xx and what the server log holds.
wrk is Debian's (`apt-get install wrk`).
"""
import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate_directory import main as generate  # noqa: E402
from bench.harness import (  # noqa: E402
    ROOT, fresh_database, manage, report, server, server_env, server_log_problems, shared_cache,
)

WORKERS, THREADS = 2, 4
RECYCLE = ("--max-requests", "5000", "--max-requests-jitter", "500")  # as docs/operations.md runs it


@dataclass
class Target:
    """What one wrk run asks: its paths in turn (GET), by a name for the report."""

    name: str
    paths: list[str]


@dataclass
class Figures:
    target: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    statuses: dict[str, int]  # "2xx" … "5xx" → answers
    socket_errors: dict[str, int] = field(default_factory=dict)  # connect, read, write, timeout

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


class LoadFailure(RuntimeError):
    """A load run saw a 5xx answer or a traceback in the server log."""


# wrk's script: each thread walks the paths in turn; done() prints the statuses of all threads.
SCRIPT = """
local paths = {%(paths)s}
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) n = 0; s1 = 0; s2 = 0; s3 = 0; s4 = 0; s5 = 0 end
function request()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1], {["Accept-Language"] = "de"})
end
function response(status, headers, body)
  local class = math.floor(status / 100)
  if class == 1 then s1 = s1 + 1 elseif class == 2 then s2 = s2 + 1 elseif class == 3 then s3 = s3 + 1
  elseif class == 4 then s4 = s4 + 1 else s5 = s5 + 1 end
end
function done(summary, latency, requests)
  local t = {s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(t) do t[name] = t[name] + thread:get(name) end
  end
  io.write(string.format(
    'FITSTORE-LOAD {"requests": %%d, "duration_us": %%d, "p50_us": %%d, "p99_us": %%d, "1xx": %%d, "2xx": %%d, ' ..
    '"3xx": %%d, "4xx": %%d, "5xx": %%d, "connect": %%d, "read": %%d, "write": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99), t.s1, t.s2, t.s3, t.s4,
    t.s5, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
"""


def wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("The load run needs wrk: apt-get install wrk")
    return found


def run_wrk(port: int, target: Target, *, seconds: int, connections: int) -> Figures:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(SCRIPT % {"paths": ", ".join(json.dumps(path) for path in target.paths)})
    try:
        result = subprocess.run(
            [wrk(), "--threads", str(min(connections, 2)), "--connections", str(connections),
             "--duration", f"{int(seconds)}s", "--timeout", "30s", "--script", script.name,
             f"http://127.0.0.1:{port}{target.paths[0]}"],
            capture_output=True, text=True, timeout=seconds + 120)
    finally:
        Path(script.name).unlink()
    found = re.search(r"^FITSTORE-LOAD (\{.*\})$", result.stdout, re.MULTILINE)
    if result.returncode != 0 or not found:
        raise LoadFailure(f"wrk failed on {target.name}:\n{result.stdout}\n{result.stderr}")
    data = json.loads(found.group(1))
    return Figures(target.name, data["requests"], data["duration_us"] / 1e6, data["p50_us"] / 1000,
                   data["p99_us"] / 1000, {name: data[name] for name in ("1xx", "2xx", "3xx", "4xx", "5xx")},
                   {name: data[name] for name in ("connect", "read", "write", "timeout") if data[name]})


def load_run(env: dict, targets: list[Target], *, log: Path, seconds: int = 10, connections: int = 8,
             workers: int = WORKERS, threads: int = THREADS) -> list[Figures]:
    """wrk on each target against a server of its own, started just before (gthread workers,
    recycled as in production); the server's output goes to `log`. Raises LoadFailure when an
    answer was a 5xx or the log shows a traceback, a 500 or a dead worker."""
    figures, problems = [], []
    for target in targets:
        log.write_text("", encoding="utf-8")
        with server(env, workers, threads=threads, log=log, ready=None, options=RECYCLE) as (_host, port):
            result = run_wrk(port, target, seconds=seconds, connections=connections)
        figures.append(result)
        logged = server_log_problems(log.read_text(encoding="utf-8", errors="replace"))
        if result.statuses["5xx"] or logged:
            problems.append(f"{target.name}: {result.statuses['5xx']} of {result.requests} answers were 5xx"
                            + "".join(f"\n  {line}" for line in logged[:20]))
    if problems:
        raise LoadFailure("The load run failed:\n" + "\n".join(problems))
    return figures


def _small_directory(path: Path, state: str = "SL") -> list[tuple[str, str]]:
    """The benchmark's national directory cut down to one state (Saarland: 52 municipalities, 6
    districts); returns the (LeiKa key, ARS) of its municipalities' responsibilities."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as national:
        generate(national)
        national.seek(0)
        lines = [json.loads(line) for line in national]
    ours = {line["identifier"] for line in lines if line["type"] == "authority" and line["stateCode"] == state}
    kept = [line for line in lines if (line.get("identifier") if line["type"] == "authority" else line["authority"]) in ours]
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in kept), encoding="utf-8")
    return [(line["leikaKey"], line["ars"][0]) for line in kept
            if line["type"] == "responsibility" and line["authority"].startswith("gem:")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--seconds", type=int, default=10, help="wrk's duration per target")
    parser.add_argument("--connections", type=int, default=8)
    options = parser.parse_args()

    cache = shared_cache(database=6)
    env = server_env(fresh_database(options.database, "bench_load"), **cache)
    manage("migrate", "--noinput", "-v0", env=env)
    manage("load_demo", "--no-progress", "--reuse", env=env)
    directory = ROOT / "var" / "load-directory.jsonl"
    pairs = _small_directory(directory)
    manage("import_directory", "--no-progress", str(directory), env=env, capture=True)
    random.seed(22)
    routes = [f"/fit-connect/v1/routes?leikaKey={key}&ars={ars}" for key, ars in random.sample(pairs, 50)]
    targets = [
        Target("catalogue", ["/katalog/", "/katalog/?lifecycle=AVAILABLE", "/katalog/?provider_state=MV"]),
        Target("search", ["/katalog/?q=Wohngeld", "/katalog/?q=Elterngeld", "/katalog/?q=wohngeldantrag",
                          "/suche/vorschlaege?q=wohng", "/suche/vorschlaege?q=Eltern"]),
        Target("routes", routes),
    ]
    log = ROOT / "var" / "bench-load-server.log"
    try:
        figures = load_run(env, targets, log=log, seconds=options.seconds, connections=options.connections)
    except LoadFailure as failure:
        print(failure, file=sys.stderr)
        raise SystemExit(1) from None
    rows = []
    for result in figures:
        answers = ", ".join(f"{count:,} {name}" for name, count in result.statuses.items() if count)
        errors = ", ".join(f"{count} {name}" for name, count in result.socket_errors.items())
        rows.append((f"{result.target}: requests/s", f"{result.per_second:,.0f} ({answers}"
                     + (f"; socket errors: {errors}" if errors else "") + ")", "no 5xx"))
        rows.append((f"{result.target}: median / p99", f"{result.p50_ms:.1f} ms / {result.p99_ms:.1f} ms", ""))
    report(f"Load ({options.database})", rows,
           notes=f"wrk, {options.connections} connections, {options.seconds:g} s per target, each against a fresh "
                 f"gunicorn ({WORKERS} workers × {THREADS} threads, {' '.join(RECYCLE)}) from its first moment; "
                 "no traceback in the server log. Catalogue: 3 list pages; search: 3 catalogue searches and 2 "
                 "suggestion lists; routes: 50 FIT-Connect /routes questions on a directory of the Saarland. "
                 "Shared cache: " + (f"Redis ({env['CACHE_URL']})" if cache else "none (no Redis answered)") + ".")


if __name__ == "__main__":
    main()
