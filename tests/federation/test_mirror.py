"""Two live nodes: write on the source, mirror it with sync_directory, compare digests and
`routes`; interrupt a sync after its first page and resume; local writes on mirrored entries are
refused; a state mirror holds exactly that state's part."""
import json
import signal
import subprocess
import sys

import pytest

from .nodes import ROOT, Node

WOHNGELD = "99107023000000"
ROUTES = """query R($leikaKey: String!, $ars: String!) { routes(leikaKey: $leikaKey, ars: $ars) {
  level region { ars } authority { identifier name kind active state { code } }
  endpoints { kind address destinationId serviceUri } onlineService { slug } } }"""
DISTRICTS = """query D($state: String!) { regions(state: $state, level: "DISTRICT", first: 30) { edges { node { ars } } } }"""
UPDATE = """mutation U($input: UpdateAuthorityInput!) { updateAuthority(input: $input) { errors { field code message } } }"""
WITHDRAW = """mutation W($input: WithdrawResponsibilityInput!) {
  withdrawResponsibility(input: $input) { errors { field code message } } }"""
DEACTIVATE = """mutation D($input: DeactivateAuthorityInput!) { deactivateAuthority(input: $input) { errors { field code message } } }"""
COUNT = """{ authorities(first: 1) { totalCount } }"""
NAME = """query A($identifier: String!) { authority(identifier: $identifier) { name origin } }"""
CHANGES = """query C($after: String) { directoryChanges(after: $after, first: 100) {
  pageInfo { hasNextPage endCursor } edges { node { objectType action data } } } }"""


@pytest.fixture(scope="module")
def nodes(federation):
    source, mirror = federation.node("source"), federation.node("mirror")
    yield source, mirror, federation.databases.copy("state_mirror"), federation.env, federation.tmp
    federation.stop(source, mirror)


def _directory(source: Node, tmp) -> None:
    """A directory of two states written on the source: a bulk import, then single writes."""
    lines = []
    for state, ars in (("BY", "09"), ("NI", "03")):
        districts = [edge["node"]["ars"] for edge in source.graphql(DISTRICTS, {"state": state})["regions"]["edges"]]
        for number, district in enumerate(districts[:20]):
            identifier = f"{state.lower()}:lra-{district}"
            lines.append({"type": "authority", "identifier": identifier, "name": f"Landratsamt {district}",
                          "stateCode": state, "ars": district, "kind": "DISTRICT"})
            lines.append({"type": "endpoint", "authority": identifier, "kind": "FIT_CONNECT",
                          "address": f"https://fc.example.org/{district}",
                          "destinationId": f"00000000-0000-4000-8000-{int(district):012d}", "serviceUri": "",
                          "certificatePem": ""})
            lines.append({"type": "responsibility", "authority": identifier, "leikaKey": WOHNGELD, "ars": [district]})
        lines.append({"type": "authority", "identifier": f"{state.lower()}:ministerium", "name": f"Ministerium {state}",
                      "stateCode": state, "ars": ars, "kind": "STATE"})
        lines.append({"type": "responsibility", "authority": f"{state.lower()}:ministerium", "leikaKey": WOHNGELD,
                      "ars": [ars]})
    path = tmp / "directory.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    source.manage("import_directory", "--no-progress", str(path))


def _routes(node: Node, token: str, places: list[str]) -> list:
    return [node.graphql(ROUTES, {"leikaKey": WOHNGELD, "ars": ars}, token)["routes"] for ars in places]


