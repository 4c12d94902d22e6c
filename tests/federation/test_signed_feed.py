"""In one process: each page of `directoryChanges` is signed over its exact content and cursor
range; a mirror refuses what does not verify (applying nothing, with an audit row and a line the
operator can act on), trusts keys only out of band or on confirmation, takes rotated key sets
signed by a trusted key, and copies what routing reads of reuse."""
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from directory import services
from directory.federation import feed, mirror, trust
from directory.federation.remote import SyncError, TrustError, normalise_source
from directory.models import Authority, MirroredConnection, MirrorState, Region, TrustedKeySet
from fitstore import signing
from fitstore.models import AuditEntry
from store import extensions
from store.models import LeikaService, OnlineService

from .feeds import FeedSource

pytestmark = pytest.mark.django_db

WOHNGELD = "99107023000000"
CHANGES = """query C($after: String, $state: String) { directoryChanges(after: $after, first: 100, state: $state) {
  signature pageInfo { hasNextPage endCursor }
  edges { cursor node { objectType objectId action at data destinationSignatures } } } }"""
ROUTE_SERVICES = """query S($known: String) { directoryRouteServices(known: $known) { digest onlineServices signature } }"""


@pytest.fixture
def gateway(make_user, make_token):
    return make_token(make_user("gw", role="gateway"))


@pytest.fixture
def office():
    office = services.register_authority(identifier="by:lra-starnberg", name="Landratsamt Starnberg",
                                         state_code="BY", ars="09188", kind="DISTRICT", actor="test")
    services.register_endpoint(office, kind="FIT_CONNECT", address="https://fc.example.org/starnberg",
                               destination_id="3fa85f64-5717-4562-b3fc-2c963f66afa6", actor="test")
    services.assign_responsibility(office, leika_key=WOHNGELD, ars=["09188"], actor="test")
    return office


def _keys():
    return signing.jwks()["keys"]


def _edges(page):
    return json.loads(json.dumps(page["edges"]))


def test_a_served_page_verifies_and_any_change_to_it_does_not(graphql, gateway, office):
    page = graphql.data(CHANGES, {}, token=gateway)["directoryChanges"]
    header, claims = feed.verify_page(page, _keys(), after=None, state_code=None)
    assert header["typ"] == feed.PAGE_TYPE and claims["endCursor"] == page["pageInfo"]["endCursor"]
    endpoint = next(edge["node"] for edge in page["edges"] if edge["node"]["objectType"] == "Endpoint")
    assert set(endpoint["destinationSignatures"]) == {WOHNGELD}  # what a mirror relays

    def refused(changed: dict, **question) -> str:
        with pytest.raises(feed.StatementRefused) as error:
            feed.verify_page(changed, _keys(), **{"after": None, "state_code": None, **question})
        return error.value.code

    renamed = _edges(page)
    renamed[0]["node"]["data"]["name"] = "Landratsamt Gefälscht"
    assert refused({**page, "edges": renamed}) == "ALTERED"
    assert refused({**page, "edges": page["edges"][:-1]}) == "ALTERED"  # a change left out
    assert refused({**page, "pageInfo": {**page["pageInfo"], "hasNextPage": True}}) == "ALTERED"
    assert refused(page, after="1") == "MISMATCH"  # replayed as the answer to another question
    assert refused(page, state_code="BY") == "MISMATCH"
    assert refused({**page, "signature": None}) == "UNSIGNED"
    assert refused(page | {"signature": page["signature"][:-8] + "AAAAAAAA"}) == "BAD_SIGNATURE"
    other = signing.public_jwk_of(signing.load_private_key(signing.private_pem(_small_key())).public_key(), [])
    with pytest.raises(feed.StatementRefused) as error:
        feed.verify_page(page, [other], after=None, state_code=None)
    assert error.value.code == "UNKNOWN_KEY"
    # A destination signature is no page, though the same key made it.
    assert refused(page | {"signature": endpoint["destinationSignatures"][WOHNGELD]}) == "WRONG_TYPE"


