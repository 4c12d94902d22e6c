"""publishRelease: a maintainer publishes a release from a tag of the service's repository."""
import pytest

from fitstore.models import AuditEntry
from store import services
from store.models import OnlineService, Release

from .gitrepo import PUBLICCODE

PUBLISH_RELEASE_MUTATION = """
mutation PublishRelease($input: PublishReleaseInput!) {
  publishRelease(input: $input) {
    release { version tag commit publishedAt changelog publiccode }
    errors { field code message }
  }
}
"""


@pytest.fixture
def wohngeld(git_repository):
    online_service = OnlineService.objects.get(slug="wohngeld")
    services.set_repository(online_service, url=git_repository.url, license="EUPL-1.2", actor="system:test")
    git_repository.commit("Antrag")
    git_repository.commit("publiccode.yml", {"publiccode.yml": PUBLICCODE})
    git_repository.tag("v1.0.0")
    return online_service


def publish(graphql, tag="v1.0.0", slug="wohngeld", token=None):
    variables = {"input": {"onlineService": slug, "tag": tag}}
    return graphql.data(PUBLISH_RELEASE_MUTATION, variables, token=token)["publishRelease"]


def test_anonymous_callers_are_refused(graphql, wohngeld):
    result = publish(graphql)

    assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"] and result["release"] is None
    assert not Release.objects.exists()


@pytest.mark.parametrize("role, scope", [
    ("maintainer", {"online_service": "bafoeg"}), ("operator", {}), ("coordinator", {"state": "BY"}),
])
def test_others_are_refused(graphql, make_user, make_token, wohngeld, role, scope):
    token = make_token(make_user("someone", role=role, **scope))
    rows = AuditEntry.objects.count()

    result = publish(graphql, token=token)

    assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"]
    assert AuditEntry.objects.count() == rows and not Release.objects.exists()


def test_an_unknown_service_answers_like_a_forbidden_one(graphql, make_user, make_token, wohngeld):
    token = make_token(make_user("maintainer", role="maintainer", online_service="wohngeld"))

    result = publish(graphql, slug="gibt-es-nicht", token=token)

    assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"]


def test_the_maintainer_publishes_once(graphql, make_user, make_token, wohngeld, git_repository):
    maintainer = make_user("maintainer", role="maintainer", online_service="wohngeld")
    token = make_token(maintainer)
    rows = AuditEntry.objects.count()

    result = publish(graphql, token=token)

    assert result["errors"] == []
    release = result["release"]
    assert (release["version"], release["tag"]) == ("1.0.0", "v1.0.0")
    assert release["commit"] == str(git_repository.repo.head.target)
    assert release["changelog"] == "Release v1.0.0\npubliccode.yml\nAntrag"  # the tag's message first
    assert release["publiccode"]["name"] == "Wohngeld-Antrag" and release["publishedAt"]
    assert AuditEntry.objects.count() == rows + 1 and AuditEntry.objects.latest("id").actor == maintainer

    again = publish(graphql, token=token)
    assert again["errors"] == [] and again["release"] == release
    assert AuditEntry.objects.count() == rows + 1 and Release.objects.count() == 1


@pytest.mark.parametrize("tag, code", [
    ("-v1.0.0", "INVALID_TAG"), ("--upload-pack=id", "INVALID_TAG"), ("v1..0", "INVALID_TAG"),
    ("v2.0.0", "NOT_FOUND"), ("nightly", "NOT_SEMVER"),
])
def test_bad_tags_are_field_errors(graphql, make_user, make_token, wohngeld, tag, code):
    token = make_token(make_user("maintainer", role="maintainer", online_service="wohngeld"))
    rows = AuditEntry.objects.count()

    result = publish(graphql, tag=tag, token=token)

    assert [(e["field"], e["code"]) for e in result["errors"]] == [("tag", code)] and result["release"] is None
    assert AuditEntry.objects.count() == rows and not Release.objects.exists()


def test_a_service_without_repository(graphql, make_user, make_token, local_repositories):
    token = make_token(make_user("maintainer", role="maintainer", online_service="elterngeld"))

    result = publish(graphql, slug="elterngeld", token=token)

    assert [(e["field"], e["code"]) for e in result["errors"]] == [("onlineService", "NO_REPOSITORY")]


def test_an_invalid_publiccode_is_refused_naming_each_key(graphql, make_user, make_token, wohngeld, git_repository):
    token = make_token(make_user("maintainer", role="maintainer", online_service="wohngeld"))
    git_repository.commit("unvollständig", {"publiccode.yml": "publiccodeYmlVersion: '0'\nname: Wohngeld\nurl: 7\n"})
    git_repository.tag("v1.1.0")
    rows = AuditEntry.objects.count()

    result = publish(graphql, tag="v1.1.0", token=token)

    assert result["release"] is None
    assert {(e["field"], e["code"]) for e in result["errors"]} == {("tag", "INVALID_PUBLICCODE")}
    messages = [e["message"] for e in result["errors"]]
    assert any("key url:" in message for message in messages), messages  # the API speaks English
    assert any("key legal.license:" in message for message in messages), messages
    assert AuditEntry.objects.count() == rows and not Release.objects.exists()
