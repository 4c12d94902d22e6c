"""The committed api/schema.graphql is the schema the server runs (regenerate: `make schema`)."""
from pathlib import Path

from api.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "api" / "schema.graphql"


def test_committed_schema_is_current():
    committed = SCHEMA_FILE.read_text(encoding="utf-8")
    assert committed.strip() == str(schema).strip(), "api/schema.graphql is stale: run `make schema` and commit it"
