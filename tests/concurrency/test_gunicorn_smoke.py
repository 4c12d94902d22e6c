"""Under concurrent load the site answers as it does one request at a time (issue 22).

gunicorn, the production server (docs/operations.md), runs with gthread workers (2 workers of 4
threads) on a database this test prepares on the suite's database engine: a SQLite file, or, when
DATABASE_URL names PostgreSQL, a database on the suite's server named after the suite's own. It
holds the demo data (`load_demo --reuse`), a small directory and a gateway's API token. Workers are
recycled every few dozen requests (gunicorn's --max-requests, which production uses too), so the
load meets freshly started workers again and again: start-up is where a lazily filled global is
seen half-filled by a second thread.

Right after the workers start, 8 clients send a few hundred requests at once to every public
page, the catalogue's search, the search suggestions, GraphQL (catalogue, search, and routes and
authorities with the token) and the FIT-Connect Routing API; then each request is sent once more,
alone. No answer may be a 5xx, the server log may hold no traceback, and every concurrent answer
must equal the sequential one, less what differs by design (CSRF tokens; the signature bytes of
FIT-Connect's `destinationSignature`, PS512 being randomised; the time a key set was signed).
"""
import base64
import http.client
import json
import os
import random
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from bench.bench_catalogue import SEARCH
from bench.harness import ROOT, server, server_env, server_log_problems

CLIENTS = 8
REQUESTS = 320
WORKERS, THREADS = 2, 4
# Each worker is replaced after 30-40 requests: the load meets about ten fresh workers.
RECYCLE = ("--max-requests", "30", "--max-requests-jitter", "10")

WOHNGELD = "99107023000000"
ELTERNGELD = "99041006000000"
BERG = "091880113113"  # Berg, Landkreis Starnberg (BY)
STARNBERG = "09188"

CATALOGUE = """query OnlineServices($first: Int, $search: String, $topic: String) {
  onlineServices(first: $first, search: $search, topic: $topic) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id slug name lifecycle efaConformant connectedStatesCount providerState { code }
                   latestRelease { version publishedAt } } }
  }
}"""
ONLINE_SERVICE = """query OnlineService($slug: String!) {
  onlineService(slug: $slug) {
    id slug name summary lifecycle providerState { code name } topic { code name }
    lifeSituations { code name } services { leikaKey name } efaCriteria { code met detail }
    efaConformant connectedStatesCount terms { annualCost allocationKey }
    costShares { party state { code } share annualAmount }
  }
}"""
STATES = "query States { states { code name ars koenigsteinShare accession { status agreementVersion } } }"
REGION = "query Region($ars: String!) { region(ars: $ars) { ars name level parent { ars name } state { code } } }"
ROUTES = """query Routes($leikaKey: String!, $ars: String!) {
  routes(leikaKey: $leikaKey, ars: $ars) {
    leikaKey region { ars name level } authority { identifier name state { code } }
    endpoints { kind address destinationId } onlineService { slug name }
  }
}"""
AUTHORITIES = """query Authorities($search: String) {
  authorities(search: $search, first: 20) {
    totalCount edges { node { identifier name kind region { ars } endpoints { kind address } } }
  }
}"""

PREPARE = """
import json
from django.core.management import call_command
from directory.models import Region
from fitstore import services
from store.models import OnlineService
from store.views import life_situation_slug

call_command("migrate", interactive=False, verbosity=0)
call_command("load_demo", reuse=True, no_progress=True, verbosity=0)
call_command("import_directory", DIRECTORY, no_progress=True, verbosity=0)
user, _ = services.ensure_user("smoke-gateway", actor="test")
services.grant_role(user, "gateway", actor="test")
online_services = OnlineService.objects.select_related("topic").prefetch_related("life_situations").order_by("slug")
print(json.dumps({
    "token": services.issue_token(user, name="smoke", actor="test")[1],
    "slugs": [service.slug for service in online_services],
    "topics": sorted({service.topic.code for service in online_services if service.topic}),
    "life_situations": sorted({life_situation_slug(situation) for service in online_services
                               for situation in service.life_situations.all()})[:6],
    "regions": [ars for ars in ("09", STARNBERG, BERG) if Region.objects.filter(ars=ars).exists()],
}))
"""


