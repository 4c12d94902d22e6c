"""Every write path writes exactly one audit row per changed object, in its own transaction.

The write paths are found by introspection: each public module-level function of the project's
apps (every module, not only `services.py`: the exchange's import, the mirror, the webhooks, the
demo loaders) that takes the keyword-only `actor`. One without a case here fails
`test_every_write_path_has_a_case`, so no new write path escapes the audit log.
"""
import contextlib
import importlib
import inspect
import json
import pkgutil
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

from directory import services as directory_services
from directory.federation import exchange, mirror, trust, webhooks
from directory.models import Authority, MirrorState, State, TrustedKeySet
from fitstore import services as fitstore_services
from fitstore import signing
from fitstore.choices import SigningKeyState
from fitstore.models import AuditEntry, SigningKey
from licensing import demo as licensing_demo
from licensing import services as licensing_services
from licensing.choices import AllocationKey, LegalBasis, OperatingModel, SubscriptionStatus
from store import services as store_services
from store.models import InterfaceStandard, OnlineService
from tests.api.store.conftest import git_repository, local_repositories  # noqa: F401 (fixtures)
from tests.federation.feeds import FeedSource

PROJECT = Path(settings.BASE_DIR).resolve()
ACTOR = "system:test"
BERG = "091880113113"
WOHNGELD_LEIKA = "99107023000000"


def _project_modules():
    """Every module of the project's own apps (not their migrations)."""
    for config in apps.get_app_configs():
        if Path(config.path).resolve().parent != PROJECT:  # Django's and third parties' apps
            continue
        yield importlib.import_module(config.name)
        for info in pkgutil.walk_packages([config.path], prefix=f"{config.name}."):
            if ".migrations" not in info.name:
                yield importlib.import_module(info.name)


def discovered_write_paths() -> dict[str, object]:
    """module.function → function, for each public function that takes the keyword-only actor."""
    found = {}
    for module in _project_modules():
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            parameter = inspect.signature(function).parameters.get("actor")
            if parameter is not None and parameter.kind is inspect.Parameter.KEYWORD_ONLY:
                found[f"{module.__name__}.{name}"] = function
    return found


def _authority(identifier="by:lra-audit"):
    return Authority.objects.filter(identifier=identifier).first() or directory_services.register_authority(
        identifier=identifier, name="Landratsamt Audit", state_code="BY", ars=BERG[:5], kind="DISTRICT", actor=ACTOR)


def _endpoint():
    return directory_services.register_endpoint(
        _authority(), kind="FIT_CONNECT", address="https://fit.example.org/submission",
        destination_id=str(uuid.uuid4()), actor=ACTOR)


def _assigned():
    directory_services.assign_responsibility(_authority(), leika_key=WOHNGELD_LEIKA, ars=[BERG], actor=ACTOR)
    return _authority()


def _state(code="BY"):
    return State.objects.by_code(code)


def _service(slug="wohngeld"):
    return OnlineService.objects.get(slug=slug)


def _subscription(status="REQUESTED"):
    subscription = licensing_services.subscribe(_state("BY"), _service(), legal_basis=LegalBasis.ADMINISTRATIVE_AGREEMENT,
                                                actor=ACTOR)
    if status in ("ACTIVE", "CONNECTED"):
        subscription = licensing_services.confirm_subscription(subscription, accept=True, actor=ACTOR)
    return subscription


def _user(name="audited"):
    return fitstore_services.ensure_user(name, actor=ACTOR)[0]


def _terms_args():
    return dict(annual_cost="1000.00", one_time_cost="0.00", allocation_key=AllocationKey.EQUAL, license="EUPL-1.2",
                operating_model=OperatingModel.CENTRAL, legal_bases=[LegalBasis.ADMINISTRATIVE_AGREEMENT])


def _released(request):
    repository = request.getfixturevalue("git_repository")
    repository.commit("Erster Stand")
    repository.tag("v1.0.0")
    store_services.set_repository(_service(), url=repository.url, license="EUPL-1.2", actor=ACTOR)
    return _service()


