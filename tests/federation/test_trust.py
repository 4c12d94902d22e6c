"""Federated trust, end to end: two nodes with their own keys, a tampering HTTP proxy between them
on loopback. The altered page is refused and nothing of it applied; the honest path converges; the
mirror's routing answers name the same online service and carry the source's signatures; a signed
digest verifies on the other node; a key rotation while the mirror follows loses no change."""
import json
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import jwt
import pytest

from .nodes import ROOT, Node

WOHNGELD = "99107023000000"
DISTRICTS = """query D($state: String!) { regions(state: $state, level: "DISTRICT", first: 8) { edges { node { ars } } } }"""
ROUTES = """query R($leikaKey: String!, $ars: String!) { routes(leikaKey: $leikaKey, ars: $ars) {
  level region { ars } authority { identifier name } endpoints { kind address destinationId }
  onlineService { slug name providerState { code } } } }"""
NAME = """query A($identifier: String!) { authority(identifier: $identifier) { name } }"""
UPDATE = """mutation U($input: UpdateAuthorityInput!) { updateAuthority(input: $input) { errors { field code } } }"""
FORGED = "Landratsamt Gefaelscht"


class TamperingProxy:
    """A forward HTTP proxy on loopback (the mirror reaches it through `http_proxy`) that passes
    everything on and, in pages of `directoryChanges`, renames the authority called `name`."""

    def __init__(self, name: str):
        self.needle = json.dumps({"name": name}, separators=(",", ":"))[1:-1].encode()
        self.forged = json.dumps({"name": FORGED}, separators=(",", ":"))[1:-1].encode()
        self.tampered = 0
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def _forward(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else None
                headers = {key: value for key, value in self.headers.items()
                           if key.lower() not in ("proxy-connection", "connection", "host")}
                request = urllib.request.Request(self.path, data=body, method=self.command, headers=headers)
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # straight to the node
                try:
                    with opener.open(request, timeout=30) as response:
                        status, content, kind = response.status, response.read(), response.headers["Content-Type"]
                except urllib.error.HTTPError as error:
                    status, content, kind = error.code, error.read(), error.headers["Content-Type"]
                if b'"directoryChanges"' in content and proxy.needle in content:
                    content = content.replace(proxy.needle, proxy.forged)
                    proxy.tampered += 1
                self.send_response(status)
                self.send_header("Content-Type", kind or "application/json")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

            do_GET = do_POST = _forward

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def _setup_source(source: Node, tmp) -> dict:
    """A directory of BY and NI districts with FIT-Connect endpoints, an online service registered
    on the source only, NI connected to it; tokens."""
    lines, places = [], {}
    for state in ("BY", "NI"):
        districts = [edge["node"]["ars"] for edge in source.graphql(DISTRICTS, {"state": state}, TOKENS["gateway"])
                     ["regions"]["edges"]][:4]
        places[state] = districts
        for district in districts:
            identifier = f"{state.lower()}:lra-{district}"
            lines += [
                {"type": "authority", "identifier": identifier, "name": f"Landratsamt {district}", "stateCode": state,
                 "ars": district, "kind": "DISTRICT"},
                {"type": "endpoint", "authority": identifier, "kind": "FIT_CONNECT",
                 "address": f"https://fc{district}.example.org/api",
                 "destinationId": f"00000000-0000-4000-8000-{int(district):012d}", "serviceUri": "", "certificatePem": ""},
                {"type": "responsibility", "authority": identifier, "leikaKey": WOHNGELD, "ars": [district]},
            ]
    path = tmp / "trust-directory.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    source.manage("import_directory", "--no-progress", str(path))
    source.manage("shell", "-c", (
        "from directory.models import State\n"
        "from licensing import services as licensing\n"
        "from store import services as store\n"
        "from store.models import LeikaService\n"
        "service = store.register_online_service(slug='wohngeld-nord', name='Wohngeld Nord', provider_state='HB', "
        f"services=[LeikaService.objects.get(leika_key='{WOHNGELD}').pk], lifecycle='AVAILABLE', actor='test')\n"
        "ni = State.objects.by_code('NI')\n"
        "licensing.join_store(ni, signatory='Staatssekretärin', actor='test')\n"
        "subscription = licensing.subscribe(ni, service, legal_basis='FIT_STORE', actor='test')\n"
        "licensing.confirm_subscription(subscription, accept=True, actor='test')\n"
        "licensing.connect_subscription(subscription, actor='test')\n"
    ))
    return places


TOKENS: dict[str, str] = {}


@pytest.fixture(scope="module")
def trust_nodes(federation):
    source, mirror = federation.node("trust_source"), federation.node("trust_mirror")
    TOKENS.update(source.tokens(gateway=("gateway", None), pflege=("directory-maintainer", "BY")))
    TOKENS["mirror-operator"] = mirror.tokens(betrieb=("operator", None))["betrieb"]
    places = _setup_source(source, federation.tmp)
    yield source, mirror, places, federation.tmp
    federation.stop(source, mirror)


def _sync(mirror: Node, source: Node, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "sync_directory", "--source", source.base,
         "--token", TOKENS["gateway"], "--no-progress", *extra],
        cwd=ROOT, env={**mirror.env, "DATABASE_URL": mirror.database_url, **(env or {})},
        capture_output=True, text=True, timeout=180)