def test_an_expired_page_is_refused(graphql, gateway, office, settings):
    settings.DIRECTORY_STATEMENT_SECONDS = -120  # valid until two minutes ago (beyond the clocks' leeway)
    page = graphql.data(CHANGES, {}, token=gateway)["directoryChanges"]
    with pytest.raises(feed.StatementRefused) as error:
        feed.verify_page(page, _keys(), after=None, state_code=None)
    assert error.value.code == "EXPIRED" and "expired" in str(error.value)


def _small_key():
    from cryptography.hazmat.primitives.asymmetric import rsa

    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _another_nodes_edges():
    return [{"cursor": str(number), "node": {"objectType": kind, "objectId": f"x{number}", "action": "CREATED",
                                              "at": "2026-11-28T12:00:00+00:00", "data": data,
                                              "destinationSignatures": None}}
            for number, (kind, data) in enumerate([
                ("Authority", {"type": "authority", "identifier": "by:lra-spiegel", "name": "Landratsamt Spiegel",
                               "stateCode": "BY", "ars": "09188", "kind": "DISTRICT", "active": True}),
                ("Responsibility", {"type": "responsibility", "authority": "by:lra-spiegel", "leikaKey": WOHNGELD,
                                    "ars": ["09188"], "nationwide": False}),
            ], start=1)]


@pytest.mark.parametrize("tamper, code", [("unsigned", "UNSIGNED"), ("altered", "ALTERED")])
def test_sync_refuses_a_page_that_does_not_verify_and_applies_nothing(request, tmp_path, tamper, code):
    source = FeedSource(request, _another_nodes_edges(), tamper=tamper)
    before = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    with pytest.raises(mirror.PageRefused) as refused:
        mirror.sync(source.url, "fst_x", anchor_path=source.anchor(tmp_path), actor=mirror.MIRROR_ACTOR)

    assert refused.value.code == code
    message = str(refused.value)
    assert message.startswith(f"refused the page after cursor 0 from {source.url}:")
    assert "nothing of it was applied" in message
    assert ("Something between the nodes" in message) if tamper == "altered" else ("without signature" in message)
    assert not Authority.objects.filter(identifier="by:lra-spiegel").exists()
    state = MirrorState.objects.get(source=source.url)
    assert state.cursor == "" and state.last_refusal == message
    written = list(AuditEntry.objects.filter(id__gt=before).order_by("id").values_list("verb", "note"))
    assert written == [("trust_source_keys", f"trust anchor {source.anchor(tmp_path)}"),
                       ("refuse_directory_page", message)]


def test_a_relayed_signature_that_does_not_hold_refuses_its_page(request, tmp_path):
    stranger = _small_key()
    jwk = signing.public_jwk_of(stranger.public_key(), [])
    forged = signing.sign({"destinationId": "3fa85f64-5717-4562-b3fc-2c963f66afa6"},
                          key=signing.Key(kid=jwk["kid"], state="CURRENT", jwk=jwk, pem=signing.private_pem(stranger)))
    edges = _another_nodes_edges()
    edges.insert(1, {"cursor": "3", "node": {
        "objectType": "Endpoint", "objectId": "e1", "action": "CREATED", "at": "2026-11-28T12:00:00+00:00",
        "data": {"type": "endpoint", "key": "7", "authority": "by:lra-spiegel", "kind": "FIT_CONNECT",
                 "address": "https://fc.example.org/spiegel", "destinationId": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
                 "serviceUri": "", "certificatePem": "", "validFrom": None, "validUntil": None, "active": True},
        "destinationSignatures": {WOHNGELD: forged}}})
    for number, edge in enumerate(edges, start=1):
        edge["cursor"] = str(number)
    source = FeedSource(request, edges)  # the page itself is signed by the source: only the relayed one is forged

    with pytest.raises(mirror.PageRefused) as refused:
        mirror.sync(source.url, "fst_x", anchor_path=source.anchor(tmp_path), actor=mirror.MIRROR_ACTOR)

    assert refused.value.code == "UNKNOWN_KEY" and "destination signature it relays" in str(refused.value)
    assert not Authority.objects.filter(identifier="by:lra-spiegel").exists()
    assert MirrorState.objects.get(source=source.url).cursor == ""


