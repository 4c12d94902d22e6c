"""Rows of the permissions matrix (tests/api/test_permissions_matrix.py) for the store's
mutations, as plain data (the licensing rows' format), taken by the matrix with one line:

    from .store.permission_cases import STORE_CASES
    CASES += [Case(**case, allowed=Role(**allowed), denied=[Role(**role) for role in denied])
              for case, allowed, denied in STORE_CASES]
"""
import shutil
import tempfile
from pathlib import Path

from django.core.signals import request_finished
from django.test.utils import override_settings

from store import services
from store.models import OnlineService

from .gitrepo import GitRepository


def _register(actor):
    return {"input": {"slug": "matrix-dienst", "name": "Matrix-Dienst", "providerState": "HE", "lifecycle": "PILOT"}}


def _local_repository() -> GitRepository:
    """A real repository with one commit in a temporary directory. Local repositories are
    allowed (and mirrors kept in the same temporary directory) until the next request ends: the
    matrix's `variables(actor)` has no fixtures, so the override undoes itself."""
    directory = Path(tempfile.mkdtemp(prefix="fitstore-matrix-"))
    override = override_settings(ALLOW_LOCAL_REPOSITORIES=True, VAR_DIR=directory / "var")
    override.enable()

    def undo(**kwargs):
        request_finished.disconnect(undo)
        override.disable()
        shutil.rmtree(directory, ignore_errors=True)

    request_finished.connect(undo, weak=False)
    repository = GitRepository(directory / "upstream")
    repository.commit("Erster Stand")
    return repository


def _publish(actor):
    """The tag v1.0.0 of a real repository, registered for wohngeld."""
    repository = _local_repository()
    repository.tag("v1.0.0")
    services.set_repository(OnlineService.objects.get(slug="wohngeld"), url=repository.url, actor="system:test")
    return {"input": {"onlineService": "wohngeld", "tag": "v1.0.0"}}


def _set_repository(actor):
    repository = _local_repository()
    return {"input": {"onlineService": "wohngeld", "repositoryUrl": repository.url, "license": "EUPL-1.2"}}


def _assess(actor):
    return {"input": {"onlineService": "geburtsurkunde", "criterion": "C1", "met": True,
                      "evidence": "Digitalisierungslabor 2026, Protokoll im Wiki"}}


def _interface(actor):
    return {"input": {"onlineService": "geburtsurkunde", "standard": "urn:xoev-de:fim:standard:xdatenfelder",
                      "version": "3.0.0", "role": "SENDER"}}


def _document(field: str, input_type: str) -> str:
    return f"mutation M($input: {input_type}!) {{ {field}(input: $input) {{ errors {{ field code }} }} }}"


STORE_CASES = [
    (
        {"mutation": "registerOnlineService", "document": _document("registerOnlineService", "RegisterOnlineServiceInput"),
         "variables": _register},
        {"role": "operator"},
        [{}, {"role": "gateway"}, {"role": "coordinator", "state": "HE"},
         {"role": "directory-maintainer", "state": "HE"}, {"role": "maintainer", "online_service": "wohngeld"}],
    ),
    (
        {"mutation": "publishRelease", "document": _document("publishRelease", "PublishReleaseInput"),
         "variables": _publish},
        {"role": "maintainer", "online_service": "wohngeld"},
        [{}, {"role": "operator"}, {"role": "gateway"}, {"role": "coordinator", "state": "HE"},
         {"role": "directory-maintainer", "state": "HE"}, {"role": "maintainer", "online_service": "bafoeg"}],
    ),
    (
        {"mutation": "setRepository", "document": _document("setRepository", "SetRepositoryInput"),
         "variables": _set_repository},
        {"role": "maintainer", "online_service": "wohngeld"},
        [{}, {"role": "gateway"}, {"role": "coordinator", "state": "HB"},
         {"role": "directory-maintainer", "state": "HB"}, {"role": "maintainer", "online_service": "bafoeg"}],
    ),
    (
        {"mutation": "assessEfaCriterion", "document": _document("assessEfaCriterion", "AssessEfaCriterionInput"),
         "variables": _assess},
        {"role": "maintainer", "online_service": "geburtsurkunde"},
        [{}, {"role": "gateway"}, {"role": "coordinator", "state": "HB"},
         {"role": "directory-maintainer", "state": "HB"}, {"role": "maintainer", "online_service": "bafoeg"}],
    ),
    (
        {"mutation": "setInterface", "document": _document("setInterface", "SetInterfaceInput"),
         "variables": _interface},
        {"role": "operator"},
        [{}, {"role": "gateway"}, {"role": "coordinator", "state": "HB"},
         {"role": "directory-maintainer", "state": "HB"}, {"role": "maintainer", "online_service": "bafoeg"}],
    ),
]