def _directory_lines() -> list[dict]:
    """A district, a municipality and a state ministry in Bavaria, with FIT-Connect destinations."""
    lines = []
    for number, (identifier, name, ars, kind, responsibilities) in enumerate((
        ("by:lra-starnberg", "Landratsamt Starnberg", STARNBERG, "DISTRICT", [(WOHNGELD, [STARNBERG])]),
        ("by:gemeinde-berg", "Gemeinde Berg", BERG, "MUNICIPAL", [(WOHNGELD, [BERG])]),
        ("by:stmas", "Bayerisches Staatsministerium für Familie", "09", "STATE", [(ELTERNGELD, ["09"])]),
    ), start=1):
        lines.append({"type": "authority", "identifier": identifier, "name": name, "stateCode": "BY", "ars": ars,
                      "kind": kind})
        lines.append({"type": "endpoint", "authority": identifier, "kind": "FIT_CONNECT",
                      "address": f"https://fc.example.org/{identifier.replace(':', '-')}",
                      "destinationId": f"00000000-0000-4000-8000-{number:012d}", "serviceUri": "", "certificatePem": ""})
        for leika_key, areas in responsibilities:
            lines.append({"type": "responsibility", "authority": identifier, "leikaKey": leika_key, "ars": areas})
    return lines