def test_the_command_says_why_and_exits_non_zero(request, tmp_path):
    source = FeedSource(request, _another_nodes_edges(), tamper="altered")
    with pytest.raises(CommandError) as error:
        call_command("sync_directory", "--source", source.url, "--token", "x", "--trust-anchor",
                     source.anchor(tmp_path), "--no-progress")
    assert str(error.value).startswith("sync_directory: refused the page after cursor 0")


def test_an_honest_page_is_applied_with_its_route_services(request, tmp_path):
    online_services = [{"slug": "wohngeld-nord", "name": "Wohngeld Nord", "providerState": "HB",
                        "leikaKeys": [WOHNGELD], "connectedStates": ["BY", "NI"]}]
    source = FeedSource(request, _another_nodes_edges(), online_services=online_services)

    _state, pages, changes = mirror.sync(source.url, "fst_x", anchor_path=source.anchor(tmp_path),
                                         actor=mirror.MIRROR_ACTOR)

    assert (pages, Authority.objects.get(identifier="by:lra-spiegel").origin) == (1, source.url)
    nord = OnlineService.objects.get(slug="wohngeld-nord")
    assert (nord.name, nord.provider_state.code, [s.leika_key for s in nord.services.all()]) == \
        ("Wohngeld Nord", "HB", [WOHNGELD])
    assert sorted(MirroredConnection.objects.filter(origin=source.url).values_list("state__code", flat=True)) == \
        ["BY", "NI"]
    # Routing here names it as the source does, for a state connected there.
    berg = Region.objects.get(ars="091880113113")
    assert extensions.reuse().online_service_for(LeikaService.objects.get(leika_key=WOHNGELD), berg) == nord
    assert changes == 2 + 1 + 2  # two changes; the online service; two connections
    again = mirror.sync(source.url, "fst_x", actor=mirror.MIRROR_ACTOR)[2]
    assert again == 0 and source.requests.count("directoryRouteServices") == 2  # unchanged: nothing copied


