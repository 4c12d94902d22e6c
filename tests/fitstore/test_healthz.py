"""`GET /healthz`: 200 when the database answers, and which search backend serves."""
from django.db import connection


def test_healthz_reports_database_and_search(client, db):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": connection.vendor, "search": "embedded"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_names_the_engine_backend(client, db, settings):
    settings.SEARCH_URL = "opensearch+http://127.0.0.1:9200"

    assert client.get("/healthz").json()["search"] == "opensearch"


def test_healthz_takes_only_safe_methods(client, db):
    assert client.post("/healthz").status_code == 405


def test_every_response_carries_a_request_id(client, db):
    given = client.get("/healthz", HTTP_X_REQUEST_ID="abc-123")
    made = client.get("/healthz", HTTP_X_REQUEST_ID="not ok; injected")

    assert given["X-Request-ID"] == "abc-123"
    assert made["X-Request-ID"] != "not ok; injected" and len(made["X-Request-ID"]) == 32