class PreparedDatabase:
    """The server's database: a SQLite file in `tmp`, or a PostgreSQL database beside the
    suite's (DATABASE_URL) called <suite's name>_smoke, dropped by `drop()`."""

    def __init__(self, tmp: Path):
        base = os.environ.get("DATABASE_URL", "")
        self.postgres = base.startswith("postgres")
        if self.postgres:
            self.server, _, name = base.partition("?")[0].rpartition("/")
            self.name = f"{name or 'fitstore'}_smoke"
            self.url = f"{self.server}/{self.name}"
            self._psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            self._psql(f"CREATE DATABASE {self.name}")
        else:
            self.url = f"sqlite:///{tmp / 'smoke.sqlite3'}"

    def _psql(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            connection.execute(sql)

    def drop(self) -> None:
        if self.postgres:
            self._psql(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """(server environment, what the database holds, a directory for the server log): the prepared
    database, not yet served."""
    tmp = tmp_path_factory.mktemp("smoke")
    directory = tmp / "directory.jsonl"
    directory.write_text("".join(json.dumps(line) + "\n" for line in _directory_lines()), encoding="utf-8")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
    database = PreparedDatabase(tmp)
    env = server_env(database.url, FITSTORE_VAR_DIR=str(tmp / "var"), DIRECTORY_SIGNING_KEY=key,
                     SECRET_KEY="concurrency-smoke-" + "x" * 40, CACHE_URL="", ROUTING_CACHE_SECONDS="300",
                     PYTHONUNBUFFERED="1")
    env.pop("DJANGO_SETTINGS_MODULE", None)
    script = f"DIRECTORY = {str(directory)!r}\nSTARNBERG = {STARNBERG!r}\nBERG = {BERG!r}\n{PREPARE}"
    try:
        prepared = subprocess.run([sys.executable, "manage.py", "shell", "-c", script], cwd=ROOT, env=env,
                                  capture_output=True, text=True, timeout=300)
        assert prepared.returncode == 0, prepared.stdout + prepared.stderr
        yield env, json.loads(prepared.stdout.strip().splitlines()[-1]), tmp
    finally:
        database.drop()


def _requests(data: dict) -> list[tuple[str, str, str | None, bool]]:
    """(method, path, JSON body or None, with the token): every public page, the search, the
    suggestions, GraphQL and the FIT-Connect API."""
    pages = ["/", "/katalog/", "/katalog/?q=Wohngeld", "/katalog/?q=wohngeldantrag", "/katalog/?q=Elterngeld",
             "/katalog/?q=Kita", "/katalog/?q=Geburt&lifecycle=LIVE", "/katalog/?lifecycle=AVAILABLE",
             "/katalog/?provider_state=MV",
             "/laender/", "/accounts/login/", "/healthz", "/.well-known/jwks.json",
             "/suche/vorschlaege?q=wohng", "/suche/vorschlaege?q=Eltern", "/suche/vorschlaege?q=bau",
             f"/fit-connect/v1/routes?leikaKey={WOHNGELD}&ars={BERG}",
             f"/fit-connect/v1/routes?leikaKey={WOHNGELD}&ars={STARNBERG}0139139",
             f"/fit-connect/v1/routes?leikaKey={ELTERNGELD}&ars={BERG}",
             "/fit-connect/v1/areas?areaSearchexpression=Starn*", "/fit-connect/v1/info",
             "/fit-connect/v1/openapi.yaml"]
    pages += [f"/katalog/{slug}/" for slug in data["slugs"]]
    pages += [f"/katalog/?topic={code}" for code in data["topics"][:2]]
    pages += [f"/themen/{code}/" for code in data["topics"]]
    pages += [f"/lebenslagen/{slug}/" for slug in data["life_situations"]]
    pages += [f"/regionen/{ars}/" for ars in data["regions"]]
    requests = [("GET", page, None, False) for page in pages]
    operations = [
        (CATALOGUE, {"first": 20}, False), (CATALOGUE, {"search": "Wohngeld"}, False),
        (CATALOGUE, {"topic": data["topics"][0]}, False), (SEARCH, {"query": "Wohngeld", "first": 5}, False),
        (SEARCH, {"query": "Kindergeld beantragen", "first": 5}, False), (SEARCH, {"query": "Bauantrag"}, False),
        (STATES, {}, False), (REGION, {"ars": BERG}, False),
        (ROUTES, {"leikaKey": WOHNGELD, "ars": BERG}, True), (ROUTES, {"leikaKey": ELTERNGELD, "ars": BERG}, True),
        (AUTHORITIES, {"search": "Starnberg"}, True), (AUTHORITIES, {}, True),
    ]
    operations += [(ONLINE_SERVICE, {"slug": slug}, False) for slug in data["slugs"][:3]]
    requests += [("POST", "/graphql/", json.dumps({"query": query, "variables": variables}), token)
                 for query, variables, token in operations]
    return requests


def _searches(request) -> bool:
    _method, path, body, _token = request
    if body is not None:
        return bool({"search", "query"} & set(json.loads(body)["variables"]))
    return "q=" in path or path.startswith("/suche/")


def _send(port: int, request, token: str) -> tuple[int, str, str]:
    """(status, content type, body) of one request on its own connection."""
    method, path, body, with_token = request
    headers = {"Accept-Language": "de", "Connection": "close"}
    if body is not None:
        headers.update({"Content-Type": "application/json", "Accept": "application/json"})
    if with_token:
        headers["Authorization"] = f"Bearer {token}"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read().decode("utf-8", "replace")
    finally:
        connection.close()


_CSRF = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+(")')


def _normalised(body: str, content_type: str) -> str:
    """The answer less what differs between two equal requests by design."""
    if "json" in content_type:
        data = json.loads(body)
        for route in (data.get("routes") or []) if isinstance(data, dict) else []:
            if isinstance(route, dict) and "destinationSignature" in route:  # header.payload: what is signed
                route["destinationSignature"] = route["destinationSignature"].rsplit(".", 1)[0]
        if isinstance(data, dict) and isinstance(data.get("signatures"), list):  # the key set's: dated when served
            data["signatures"] = [_undated_claims(jws) for jws in data["signatures"]]
        return json.dumps(data, sort_keys=True, ensure_ascii=False)
    return _CSRF.sub(r"\1…\2", body)


def _undated_claims(jws: str) -> dict:
    """A JWS's header and claims less when it was made and until when it holds."""
    header, payload = (json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))) for part in jws.split(".")[:2])
    return {"header": header, "claims": {name: value for name, value in payload.items() if name not in ("iat", "exp")}}