def test_the_route_services_answer_is_signed_and_left_out_when_known(graphql, gateway):
    answer = graphql.data(ROUTE_SERVICES, {}, token=gateway)["directoryRouteServices"]
    feed.verify_route_services(answer, _keys())
    wohngeld = next(item for item in answer["onlineServices"] if item["slug"] == "wohngeld")
    assert wohngeld["providerState"] == "MV" and WOHNGELD in wohngeld["leikaKeys"]
    known = graphql.data(ROUTE_SERVICES, {"known": answer["digest"]}, token=gateway)["directoryRouteServices"]
    assert known["onlineServices"] is None and known["digest"] == answer["digest"]
    with pytest.raises(feed.StatementRefused):
        feed.verify_route_services({**answer, "onlineServices": answer["onlineServices"][1:]}, _keys())
    assert graphql.execute(ROUTE_SERVICES, {})["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# --- trust --------------------------------------------------------------------------------------------

def test_first_contact_needs_the_operators_confirmation(request):
    source = FeedSource(request, [])
    seen = []

    with pytest.raises(TrustError) as refused:
        trust.establish_trust(source.url, notice=seen.append, actor="test")
    kid = _keys()[0]["kid"]
    assert "--accept-keys" in str(refused.value) and "--trust-anchor" in str(refused.value)
    assert any(kid in line and signing.certificate_sha256(_keys()[0]) in line for line in seen)
    assert not TrustedKeySet.objects.exists()

    pinned = trust.establish_trust(source.url, confirm=lambda: True, actor="test")
    assert (pinned.basis, [key["kid"] for key in pinned.keys]) == ("CONFIRMED", [kid])


@pytest.mark.parametrize("form", ["kid", "certificate"])
def test_an_anchor_of_fingerprints_pins_the_matching_published_keys(request, tmp_path, form):
    source = FeedSource(request, [])
    key = _keys()[0]
    fingerprint = key["kid"] if form == "kid" else ":".join(
        signing.certificate_sha256(key)[i:i + 2].upper() for i in range(0, 64, 2))  # as openssl prints it
    anchor = tmp_path / "fingerprints.txt"
    anchor.write_text(f"# keys of the federal node, handed over on 2026-11-28\n{fingerprint}\n")

    pinned = trust.establish_trust(source.url, anchor_path=str(anchor), actor="test")

    assert (pinned.basis, pinned.keys) == ("ANCHOR", [key])
    assert trust.establish_trust(source.url, anchor_path=str(anchor), actor="test").updated_at == pinned.updated_at


def test_an_anchor_that_matches_nothing_or_holds_a_private_key_is_refused(request, tmp_path):
    source = FeedSource(request, [])
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("0" * 64 + "\n")
    with pytest.raises(TrustError, match="none of the keys"):
        trust.establish_trust(source.url, anchor_path=str(wrong), actor="test")
    private = tmp_path / "private.json"
    private.write_text(json.dumps({"keys": [{**_keys()[0], "d": "secret"}]}))
    with pytest.raises(TrustError, match="private key"):
        trust.establish_trust(source.url, anchor_path=str(private), actor="test")
    garbage = tmp_path / "garbage.txt"
    garbage.write_text("not a fingerprint\n")
    with pytest.raises(TrustError, match="line 1"):
        trust.establish_trust(source.url, anchor_path=str(garbage), actor="test")


def test_a_new_key_set_is_taken_when_a_trusted_key_signed_it(request):
    source = FeedSource(request, [])  # publishes this process's key set, signed by its keys
    old = _keys()[0]
    stale = TrustedKeySet.objects.create(source=source.url, keys=[old], basis="ANCHOR")
    assert trust.renew_trust(stale, actor="test") == stale  # the same keys: nothing to take

    foreign = signing.public_jwk_of(_small_key().public_key(), [])
    stale.keys = [foreign]
    stale.save()
    with pytest.raises(TrustError, match="no key trusted here signed"):
        trust.renew_trust(stale, actor="test")

    stale.keys = [old, foreign]  # one of the trusted keys signed the new set: a rotation
    stale.save()
    assert trust.renew_trust(stale, actor="test").basis == "ROTATED"


def test_a_key_set_signature_covers_exactly_its_keys():
    document = signing.jwks()
    assert signing.key_set_signer(document, document["keys"])["kid"] == document["keys"][0]["kid"]
    extra = signing.public_jwk_of(_small_key().public_key(), [])
    assert signing.key_set_signer({**document, "keys": [*document["keys"], extra]}, document["keys"]) is None


@pytest.mark.parametrize("given, base", [
    ("https://bund.example.org/", "https://bund.example.org"),
    ("https://bund.example.org/graphql/", "https://bund.example.org"),
    ("https://bund.example.org/fit/graphql", "https://bund.example.org/fit"),
    ("http://127.0.0.1:8000/graphql/", "http://127.0.0.1:8000"),
])
def test_the_source_is_its_base_url_or_its_graphql_endpoint(given, base):
    assert normalise_source(given) == base


@pytest.mark.parametrize("given", ["http://example.org", "ftp://x", "https://x.example/graphql/?a=1", ""])
def test_other_sources_are_refused(given):
    with pytest.raises(SyncError):
        normalise_source(given)


# --- the signed digest --------------------------------------------------------------------------------

def test_a_signed_digest_verifies_against_an_anchor_and_compares_with_this_node(office, tmp_path, capsys):
    call_command("directory_digest", "--signed")
    printed = capsys.readouterr().out.split()
    token = printed[-1]
    assert printed[-3].rstrip(",") == feed.digest()[0]
    anchor = tmp_path / "anchor.json"
    anchor.write_text(json.dumps({"keys": _keys()}))

    call_command("directory_digest", "--verify", token, "--trust-anchor", str(anchor))
    assert "holds the same" in capsys.readouterr().out

    services.update_authority(office, name="LRA Starnberg", actor="test")
    with pytest.raises(CommandError, match="they differ"):
        call_command("directory_digest", "--verify", token, "--trust-anchor", str(anchor))
    with pytest.raises(CommandError, match="no keys of"):
        call_command("directory_digest", "--verify", token, "--source", "https://bund.example.org")
