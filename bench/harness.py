"""What every benchmark shares: a production server on loopback, timing, and the report.

Each benchmark starts gunicorn (2 workers, DEBUG off) against the database it is given, sends
its requests over loopback HTTP with keep-alive, and appends its figures to
docs/benchmarks.md with the machine, the date and the command to rerun it. Nothing here
asserts a speed; the figures are read by people.
"""
import http.client
import json
import os
import platform
import secrets
import shlex
import socket
import statistics
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
REPORT = ROOT / "docs" / "benchmarks.md"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(kind: str, name: str = "bench") -> str:
    """DATABASE_URL of an empty database: var/<name>.sqlite3, or PostgreSQL fitstore_<name>."""
    if kind == "sqlite":
        path = ROOT / "var" / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    for statement in (f"DROP DATABASE IF EXISTS fitstore_{name} WITH (FORCE)", f"CREATE DATABASE fitstore_{name}"):
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-q", "-c", statement], check=True)
    return f"postgres://postgres@127.0.0.1:5432/fitstore_{name}"


def shared_cache(database: int) -> dict:
    """CACHE_URL of a flushed Redis database on this machine (as production runs it), or {}
    when no Redis answers; the benchmark's note says which."""
    url = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379")
    try:
        import redis

        redis.Redis.from_url(f"{url}/{database}").flushdb()
    except Exception:  # noqa: BLE001 - any failure means: no shared cache
        return {}
    return {"CACHE_URL": f"{url}/{database}"}


def server_env(database_url: str, **extra) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "false", "SECURE_SSL_REDIRECT": "false",
           "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
           "ALLOWED_HOSTS": "127.0.0.1,localhost", "RATE_LIMIT_TOKEN_PER_MINUTE": "100000000",
           "RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000000", "LOG_LEVEL": "WARNING"}
    env.update(extra)
    return env


def manage(*args, env: dict, capture: bool = False) -> str:
    result = subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True, text=True,
                            capture_output=capture)
    return result.stdout if capture else ""


@contextmanager
def server(env: dict, workers: int = 2, *, threads: int = 1, log: Path | None = None, ready: str | None = "/healthz",
           options: tuple[str, ...] = ()):
    """gunicorn fitstore.wsgi on a free loopback port; yields (host, port).

    `threads` > 1 runs gthread workers (threads per worker); `log` receives the server's output
    (gunicorn's and Django's log, tracebacks included), else it goes to this process's stderr;
    `ready` is the path polled until it answers 200, or None to yield as soon as the port accepts
    connections (the first requests then meet workers that are still starting); `options` are
    more gunicorn arguments (e.g. --max-requests)."""
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    port = free_port()
    output = open(log, "ab") if log else None
    process = subprocess.Popen(
        [PYTHON, "-m", "gunicorn", "fitstore.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
         "--threads", str(threads), "--log-level", "warning", *options],
        cwd=ROOT, env=env, stdout=output, stderr=output)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}" + (f"; see {log}" if log else ""))
            try:
                if ready is None:
                    socket.create_connection(("127.0.0.1", port), timeout=2).close()
                    break
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", ready)
                if connection.getresponse().status == 200:
                    break
            except OSError:
                time.sleep(0.05 if ready is None else 0.2)
        else:
            raise RuntimeError(f"gunicorn did not answer {ready or 'on its port'} within 30 s")
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if output:
            output.close()


SERVER_LOG_PROBLEMS = ("Internal Server Error", "WORKER TIMEOUT", "Worker failed to boot", "was sent SIGKILL",
                       "exited with code")


def server_log_problems(text: str) -> list[str]:
    """What a server log says went wrong: the lines that report a failed request or a dead
    worker, and of every traceback its first line and the exception it ends with."""
    problems, in_traceback = [], False
    for line in text.splitlines():
        if line.startswith("Traceback (most recent call last)"):
            problems.append(line)
            in_traceback = True
        elif in_traceback and line and not line[0].isspace():
            problems.append(line)  # the exception ("KeyError: 'online_services'")
            in_traceback = False
        elif any(problem in line for problem in SERVER_LOG_PROBLEMS):
            problems.append(line)
    return problems


class Client:
    """One keep-alive HTTP connection; `get` and `graphql` return (status, body, seconds)."""

    def __init__(self, host: str, port: int, token: str | None = None):
        self.connection = http.client.HTTPConnection(host, port, timeout=30)
        self.headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str):
        started = time.perf_counter()
        self.connection.request("GET", path, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        return response.status, body, time.perf_counter() - started

    def graphql(self, query: str, variables: dict | None = None):
        payload = json.dumps({"query": query, "variables": variables or {}})
        started = time.perf_counter()
        self.connection.request("POST", "/graphql/", body=payload, headers=self.headers)
        response = self.connection.getresponse()
        body = response.read()
        return response.status, json.loads(body), time.perf_counter() - started


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def p99_ms(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


def machine() -> str:
    memory = ""
    try:
        total_kb = int(next(line for line in open("/proc/meminfo") if line.startswith("MemTotal")).split()[1])
        memory = f", {total_kb / 1024 / 1024:.0f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    cpu = platform.processor() or platform.machine()
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    load = f", load {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""  # others on the machine
    return f"{os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}{load}"


def report(title: str, rows: list[tuple[str, str, str]], notes: str = "") -> None:
    """Print the figures and append them to docs/benchmarks.md: (figure, value, goal) rows."""
    command = " ".join(shlex.quote(part) for part in [os.path.relpath(sys.argv[0], ROOT), *sys.argv[1:]])
    lines = [
        f"\n## {title}\n",
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC · {machine()} · `python {command}`\n",
        "| figure | value | goal |",
        "|---|---|---|",
        *[f"| {figure} | {value} | {goal} |" for figure, value, goal in rows],
    ]
    if notes:
        lines += ["", notes]
    text = "\n".join(lines) + "\n"
    print(text)
    if os.environ.get("BENCH_DRY_RUN"):  # trying a benchmark out: print, append nothing
        return
    if not REPORT.exists():
        REPORT.write_text("# Benchmarks\n\nFigures appended by `make bench` (bench/); newest last. Speed is "
                          "measured here, never asserted in tests.\n", encoding="utf-8")
    with open(REPORT, "a", encoding="utf-8") as handle:
        handle.write(text)