def _changes_feed_edges():
    """A page of another node's change feed: an authority, its endpoint, its responsibility."""
    data = [
        {"type": "authority", "identifier": "by:lra-spiegel", "name": "Landratsamt Spiegel", "stateCode": "BY",
         "ars": BERG[:5], "kind": "DISTRICT", "active": True},
        {"type": "endpoint", "key": "7", "authority": "by:lra-spiegel", "kind": "FIT_CONNECT",
         "address": "https://fit.example.org/spiegel", "destinationId": str(uuid.uuid4()), "serviceUri": "",
         "certificatePem": "", "validFrom": None, "validUntil": None, "active": True},
        {"type": "responsibility", "authority": "by:lra-spiegel", "leikaKey": WOHNGELD_LEIKA, "ars": [BERG],
         "nationwide": False},
    ]
    return [{"cursor": str(number), "node": {"action": "CREATED", "data": record}}
            for number, record in enumerate(data, start=1)]


MIRRORED = {"mirror_authority", "mirror_endpoint", "mirror_responsibility"}


def _feed_source(request) -> str:
    """Another node serving the page, whose keys this node trusts already (set up before the count)."""
    source = FeedSource(request, _changes_feed_edges())
    trust.establish_trust(source.url, anchor_path=source.anchor(request.getfixturevalue("tmp_path")), actor=ACTOR)
    return source.url


def _verified_page():
    keys = signing.jwks()["keys"]
    return mirror.VerifiedPage(edges=_changes_feed_edges(), end_cursor="3", has_next=False, kid=keys[0]["kid"],
                               keys=keys)


def _key_dir(request) -> None:
    request.getfixturevalue("settings").DIRECTORY_SIGNING_KEY_DIR = request.getfixturevalue("tmp_path") / "keys"


def _key_store(request, *, activated=False):
    """The key store in a directory of the test's with a next key; `activated`: switched to it,
    and the previous key returned."""
    _key_dir(request)
    key = fitstore_services.add_signing_key(private_key_pem=_small_key_pem(), actor=ACTOR)
    if activated:
        fitstore_services.activate_signing_key(key, overlap_seconds=0, actor=ACTOR)
        return SigningKey.objects.get(state=SigningKeyState.PREVIOUS)
    return key