def _first_difference(concurrent: str, sequential: str) -> str:
    """Where two answers part: some characters around the first difference of each."""
    at = next((i for i, (a, b) in enumerate(zip(concurrent, sequential)) if a != b), min(len(concurrent), len(sequential)))
    return f"at {at}: {concurrent[max(at - 80, 0):at + 80]!r} ≠ {sequential[max(at - 80, 0):at + 80]!r}"


def test_concurrent_answers_equal_sequential_ones(site):
    env, data, tmp = site
    requests = _requests(data)
    # The search (pages, suggestions, GraphQL) three times as often: it is the catalogue's hot path.
    # Each client begins with two searches, so that the fresh workers meet them at once.
    weighted = [request for request in requests for _ in range(3 if _searches(request) else 1)]
    searches = [request for request in requests if _searches(request)]
    first = (searches * CLIENTS)[:2 * CLIENTS]
    rest = (weighted * (REQUESTS // len(weighted) + 1))[:REQUESTS - len(first)]
    random.Random(22).shuffle(rest)
    load = first + rest
    answers: list[tuple[tuple, tuple[int, str, str]]] = []
    lock = threading.Lock()
    log = tmp / "gunicorn.log"

    def client(mine):
        for request in mine:
            try:
                answer = _send(port, request, data["token"])
            except OSError as error:  # no answer at all: reported like a server error
                answer = (599, "", f"{type(error).__name__}: {error}")
            with lock:
                answers.append((request, answer))

    with server(env, WORKERS, threads=THREADS, log=log, ready=None, options=RECYCLE) as (_host, port):
        clients = [threading.Thread(target=client, args=(load[number::CLIENTS],)) for number in range(CLIENTS)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(timeout=120)
        sequential = {request: _send(port, request, data["token"]) for request in requests}

    assert len(answers) == REQUESTS, f"{REQUESTS - len(answers)} requests still unanswered after 120 s"
    for request, (status, content_type, body) in sequential.items():
        assert status == 200, (request, status, body[:500])
        assert request[0] == "GET" or "errors" not in json.loads(body), (request, body[:500])
    routes = sequential[("GET", f"/fit-connect/v1/routes?leikaKey={WOHNGELD}&ars={BERG}", None, False)]
    assert json.loads(routes[2])["totalCount"] == 1, routes  # the directory is there

    failed = sorted({(answer[0], request[1], (request[2] or "")[:60]) for request, answer in answers if answer[0] >= 500})
    problems = server_log_problems(log.read_text(encoding="utf-8", errors="replace"))
    differing = {}
    for request, (status, content_type, body) in answers:
        expected_status, expected_type, expected_body = sequential[request]
        concurrent, alone = _normalised(body, content_type), _normalised(expected_body, expected_type)
        if (status, content_type, concurrent) != (expected_status, expected_type, alone):
            key = (request[1], (request[2] or "")[:60])
            differing.setdefault(key, [0, f"{status} vs {expected_status}, " + _first_difference(concurrent, alone)])
            differing[key][0] += 1
    report = [f"{sum(1 for _, answer in answers if answer[0] >= 500)} of {REQUESTS} concurrent answers were 5xx: "
              f"{failed[:10]}" if failed else "",
              "server log:\n  " + "\n  ".join(problems[:20]) if problems else "",
              f"{sum(count for count, _ in differing.values())} concurrent answers differ from the sequential ones:\n  "
              + "\n  ".join(f"{count}× {key}: {difference}" for key, (count, difference) in list(differing.items())[:5])
              if differing else ""]
    assert not failed and not problems and not differing, "\n".join(line for line in report if line)
