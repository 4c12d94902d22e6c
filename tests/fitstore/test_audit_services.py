"""Every service writes exactly one audit row per changed object, in its own transaction.

The services are found by introspection: each public function of an app's `services.py` that
takes the keyword-only `actor`. A service without a case here fails
`test_every_service_has_a_case`, so no new write path escapes the audit log.
"""
import importlib
import inspect
import uuid

import pytest
from django.apps import apps

from directory import services as directory_services
from directory.models import Authority, State
from fitstore import services as fitstore_services
from fitstore.models import AuditEntry
from licensing import services as licensing_services
from licensing.choices import AllocationKey, LegalBasis, OperatingModel
from store import services as store_services
from store.models import InterfaceStandard, OnlineService
from tests.api.store.conftest import git_repository, local_repositories  # noqa: F401 (fixtures)

ACTOR = "system:test"
BERG = "091880113113"
WOHNGELD_LEIKA = "99107023000000"


def discovered_services() -> dict[str, object]:
    found = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.services")
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            parameter = inspect.signature(function).parameters.get("actor")
            if parameter is not None and parameter.kind is inspect.Parameter.KEYWORD_ONLY:
                found[f"{config.label}.{name}"] = function
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
    return State.objects.get(code=code)


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


# name → (set-up returning the arguments, expected rows). Set-up runs before the count.
CASES = {
    "fitstore.ensure_user": lambda request: ((("neu-im-log",), {}), 1),
    "fitstore.grant_role": lambda request: (((_user(), "gateway"), {}), 1),
    "fitstore.revoke_role": lambda request: (((fitstore_services.grant_role(_user(), "gateway", actor=ACTOR)[0],), {}), 1),
    "fitstore.issue_token": lambda request: (((_user(),), {"name": "ci"}), 1),
    "fitstore.revoke_token": lambda request: (((fitstore_services.issue_token(_user(), actor=ACTOR)[0],), {}), 1),
    "directory.register_authority": lambda request: (((), dict(identifier="by:lra-neu", name="Landratsamt Neu",
                                                               state_code="BY", ars="09188", kind="DISTRICT")), 1),
    "directory.update_authority": lambda request: (((_authority(),), {"name": "Landratsamt Umbenannt"}), 1),
    "directory.deactivate_authority": lambda request: (((_authority(),), {}), 1),
    "directory.register_endpoint": lambda request: (((_authority(),), dict(
        kind="FIT_CONNECT", address="https://fit.example.org/x", destination_id=str(uuid.uuid4()))), 1),
    "directory.deactivate_endpoint": lambda request: (((_endpoint(),), {}), 1),
    "directory.assign_responsibility": lambda request: (((_authority(),), dict(leika_key=WOHNGELD_LEIKA, ars=[BERG])), 1),
    "directory.withdraw_responsibility": lambda request: (((_assigned(),), dict(leika_key=WOHNGELD_LEIKA, ars=[BERG])),
                                                          1),
    "licensing.join_store": lambda request: (((_state("HB"),), {"signatory": "Staatsrätin"}), 1),
    "licensing.withdraw_from_store": lambda request: (((licensing_services.join_store(
        _state("HB"), signatory="Staatsrätin", actor=ACTOR).state,), {}), 1),
    "licensing.set_reuse_terms": lambda request: (((_service(),), _terms_args()), 1),
    "licensing.subscribe": lambda request: (((_state("BY"), _service()), {"legal_basis": "ADMINISTRATIVE_AGREEMENT"}), 1),
    "licensing.confirm_subscription": lambda request: (((_subscription(),), {"accept": True}), 1),
    "licensing.connect_subscription": lambda request: (((_subscription("ACTIVE"),), {}), 1),
    "licensing.terminate_subscription": lambda request: (((_subscription("ACTIVE"),), {"reason": "Ende"}), 1),
    "store.register_online_service": lambda request: (((), dict(slug="audit-dienst", name="Audit-Dienst",
                                                                provider_state="BY")), 1),
    "store.update_online_service": lambda request: (((_service(),), {"name": "Wohngeld (neu)"}), 1),
    "store.set_repository": lambda request: (((_service(),), dict(
        url=request.getfixturevalue("git_repository").url, license="EUPL-1.2")), 1),
    "store.publish_release": lambda request: (((_released(request), "v1.0.0"), {}), 1),
    "store.assess_criterion": lambda request: (((_service(), "C1"), dict(met=True, evidence="https://example.org/e")),
                                               1),
    "store.set_interface": lambda request: (((_service(),), dict(
        standard=InterfaceStandard.objects.values_list("identifier", flat=True).first(), version="9.8.7",
        role="SENDER")), 1),
}


def test_every_service_has_a_case():
    assert set(discovered_services()) == set(CASES), "add the new service to CASES"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(CASES))
def test_each_service_writes_one_audit_row_per_change(name, request):
    function = discovered_services()[name]
    (args, kwargs), expected = CASES[name](request)
    before = AuditEntry.objects.count()
    latest = AuditEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0

    function(*args, **kwargs, actor=ACTOR)

    written = list(AuditEntry.objects.filter(id__gt=latest))
    assert AuditEntry.objects.count() - before == expected == len(written)
    assert {entry.verb for entry in written} == {name.split(".", 1)[1]}
    assert all(entry.actor_label == ACTOR for entry in written)


def test_the_cases_cover_the_known_write_paths():
    # Guards the introspection itself: it must find the services of every app.
    names = set(discovered_services())
    assert {"fitstore.grant_role", "directory.register_endpoint", "licensing.subscribe",
            "store.publish_release"} <= names