def _small_key_pem() -> str:
    """A key of 2048 bits (quick to make; the store generates 4096)."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    return signing.private_pem(rsa.generate_private_key(public_exponent=65537, key_size=2048)).decode()


def _stale_trust(request) -> TrustedKeySet:
    """Trust in a key the source no longer publishes: renewing asks the operator (who confirms)."""
    source = FeedSource(request, [])
    return TrustedKeySet.objects.create(source=source.url, keys=[{"kid": "alt", "kty": "RSA"}], basis="CONFIRMED")


class StopFollowing(Exception):
    pass


def _stop(seconds):
    raise StopFollowing


def _gateway(request):
    """A user whose callback on loopback is allowed (tests' setting)."""
    request.getfixturevalue("settings").WEBHOOK_ALLOW_PRIVATE_ADDRESSES = True
    return _user()


def _webhook_subscription(request):
    return webhooks.subscribe(_gateway(request), callback_url="http://127.0.0.1:9/hooks", actor=ACTOR)[0]


def _import_lines():
    return [json.dumps(line) for line in (
        {"type": "authority", "identifier": "by:lra-import", "name": "Landratsamt Import", "stateCode": "BY",
         "ars": BERG[:5], "kind": "DISTRICT"},
        {"type": "endpoint", "authority": "by:lra-import", "kind": "EMAIL", "address": "post@import.example.org"},
        {"type": "responsibility", "authority": "by:lra-import", "leikaKey": WOHNGELD_LEIKA, "ars": [BERG]},
    )]


def _renamed_demo_service():
    store_services.update_online_service(_service(), name="Wohngeld (umbenannt)", actor=ACTOR)
    return settings.DATA_DIR


def _demo_directory_rows() -> int:
    """One row per object the demo directory's lines create (each line one object)."""
    lines = (Path(settings.DATA_DIR) / "demo" / "directory.jsonl").read_text(encoding="utf-8").splitlines()
    return sum(1 for line in lines if line.strip())


def _demo_reuse_rows() -> int:
    """One row per service call the demo of reuse makes: terms, accessions, each subscription and its steps."""
    data = json.loads((Path(settings.DATA_DIR) / "demo" / "reuse.json").read_text(encoding="utf-8"))
    return len(data["terms"]) + len(data["accessions"]) + sum(
        1 + len(licensing_demo.STEPS[SubscriptionStatus(entry["status"])]) for entry in data["subscriptions"])


def case(*args, rows=1, verbs=None, raises=None, **kwargs) -> dict:
    """The arguments of a call, the audit rows it writes and their verbs (default: the function's
    name), and what it raises after writing (a loop stopped by the test)."""
    return {"args": args, "kwargs": kwargs, "rows": rows, "verbs": verbs, "raises": raises}


# module.function → set-up returning the case; set-up runs before the count.
CASES = {
    "fitstore.audit.record": lambda request: case("record", _user()),  # the log itself, written by all the others
    "fitstore.services.ensure_user": lambda request: case("neu-im-log"),
    "fitstore.services.grant_role": lambda request: case(_user(), "gateway"),
    "fitstore.services.revoke_role": lambda request: case(
        fitstore_services.grant_role(_user(), "gateway", actor=ACTOR)[0]),
    "fitstore.services.set_user_email": lambda request: case(_user(), "neu@example.org"),
    "fitstore.services.set_user_password": lambda request: case(_user(), "korrekt-Pferd-Batterie-42"),
    "fitstore.services.issue_token": lambda request: case(_user(), name="ci"),
    "fitstore.services.revoke_token": lambda request: case(fitstore_services.issue_token(_user(), actor=ACTOR)[0]),
    "directory.services.register_authority": lambda request: case(
        identifier="by:lra-neu", name="Landratsamt Neu", state_code="BY", ars="09188", kind="DISTRICT"),
    "directory.services.update_authority": lambda request: case(_authority(), name="Landratsamt Umbenannt"),
    "directory.services.deactivate_authority": lambda request: case(_authority()),
    "directory.services.register_endpoint": lambda request: case(
        _authority(), kind="FIT_CONNECT", address="https://fit.example.org/x", destination_id=str(uuid.uuid4())),
    "directory.services.deactivate_endpoint": lambda request: case(_endpoint()),
    "directory.services.assign_responsibility": lambda request: case(_authority(), leika_key=WOHNGELD_LEIKA,
                                                                     ars=[BERG]),
    "directory.services.withdraw_responsibility": lambda request: case(_assigned(), leika_key=WOHNGELD_LEIKA,
                                                                       ars=[BERG]),
    "directory.federation.exchange.import_lines": lambda request: case(
        _import_lines(), rows=3, verbs={"register_authority", "register_endpoint", "assign_responsibility"}),
    "directory.federation.mirror.apply_page": lambda request: case(
        MirrorState.objects.create(source="https://bund.example.org"), _verified_page(), rows=3, verbs=MIRRORED),
    "directory.federation.mirror.sync": lambda request: case(_feed_source(request), "fst_test", rows=3,
                                                             verbs=MIRRORED),
    "directory.federation.mirror.follow": lambda request: case(_feed_source(request), "fst_test", sleep=_stop,
                                                               rows=3, verbs=MIRRORED, raises=StopFollowing),
    "directory.federation.mirror.record_refusal": lambda request: case(
        MirrorState.objects.create(source="https://bund.example.org"), "refused the page after cursor 3",
        verbs={"refuse_directory_page"}),
    "directory.federation.trust.establish_trust": lambda request: case(
        FeedSource(request, []).url, confirm=lambda: True, verbs={"trust_source_keys"}),
    "directory.federation.trust.renew_trust": lambda request: case(
        _stale_trust(request), confirm=lambda: True, verbs={"trust_source_keys"}),
    # The first key added takes the configured key into the store too: two rows.
    "fitstore.services.add_signing_key": lambda request: case(private_key_pem=_key_dir(request) or _small_key_pem(),
                                                              rows=2),
    # The current key becomes the previous one, the next one current: two rows.
    "fitstore.services.activate_signing_key": lambda request: case(_key_store(request), overlap_seconds=0, rows=2),
    "fitstore.services.retire_signing_key": lambda request: case(_key_store(request, activated=True),
                                                                 overlap_seconds=0),
    "directory.federation.webhooks.subscribe": lambda request: case(
        _gateway(request), callback_url="http://127.0.0.1:9/hooks", verbs={"subscribe_directory_changes"}),
    "directory.federation.webhooks.unsubscribe": lambda request: case(
        _webhook_subscription(request), verbs={"unsubscribe_directory_changes"}),
    "licensing.services.join_store": lambda request: case(_state("HB"), signatory="Staatsrätin"),
    "licensing.services.withdraw_from_store": lambda request: case(licensing_services.join_store(
        _state("HB"), signatory="Staatsrätin", actor=ACTOR).state),
    "licensing.services.set_reuse_terms": lambda request: case(_service(), **_terms_args()),
    "licensing.services.subscribe": lambda request: case(_state("BY"), _service(),
                                                         legal_basis="ADMINISTRATIVE_AGREEMENT"),
    "licensing.services.confirm_subscription": lambda request: case(_subscription(), accept=True),
    "licensing.services.connect_subscription": lambda request: case(_subscription("ACTIVE")),
    "licensing.services.terminate_subscription": lambda request: case(_subscription("ACTIVE"), reason="Ende"),
    "directory.demo.load_demo_directory": lambda request: case(
        settings.DATA_DIR, rows=_demo_directory_rows(),
        verbs={"register_authority", "register_endpoint", "assign_responsibility"}),
    "licensing.demo.load_demo_reuse": lambda request: case(
        settings.DATA_DIR, rows=_demo_reuse_rows(),
        verbs={"set_reuse_terms", "join_store", "subscribe", "confirm_subscription", "connect_subscription"}),
    "store.services.register_online_service": lambda request: case(slug="audit-dienst", name="Audit-Dienst",
                                                                   provider_state="BY"),
    "store.services.update_online_service": lambda request: case(_service(), name="Wohngeld (neu)"),
    "store.services.set_repository": lambda request: case(
        _service(), url=request.getfixturevalue("git_repository").url, license="EUPL-1.2"),
    "store.services.publish_release": lambda request: case(_released(request), "v1.0.0"),
    "store.services.assess_criterion": lambda request: case(_service(), "C1", met=True,
                                                            evidence="https://example.org/e"),
    "store.services.set_interface": lambda request: case(
        _service(), standard=InterfaceStandard.objects.values_list("identifier", flat=True).first(),
        version="9.8.7", role="SENDER"),
    "store.demo.load_demo_catalogue": lambda request: case(_renamed_demo_service(), verbs={"update_online_service"}),
}


def test_every_write_path_has_a_case():
    assert set(discovered_write_paths()) == set(CASES), "add the new write path to CASES"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_write_path_writes_one_audit_row_per_change(name, request):
    function = discovered_write_paths()[name]
    call = CASES[name](request)
    latest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    with pytest.raises(call["raises"]) if call["raises"] else contextlib.nullcontext():
        function(*call["args"], **call["kwargs"], actor=ACTOR)

    written = list(AuditEntry.objects.filter(id__gt=latest))
    assert len(written) == call["rows"]
    assert {entry.verb for entry in written} == (call["verbs"] or {name.rsplit(".", 1)[1]})
    assert all(entry.actor_label == ACTOR for entry in written)


def test_the_cases_cover_the_known_write_paths():
    # Guards the introspection itself: it must find the write paths of every app, in any module.
    names = set(discovered_write_paths())
    assert {"fitstore.services.grant_role", "directory.services.register_endpoint", "licensing.services.subscribe",
            "store.services.publish_release", "directory.federation.webhooks.subscribe",
            "directory.federation.exchange.import_lines", "directory.federation.mirror.apply_page"} <= names
