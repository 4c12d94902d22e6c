"""Two live nodes for the federation tests: server processes on loopback ports, each with its own
database (SQLite files, or PostgreSQL databases made from one template and dropped afterwards
when DATABASE_URL names PostgreSQL). The reference data is loaded once into the template."""
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Databases:
    """Makes the databases of the nodes: `template()` once, then `copy(name)` per node."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        base = os.environ.get("DATABASE_URL", "")
        self.postgres = base.startswith("postgres")
        self.base, _, database = base.partition("?")[0].rpartition("/") if self.postgres else ("", "", "")
        # Named after the suite's own database, so that two suites on one server keep apart.
        self.prefix = f"{database or 'fitstore'}_fed"
        self.made: list[str] = []

    def url(self, name: str) -> str:
        return f"{self.base}/{self.prefix}_{name}" if self.postgres else f"sqlite:///{self.tmp / (name + '.sqlite3')}"

    def _psql(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.base}/postgres", autocommit=True) as connection:
            connection.execute(sql)

    def template(self, env: dict) -> None:
        if self.postgres:
            self._psql(f"DROP DATABASE IF EXISTS {self.prefix}_template")
            self._psql(f"CREATE DATABASE {self.prefix}_template")
            self.made.append("template")
        url = self.url("template")
        manage(["migrate", "--noinput", "-v0"], env, url)
        manage(["load_demo", "-v0"], env, url)

    def copy(self, name: str) -> str:
        if self.postgres:
            self._psql(f"DROP DATABASE IF EXISTS {self.prefix}_{name}")
            self._psql(f"CREATE DATABASE {self.prefix}_{name} TEMPLATE {self.prefix}_template")
            self.made.append(name)
        else:
            shutil.copyfile(self.tmp / "template.sqlite3", self.tmp / f"{name}.sqlite3")
        return self.url(name)

    def drop(self) -> None:
        for name in reversed(self.made):
            self._psql(f"DROP DATABASE IF EXISTS {self.prefix}_{name} WITH (FORCE)")


def base_env(tmp: Path) -> dict:
    env = dict(os.environ)
    env.update({"DEBUG": "false", "SECURE_SSL_REDIRECT": "false", "SECRET_KEY": "federation-test-" + "x" * 40,
                "FITSTORE_VAR_DIR": str(tmp / "var"), "CACHE_URL": "", "ROUTING_CACHE_SECONDS": "0",
                "RATE_LIMIT_TOKEN_PER_MINUTE": "100000", "RATE_LIMIT_ANONYMOUS_PER_MINUTE": "100000",
                "LOG_LEVEL": "WARNING", "PYTHONUNBUFFERED": "1"})
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return env


def manage(args: list[str], env: dict, url: str, *, check: bool = True, timeout: float = 120) -> str:
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env={**env, "DATABASE_URL": url},
                            capture_output=True, text=True, timeout=timeout)
    if check and result.returncode != 0:
        raise AssertionError(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout + result.stderr if not check else result.stdout


class Node:
    """One node: its database, its own directory key (its own var/) and issuer, and a server
    process on a loopback port."""

    def __init__(self, name: str, url: str, env: dict):
        self.name, self.database_url = name, url
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        var = Path(env["FITSTORE_VAR_DIR"]).parent / f"var-{name}"
        self.env = {**env, "FITSTORE_VAR_DIR": str(var), "DIRECTORY_ISSUER": self.base}
        env = self.env
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
            cwd=ROOT, env={**env, "DATABASE_URL": url}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.base}/healthz", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError(f"node {name} did not start")

    def manage(self, *args: str, check: bool = True) -> str:
        return manage(list(args), self.env, self.database_url, check=check)

    def tokens(self, **roles: tuple[str, str | None]) -> dict[str, str]:
        """API tokens of new users with these roles (username=(role, state)), made through the
        services in one process: {username: token}."""
        script = (
            "import json\n"
            "from directory.models import State\n"
            "from fitstore import services\n"
            f"roles = {roles!r}\n"
            "tokens = {}\n"
            "for name, (role, state) in roles.items():\n"
            "    user, _ = services.ensure_user(name, actor='test')\n"
            "    services.grant_role(user, role, state=State.objects.by_code(state) if state else None, actor='test')\n"
            "    tokens[name] = services.issue_token(user, name='federation', actor='test')[1]\n"
            "print(json.dumps(tokens))\n"
        )
        return json.loads(self.manage("shell", "-c", script).strip().splitlines()[-1])

    def digest(self, state: str | None = None) -> str:
        return self.manage("directory_digest", *(["--state", state] if state else [])).split()[-1]

    def jwks(self) -> dict:
        with urllib.request.urlopen(f"{self.base}/.well-known/jwks.json", timeout=30) as response:
            return json.loads(response.read())

    def anchor(self, tmp: Path) -> str:
        """The node's key set as a trust anchor file, as its operator hands it over out of band."""
        path = tmp / f"anchor-{self.name}.json"
        path.write_text(json.dumps({"keys": self.jwks()["keys"]}))
        return str(path)

    def get(self, path: str) -> dict:
        with urllib.request.urlopen(f"{self.base}{path}", timeout=30) as response:
            return json.loads(response.read())

    def graphql(self, query: str, variables: dict | None = None, token: str | None = None) -> dict:
        request = urllib.request.Request(
            f"{self.base}/graphql/", data=json.dumps({"query": query, "variables": variables or {}}).encode(),
            headers={"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            content = json.loads(response.read())
        assert "errors" not in content, content["errors"]
        return content["data"]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
