"""registerOnlineService: operators register online services (with a repository)."""
import pytest

from fitstore.models import AuditEntry
from store.models import LeikaService, OnlineService, Repository

REGISTER_ONLINE_SERVICE_MUTATION = """
mutation RegisterOnlineService($input: RegisterOnlineServiceInput!) {
  registerOnlineService(input: $input) {
    onlineService { id slug name providerState { code } lifecycle }
    errors { field code message }
  }
}
"""


def register_input(**overrides):
    return {"input": {"slug": "kfz-zulassung", "name": "Kfz-Zulassung", "summary": "Fahrzeuge online zulassen",
                      "providerState": "HE", "lifecycle": "PILOT", **overrides}}


def payload(graphql, variables, token=None):
    return graphql.data(REGISTER_ONLINE_SERVICE_MUTATION, variables, token=token)["registerOnlineService"]


def test_anonymous_callers_are_refused(graphql):
    result = payload(graphql, register_input())

    assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"] and result["onlineService"] is None
    assert not OnlineService.objects.filter(slug="kfz-zulassung").exists()


@pytest.mark.parametrize("role, scope", [("coordinator", {"state": "HE"}), ("maintainer", {"online_service": "wohngeld"}),
                                         ("gateway", {})])
def test_other_roles_are_refused(graphql, make_user, make_token, role, scope):
    token = make_token(make_user("someone", role=role, **scope))
    rows = AuditEntry.objects.count()

    result = payload(graphql, register_input(), token)

    assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"]
    assert AuditEntry.objects.count() == rows and not OnlineService.objects.filter(slug="kfz-zulassung").exists()


def test_an_operator_registers_with_services_and_a_repository(graphql, make_user, make_token, git_repository):
    operator = make_user("operator", role="operator")
    token = make_token(operator)
    keys = list(LeikaService.objects.exclude(leika_key=None).values_list("leika_key", flat=True)[:2])
    rows = AuditEntry.objects.count()

    result = payload(graphql, register_input(leikaKeys=keys, repositoryUrl=git_repository.url, license="eupl-1.2"), token)

    assert result["errors"] == []
    assert result["onlineService"]["slug"] == "kfz-zulassung" and result["onlineService"]["lifecycle"] == "PILOT"
    assert result["onlineService"]["providerState"] == {"code": "HE"}
    online_service = OnlineService.objects.get(slug="kfz-zulassung")
    assert sorted(online_service.services.values_list("leika_key", flat=True)) == sorted(keys)
    assert Repository.objects.get(online_service=online_service).license == "EUPL-1.2"
    assert AuditEntry.objects.count() == rows + 2  # the service and its repository
    assert AuditEntry.objects.latest("id").actor == operator


def test_lifecycle_defaults_to_planned(graphql, make_user, make_token):
    token = make_token(make_user("operator", role="operator"))

    result = payload(graphql, {"input": {"slug": "neu", "name": "Neu", "providerState": "BY"}}, token)

    assert result["errors"] == [] and result["onlineService"]["lifecycle"] == "PLANNED"


@pytest.mark.parametrize("overrides, field, code", [
    ({"slug": "wohngeld"}, "slug", "UNIQUE"),
    ({"slug": "kein slug!"}, "slug", "INVALID"),
    ({"providerState": "XX"}, "providerState", "NOT_FOUND"),
    ({"leikaKeys": ["12345"]}, "leikaKeys", "INVALID"),
    ({"leikaKeys": ["99999999999999"]}, "leikaKeys", "NOT_FOUND"),
    ({"repositoryUrl": "http://github.com/x/y.git"}, "repositoryUrl", "URL_NOT_ALLOWED"),
    ({"repositoryUrl": "ext::sh -c id"}, "repositoryUrl", "URL_NOT_ALLOWED"),
    ({"repositoryUrl": "https://127.0.0.1/x.git"}, "repositoryUrl", "URL_NOT_ALLOWED"),
    ({"repositoryUrl": "file:///srv/git/x.git"}, "repositoryUrl", "URL_NOT_ALLOWED"),
    ({"repositoryUrl": "https://github.com/x/y.git", "license": "Beerware-ish"}, "license", "INVALID_LICENSE"),
    ({"license": "MIT"}, "repositoryUrl", "REQUIRED"),
])
def test_invalid_input_is_refused_by_field_and_nothing_written(graphql, make_user, make_token, monkeypatch,
                                                               overrides, field, code):
    from store import repositories

    monkeypatch.setattr(repositories.policy, "resolve_public_addresses", lambda host, port=443: ["140.82.121.3"])
    token = make_token(make_user("operator", role="operator"))
    rows = AuditEntry.objects.count()
    services_before = OnlineService.objects.count()

    result = payload(graphql, register_input(**overrides), token)

    assert (result["errors"][0]["field"], result["errors"][0]["code"]) == (field, code), result["errors"]
    assert result["onlineService"] is None
    assert AuditEntry.objects.count() == rows and OnlineService.objects.count() == services_before