def test_a_mirror_follows_its_source_and_resumes_after_an_interruption(nodes):
    source, mirror, state_mirror_url, env, tmp = nodes
    _directory(source, tmp)
    tokens = source.tokens(**{"pflege-by": ("directory-maintainer", "BY"), "gateway-mirror": ("gateway", None)})
    maintainer, gateway = tokens["pflege-by"], tokens["gateway-mirror"]
    operator = mirror.tokens(betrieb=("operator", None))["betrieb"]  # reads the mirror, tries to write it
    districts = [edge["node"]["ars"] for edge in source.graphql(DISTRICTS, {"state": "BY"})["regions"]["edges"]][:3]
    assert source.graphql(UPDATE, {"input": {"identifier": f"by:lra-{districts[0]}", "name": "LRA neu"}},
                          maintainer)["updateAuthority"]["errors"] == []
    assert source.graphql(WITHDRAW, {"input": {"authority": f"by:lra-{districts[1]}", "leikaKey": WOHNGELD}},
                          maintainer)["withdrawResponsibility"]["errors"] == []
    assert source.graphql(DEACTIVATE, {"input": {"identifier": f"by:lra-{districts[2]}"}},
                          maintainer)["deactivateAuthority"]["errors"] == []
    source_digest, source_by, source_ni = source.digest(), source.digest("BY"), source.digest("NI")

    # Interrupted after its first page (5 changes of about 130): what was committed stays.
    anchor = source.anchor(tmp)  # the source's keys, handed over out of band
    command = [sys.executable, "manage.py", "sync_directory", "--source", source.base, "--token", gateway,
               "--page-size", "5", "--no-progress", "--trust-anchor", anchor]
    process = subprocess.Popen(command, cwd=ROOT, env={**mirror.env, "DATABASE_URL": mirror.database_url},
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    first = process.stdout.readline()
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert "page 1 applied" in first, first + process.stderr.read()
    assert mirror.graphql(COUNT, token=operator)["authorities"]["totalCount"] > 0
    assert mirror.digest() != source_digest

    # Resumed, here with the GraphQL endpoint's URL as the source (the same node).
    output = mirror.manage("sync_directory", "--source", f"{source.base}/graphql/", "--token", gateway,
                           "--no-progress")
    assert f"from {source.base}," in output.splitlines()[-1]
    assert mirror.digest() == source_digest
    assert mirror.digest("BY") == source_by

    # Nothing applied twice: one creation per authority in the mirror's own change feed.
    created, after = [], None
    while True:
        page = mirror.graphql(CHANGES, {"after": after}, operator)["directoryChanges"]
        created += [edge["node"]["data"]["identifier"] for edge in page["edges"]
                    if edge["node"]["objectType"] == "Authority" and edge["node"]["action"] == "CREATED"]
        after = page["pageInfo"]["endCursor"]
        if not page["pageInfo"]["hasNextPage"]:
            break
    assert len(created) == len(set(created)) == 42

    # `routes` answers on the mirror as on the source (districts, a municipality, the states).
    places = [*districts, districts[0] + "0000", "09", "03"]
    places = [place for place in places if len(place) in (2, 3, 5, 9, 12)]
    assert _routes(mirror, operator, places) == _routes(source, gateway, places)
    assert any(_routes(source, gateway, places))

    # A new write on the source reaches the mirror on the next run; unchanged runs change nothing.
    assert source.graphql(UPDATE, {"input": {"identifier": "by:ministerium", "name": "StMB"}},
                          maintainer)["updateAuthority"]["errors"] == []
    mirror.manage("sync_directory", "--source", source.base, "--token", gateway, "--no-progress")
    source_digest = source.digest()
    assert mirror.digest() == source_digest
    again = mirror.manage("sync_directory", "--source", source.base, "--token", gateway, "--no-progress")
    assert again.startswith("sync_directory: 0 changes")

    # Mirrored entries are written only at their source.
    refused = mirror.graphql(UPDATE, {"input": {"identifier": "by:ministerium", "name": "Lokal"}}, operator)
    assert [(e["field"], e["code"]) for e in refused["updateAuthority"]["errors"]] == [("identifier", "MIRRORED")]
    assert mirror.graphql(NAME, {"identifier": "by:ministerium"}, operator)["authority"]["name"] == "StMB"

    # A state mirror holds that state's part and nothing else. On first contact without an anchor
    # it shows the source's keys and trusts them only when told to.
    from .nodes import manage

    refused = manage(["sync_directory", "--source", source.base, "--token", gateway, "--state", "NI"], env,
                     state_mirror_url, check=False)
    kid = source.jwks()["keys"][0]["kid"]
    assert "first contact" in refused and kid in refused and "--accept-keys" in refused, refused
    assert manage(["directory_digest", "--state", "NI"], env, state_mirror_url).split()[-1] != source_ni
    manage(["sync_directory", "--source", source.base, "--token", gateway, "--state", "NI", "--no-progress",
            "--accept-keys"], env, state_mirror_url)
    assert manage(["directory_digest", "--state", "NI"], env, state_mirror_url).split()[-1] == source_ni
    assert manage(["directory_digest"], env, state_mirror_url).split()[-1] == source_ni


def test_a_bad_token_or_source_stops_with_a_clear_error(nodes):
    source, mirror, _state_mirror_url, _env, tmp = nodes
    output = mirror.manage("sync_directory", "--source", source.base, "--token", "fst_invalid",
                           "--trust-anchor", source.anchor(tmp), check=False)
    assert "401" in output
    output = mirror.manage("sync_directory", "--source", "http://example.org", "--token", "x", check=False)
    assert "https" in output
