"""GraphQL over HTTP: media types, status codes and parameters as the specification asks."""
import json
import shutil
import subprocess
from pathlib import Path

import pytest

AUDIT = Path(__file__).resolve().parents[3] / "shared" / "tools" / "graphql-http-audit" / "run"
GRAPHQL_RESPONSE = "application/graphql-response+json"


def post(client, body, accept=None):
    headers = {"HTTP_ACCEPT": accept} if accept else {}
    return client.post("/graphql/", body if isinstance(body, str) else json.dumps(body),
                       content_type="application/json", **headers)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "accept, media_type",
    [(None, "application/json"), ("*/*", "application/json"), ("application/json", "application/json"),
     (GRAPHQL_RESPONSE, GRAPHQL_RESPONSE), (f"{GRAPHQL_RESPONSE}, application/json;q=0.9", GRAPHQL_RESPONSE),
     (f"application/json, {GRAPHQL_RESPONSE};q=0.5", "application/json")],
)
def test_response_media_type_follows_accept(client, accept, media_type):
    response = post(client, {"query": "{ __typename }"}, accept)

    assert response.status_code == 200
    assert response["Content-Type"] == f"{media_type}; charset=utf-8"
    assert response.json() == {"data": {"__typename": "Query"}}


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["{", "{ nonsense }", "query ($ars: String!) { region(ars: $ars) { ars } }"])
def test_request_errors_are_400_for_graphql_response_json_and_200_for_json(client, query):
    modern = post(client, {"query": query}, GRAPHQL_RESPONSE)
    legacy = post(client, {"query": query}, "application/json")

    assert modern.status_code == 400 and "data" not in modern.json() and modern.json()["errors"]
    assert legacy.status_code == 200 and legacy.json()["errors"]


@pytest.mark.django_db
@pytest.mark.parametrize("extensions", ["string", 1, True, [1]])
def test_malformed_extensions_are_400(client, extensions):
    assert post(client, {"query": "{ __typename }", "extensions": extensions}).status_code == 400


@pytest.mark.django_db
def test_get_runs_queries_but_not_mutations(client):
    assert client.get("/graphql/", {"query": "{ __typename }"}, HTTP_ACCEPT="application/json").status_code == 200
    mutation = 'mutation { revokeToken(input: {token: "x"}) { errors { code } } }'
    assert client.get("/graphql/", {"query": mutation}, HTTP_ACCEPT="application/json").status_code == 405


@pytest.mark.skipif(not AUDIT.exists(), reason="../shared/tools/graphql-http-audit is not beside this checkout")
@pytest.mark.skipif(shutil.which("npm") is None, reason="the audit suite needs node and npm")
def test_the_specifications_audit_suite_passes_all_61_audits(live_server):
    result = subprocess.run([str(AUDIT), f"{live_server.url}/graphql/"], capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().splitlines()[-1] == "audits: 61 passed, 0 failed", result.stdout
