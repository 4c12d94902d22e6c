"""Backup and restore round-trip (docs/backup.md): what `dumpdata` wrote, `loaddata` brings back
into a fresh database, with the same directory digest, the same directory export and the same audit
log. PostgreSQL installations use pg_dump/pg_restore, tested in the PostgreSQL run.

Runs the documented commands in subprocesses against database files of its own.
"""
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)
SEED = """
from django.conf import settings
from directory import reference
from directory.models import Region, State
reference.load_states(settings.DATA_DIR)
Region.objects.create(ars="09188", name="Starnberg", level="DISTRICT", state=State.objects.by_code("BY"))
"""
DIRECTORY = "\n".join(
    f'{{"type": "authority", "identifier": "by:sicherung-{n}", "name": "Behörde {n}", "stateCode": "BY", '
    f'"ars": "09188", "kind": "DISTRICT"}}\n'
    f'{{"type": "endpoint", "authority": "by:sicherung-{n}", "kind": "EMAIL", "address": "post-{n}@sicherung.example"}}'
    for n in range(25)
) + "\n"


def manage(url: str, *arguments: str, timeout: int = 300) -> str:
    environment = {**os.environ, "DATABASE_URL": url}
    done = subprocess.run([sys.executable, "manage.py", *arguments], cwd=ROOT, env=environment, check=True,
                          timeout=timeout, capture_output=True, text=True)
    return done.stdout


def fingerprint(url: str) -> dict:
    return {
        "digest": manage(url, "directory_digest").split()[-1],
        "export": manage(url, "export_directory"),
        "audit": manage(url, "shell", "-c", "from fitstore.models import AuditEntry; "
                        "print([(e.verb, e.object_repr, e.request_id) for e in AuditEntry.objects.order_by('id')])"),
    }


@pytest.fixture
def source(tmp_path):
    url = f"sqlite:///{tmp_path / 'source.sqlite3'}"
    manage(url, "migrate", "--noinput", "-v0")
    manage(url, "shell", "-c", SEED)
    (tmp_path / "directory.jsonl").write_text(DIRECTORY, encoding="utf-8")
    manage(url, "import_directory", str(tmp_path / "directory.jsonl"), "--no-progress")
    return url


def test_dumpdata_then_loaddata_into_a_fresh_database_restores_the_directory(source, tmp_path):
    backup = tmp_path / "backup.json"
    restored = f"sqlite:///{tmp_path / 'restored.sqlite3'}"

    manage(source, "dumpdata", "--natural-foreign", "--exclude", "contenttypes", "--exclude", "auth.permission",
           "--exclude", "sessions", "--exclude", "admin.logentry", "-o", str(backup))
    manage(restored, "migrate", "--noinput", "-v0")
    manage(restored, "loaddata", str(backup))

    before, after = fingerprint(source), fingerprint(restored)
    assert "by:sicherung-24" in before["export"] and before["export"].count('"type": "endpoint"') == 25
    assert after == before


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="pg_dump and pg_restore need PostgreSQL")
def test_pg_dump_then_pg_restore_into_a_fresh_database_restores_the_directory(tmp_path):
    database = settings.DATABASES["default"]
    host, port, user = database.get("HOST") or "127.0.0.1", str(database.get("PORT") or 5432), database.get("USER") or "postgres"
    environment = {**os.environ, **({"PGPASSWORD": database["PASSWORD"]} if database.get("PASSWORD") else {})}
    source_name, target_name = database["NAME"], f"{database['NAME']}_restored"
    base = f"postgres://{user}{':' + database['PASSWORD'] if database.get('PASSWORD') else ''}@{host}:{port}/"
    connection_args = ["-h", host, "-p", port, "-U", user]
    archive = tmp_path / "fitstore.dump"

    subprocess.run(["dropdb", *connection_args, "--if-exists", target_name], env=environment, check=True)
    subprocess.run(["pg_dump", *connection_args, "-Fc", "-f", str(archive), source_name], env=environment, check=True,
                   timeout=300)
    subprocess.run(["createdb", *connection_args, target_name], env=environment, check=True)
    try:
        subprocess.run(["pg_restore", *connection_args, "--no-owner", "-d", target_name, str(archive)], env=environment,
                       check=True, timeout=300)
        assert fingerprint(base + target_name) == fingerprint(base + source_name)
    finally:
        subprocess.run(["dropdb", *connection_args, "--if-exists", target_name], env=environment, check=False)
