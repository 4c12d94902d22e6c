"""A request killed mid-import leaves nothing half-imported, and a backup restores the directory.

`manage.py import_directory` runs in a real subprocess on a large generated file against a copy of
the test database (SQLite: a fresh database file; PostgreSQL: the test database itself, whose
reference data is committed), and is killed with SIGKILL once it writes. Not one of
its authorities, endpoints or audit rows may be there afterwards. "Writing" is seen in the SQLite
file's write-ahead log, or (PostgreSQL) in the directory's advisory write lock that the import
holds for its whole transaction.
"""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from directory.models import Authority, Endpoint
from fitstore.models import AuditEntry

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
LINES = 5_000  # authorities, each with one endpoint: 10,000 lines


def _write_file(path: Path) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for number in range(LINES):
            handle.write(json.dumps({"type": "authority", "identifier": f"by:kill-{number}", "name": f"Behörde {number}",
                                     "stateCode": "BY", "ars": "09188", "kind": "DISTRICT"}) + "\n")
            handle.write(json.dumps({"type": "endpoint", "authority": f"by:kill-{number}", "kind": "EMAIL",
                                     "address": f"post-{number}@kill.example"}) + "\n")
    return path


def _database_url(tmp_path: Path) -> tuple[str, Path | None]:
    """SQLite: a fresh database file, migrated, with the states and the district the file uses.
    PostgreSQL: the test database, whose reference data the session committed."""
    if connection.vendor == "sqlite":
        copy = tmp_path / "import.sqlite3"
        environment = {**os.environ, "DATABASE_URL": f"sqlite:///{copy}"}
        subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=environment,
                       check=True, timeout=300)
        subprocess.run([sys.executable, "manage.py", "shell", "-c", SEED], cwd=ROOT, env=environment, check=True,
                       timeout=120)
        return f"sqlite:///{copy}", copy
    database = settings.DATABASES["default"]
    user = database.get("USER") or "postgres"
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}/" \
           f"{database['NAME']}", None


SEED = """
from django.conf import settings
from directory import reference
from directory.models import Region, State
reference.load_states(settings.DATA_DIR)
Region.objects.create(ars="09188", name="Starnberg", level="DISTRICT", state=State.objects.by_code("BY"))
"""


def _is_writing(process, copy: Path | None) -> bool:
    if copy is not None:  # SQLite in WAL mode: the write transaction fills the -wal file
        wal = copy.with_name(copy.name + "-wal")
        return wal.exists() and wal.stat().st_size > 64 * 1024
    # PostgreSQL: the import holds the directory's advisory write lock for its whole transaction.
    from directory.services import _DIRECTORY_WRITE_LOCK

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND objid = %s "
                       "AND pid <> pg_backend_pid()", [_DIRECTORY_WRITE_LOCK])
        return cursor.fetchone()[0] > 0


def _imported(url: str, copy: Path | None) -> dict:
    if copy is not None:
        import sqlite3

        with sqlite3.connect(copy) as database:
            return {
                "authorities": database.execute(
                    "SELECT count(*) FROM directory_authority WHERE identifier LIKE 'by:kill-%'").fetchone()[0],
                "endpoints": database.execute(
                    "SELECT count(*) FROM directory_endpoint WHERE address LIKE 'post-%@kill.example'").fetchone()[0],
                "audit": database.execute(
                    "SELECT count(*) FROM fitstore_auditentry WHERE request_id LIKE 'cmd-import_directory-%'"
                ).fetchone()[0],
            }
    return {
        "authorities": Authority.objects.filter(identifier__startswith="by:kill-").count(),
        "endpoints": Endpoint.objects.filter(address__endswith="@kill.example").count(),
        "audit": AuditEntry.objects.filter(request_id__startswith="cmd-import_directory-").count(),
    }


def test_an_import_killed_while_writing_leaves_nothing(tmp_path):
    source = _write_file(tmp_path / "directory.jsonl")
    url, copy = _database_url(tmp_path)
    before = _imported(url, copy)
    environment = {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1"}

    process = subprocess.Popen([sys.executable, "manage.py", "import_directory", str(source), "--no-progress"],
                               cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    killed_while_writing = False
    try:
        deadline = time.monotonic() + 100
        while process.poll() is None and time.monotonic() < deadline:
            if _is_writing(process, copy):
                process.send_signal(signal.SIGKILL)
                killed_while_writing = True
                break
            time.sleep(0.02)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=30)

    if not killed_while_writing:
        pytest.fail(f"the import ended (code {process.returncode}) before it could be killed while writing")
    assert process.returncode == -signal.SIGKILL
    assert _imported(url, copy) == before