def _shell(node: Node, script: str) -> str:
    return node.manage("shell", "-c", "import json\n" + script).strip().splitlines()[-1]


def _fit_connect_routes(node: Node, ars: str) -> list[dict]:
    return node.get(f"/fit-connect/v1/routes?leikaKey={WOHNGELD}&ars={ars}")["routes"]


def test_an_altered_page_is_refused_and_the_honest_path_converges(trust_nodes):
    source, mirror, places, tmp = trust_nodes
    anchor = source.anchor(tmp)
    victim = f"Landratsamt {places['NI'][1]}"
    proxy = TamperingProxy(victim)
    try:
        through_proxy = {"http_proxy": proxy.url, "HTTP_PROXY": proxy.url, "no_proxy": "", "NO_PROXY": ""}
        refused = _sync(mirror, source, "--page-size", "5", "--trust-anchor", anchor, env=through_proxy)
    finally:
        proxy.close()

    assert proxy.tampered == 1
    assert refused.returncode == 1, refused.stdout + refused.stderr
    message = refused.stderr.strip().splitlines()[-1]
    assert "refused the page after cursor" in message and "nothing of it was applied" in message, message
    assert "altered" in message and "check the path to the source" in message, message
    # The pages before it are applied, nothing of it: neither the forged name nor its other changes.
    identifier = f"ni:lra-{places['NI'][1]}"
    assert mirror.graphql(NAME, {"identifier": identifier}, TOKENS["mirror-operator"])["authority"] is None
    assert mirror.graphql(NAME, {"identifier": f"by:lra-{places['BY'][0]}"}, TOKENS["mirror-operator"])["authority"]
    forged, refusals, recorded = json.loads(_shell(mirror, (
        "from directory.models import Authority, MirrorState\n"
        "from fitstore.models import AuditEntry\n"
        f"print(json.dumps([Authority.objects.filter(name='{FORGED}').count(),\n"
        "    list(AuditEntry.objects.filter(verb='refuse_directory_page').values_list('note', flat=True)),\n"
        "    MirrorState.objects.get().last_refusal]))\n")))
    assert forged == 0
    assert refusals == [recorded] and "altered" in recorded  # one audit row, with the reason

    honest = _sync(mirror, source, "--page-size", "5", "--trust-anchor", anchor)
    assert honest.returncode == 0, honest.stdout + honest.stderr
    assert mirror.digest() == source.digest()
    assert mirror.graphql(NAME, {"identifier": identifier}, TOKENS["mirror-operator"])["authority"]["name"] == victim


def test_the_mirror_answers_as_the_source(trust_nodes):
    source, mirror, places, tmp = trust_nodes
    questions = [*places["BY"][:2], *places["NI"][:2], places["NI"][0] + "0000"]
    questions = [ars for ars in questions if len(ars) in (2, 3, 5, 9, 12)]
    for ars in questions:
        asked = {"leikaKey": WOHNGELD, "ars": ars}
        assert (mirror.graphql(ROUTES, asked, TOKENS["mirror-operator"])
                == source.graphql(ROUTES, asked, TOKENS["gateway"]))
    ni_route = source.graphql(ROUTES, {"leikaKey": WOHNGELD, "ars": places["NI"][0]}, TOKENS["gateway"])["routes"]
    assert ni_route[0]["onlineService"]["slug"] == "wohngeld-nord"  # NI's CONNECTED subscription at the source

    source_keys = {key["kid"]: key for key in source.jwks()["keys"]}
    mirror_keys = {key["kid"] for key in mirror.jwks()["keys"]}
    for ars in questions:
        theirs, ours = _fit_connect_routes(source, ars), _fit_connect_routes(mirror, ars)
        assert ours and len(ours) == len(theirs)
        for relayed, original in zip(ours, theirs):
            assert {k: v for k, v in relayed.items() if k != "destinationSignature"} == \
                   {k: v for k, v in original.items() if k != "destinationSignature"}
            kid = jwt.get_unverified_header(relayed["destinationSignature"])["kid"]
            assert kid in source_keys and kid not in mirror_keys  # the source's signature, not the mirror's
            claims = jwt.decode(relayed["destinationSignature"], jwt.PyJWK(source_keys[kid]).key,
                                algorithms=["PS512"], options={"verify_iat": False})
            assert claims == jwt.decode(original["destinationSignature"], options={"verify_signature": False})
            assert claims["iss"] == source.base


def test_a_signed_digest_verifies_on_the_other_node(trust_nodes):
    source, mirror, places, tmp = trust_nodes
    token = source.manage("directory_digest", "--signed").split()[-1]

    checked = mirror.manage("directory_digest", "--verify", token, "--source", source.base)
    assert "holds the same" in checked and source.digest() in checked

    header, payload, signature = token.split(".")
    forged = payload[:-4] + ("AAAA" if not payload.endswith("AAAA") else "BBBB")
    refused = mirror.manage("directory_digest", "--verify", f"{header}.{forged}.{signature}", "--source",
                            source.base, check=False)
    assert "does not hold" in refused


def _wait_for(condition, seconds=40.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


def test_a_key_rotation_while_the_mirror_follows_loses_no_change(trust_nodes):
    source, mirror, places, tmp = trust_nodes
    old_kid = source.jwks()["keys"][0]["kid"]
    answered_before = _fit_connect_routes(source, places["BY"][0])[0]["destinationSignature"]
    follower = subprocess.Popen(
        [sys.executable, "manage.py", "sync_directory", "--source", source.base, "--token", TOKENS["gateway"],
         "--follow", "--max-wait", "2", "--no-progress", "--trust-anchor", source.anchor(tmp)],
        cwd=ROOT, env={**mirror.env, "DATABASE_URL": mirror.database_url}, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True)
    try:
        def rename(number: int):
            identifier = f"by:lra-{places['BY'][number % 4]}"
            assert source.graphql(UPDATE, {"input": {"identifier": identifier, "name": f"LRA Runde {number}"}},
                                  TOKENS["pflege"])["updateAuthority"]["errors"] == []
            return identifier, f"LRA Runde {number}"

        def arrived(change):
            identifier, name = change
            return mirror.graphql(NAME, {"identifier": identifier}, TOKENS["mirror-operator"])["authority"]["name"] == name

        change = rename(1)
        assert _wait_for(lambda: arrived(change))
        source.manage("signing_keys", "add")  # published ahead of use
        published = {key["kid"] for key in source.jwks()["keys"]}
        assert old_kid in published and len(published) == 2
        change = rename(2)
        assert _wait_for(lambda: arrived(change))
        source.manage("signing_keys", "activate", "--overlap", "0")
        new_kid = next(iter(published - {old_kid}))
        assert {key["kid"] for key in source.jwks()["keys"]} == published  # the old key still verifies
        jwt.decode(answered_before, jwt.PyJWK(next(key for key in source.jwks()["keys"] if key["kid"] == old_kid)).key,
                   algorithms=["PS512"], options={"verify_iat": False})
        assert jwt.get_unverified_header(_fit_connect_routes(source, places["BY"][0])[0]["destinationSignature"])[
            "kid"] == new_kid
        change = rename(3)
        assert _wait_for(lambda: arrived(change))
        source.manage("signing_keys", "retire", "--overlap", "0")
        assert [key["kid"] for key in source.jwks()["keys"]] == [new_kid]
        change = rename(4)
        assert _wait_for(lambda: arrived(change))
        assert _wait_for(lambda: mirror.digest() == source.digest())

        # The signatures the mirror relays were renewed: they verify with the source's keys as they are now.
        current = {key["kid"]: key for key in source.jwks()["keys"]}

        def renewed():
            tokens = [route["destinationSignature"] for state in ("BY", "NI") for ars in places[state]
                      for route in _fit_connect_routes(mirror, ars)]
            return tokens and all(jwt.get_unverified_header(token)["kid"] in current for token in tokens)

        assert _wait_for(renewed)
    finally:
        follower.send_signal(signal.SIGINT)
        try:
            output = follower.communicate(timeout=20)[0]
        except subprocess.TimeoutExpired:
            follower.kill()
            output = follower.communicate()[0]
    assert "refused" not in output, output
    assert "trusting the source's new key set" in output, output
    assert _shell(mirror, "from directory.models import TrustedKeySet\nprint(TrustedKeySet.objects.get().basis)") \
        == "ROTATED"
