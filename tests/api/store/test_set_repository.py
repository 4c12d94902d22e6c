"""setRepository: a maintainer (or an operator) registers or changes the git repository of an
online service, with the same URL checks as registerOnlineService; then releases can be
published from its tags."""
import pytest

from fitstore.models import AuditEntry
from store.models import Release, Repository

SET_REPOSITORY_MUTATION = """
mutation SetRepository($input: SetRepositoryInput!) {
  setRepository(input: $input) {
    onlineService { slug repository { url license } }
    errors { field code message }
  }
}
"""

PUBLISH_RELEASE_MUTATION = """
mutation PublishRelease($input: PublishReleaseInput!) {
  publishRelease(input: $input) { release { version changelog } errors { field code message } }
}
"""


def set_repository(graphql, url, license="EUPL-1.2", slug="wohngeld", token=None):
    variables = {"input": {"onlineService": slug, "repositoryUrl": url, "license": license}}
    return graphql.data(SET_REPOSITORY_MUTATION, variables, token=token)["setRepository"]


@pytest.fixture
def maintainer_token(make_user, make_token):
    return make_token(make_user("pflege-wohngeld", role="maintainer", online_service="wohngeld"))


def test_anonymous_callers_are_refused(graphql, git_repository):
    result = set_repository(graphql, git_repository.url)

    assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"] and result["onlineService"] is None
    assert not Repository.objects.filter(online_service__slug="wohngeld").exists()


@pytest.mark.parametrize("role, scope", [
    ("maintainer", {"online_service": "bafoeg"}), ("coordinator", {"state": "HB"}),
    ("directory-maintainer", {"state": "HB"}), ("gateway", {}),
])
def test_others_are_refused_and_nothing_is_written(graphql, make_user, make_token, git_repository, role, scope):
    token = make_token(make_user("someone", role=role, **scope))
    rows = AuditEntry.objects.count()

    result = set_repository(graphql, git_repository.url, token=token)

    assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"] and result["onlineService"] is None
    assert AuditEntry.objects.count() == rows
    assert not Repository.objects.filter(online_service__slug="wohngeld").exists()


def test_an_unknown_service_answers_like_a_forbidden_one(graphql, maintainer_token, git_repository):
    result = set_repository(graphql, git_repository.url, slug="gibt-es-nicht", token=maintainer_token)

    assert [e["code"] for e in result["errors"]] == ["PERMISSION_DENIED"]


def test_the_maintainer_registers_the_repository_and_then_publishes(graphql, maintainer_token, git_repository):
    git_repository.commit("Antragsformular")
    git_repository.tag("v1.0.0")
    rows = AuditEntry.objects.count()

    result = set_repository(graphql, git_repository.url, license="eupl-1.2", token=maintainer_token)

    assert result["errors"] == []
    assert result["onlineService"] == {"slug": "wohngeld", "repository": {
        "url": str(git_repository.path), "license": "EUPL-1.2"}}
    assert AuditEntry.objects.count() == rows + 1
    entry = AuditEntry.objects.latest("id")
    assert (entry.verb, entry.action, entry.actor.username) == ("set_repository", "CREATED", "pflege-wohngeld")

    published = graphql.data(PUBLISH_RELEASE_MUTATION, {"input": {"onlineService": "wohngeld", "tag": "v1.0.0"}},
                             token=maintainer_token)["publishRelease"]
    assert published["errors"] == [] and published["release"]["version"] == "1.0.0"


def test_setting_the_same_repository_again_changes_nothing(graphql, maintainer_token, git_repository):
    set_repository(graphql, git_repository.url, token=maintainer_token)
    rows = AuditEntry.objects.count()

    again = set_repository(graphql, git_repository.url, token=maintainer_token)

    assert again["errors"] == [] and again["onlineService"]["repository"]["license"] == "EUPL-1.2"
    assert AuditEntry.objects.count() == rows


def test_an_operator_changes_the_repository_and_the_mirror_starts_afresh(graphql, make_user, make_token, tmp_path,
                                                                         local_repositories):
    from tests.api.store.gitrepo import GitRepository

    first, second = GitRepository(tmp_path / "erstes"), GitRepository(tmp_path / "zweites")
    operator = make_token(make_user("betrieb", role="operator"))
    set_repository(graphql, first.url, token=operator)
    Repository.objects.filter(online_service__slug="wohngeld").update(mirror_state="OK", default_branch="main")

    result = set_repository(graphql, second.url, license="MIT", token=operator)

    assert result["errors"] == [] and result["onlineService"]["repository"] == {
        "url": str(second.path), "license": "MIT"}
    repository = Repository.objects.get(online_service__slug="wohngeld")
    assert (repository.mirror_state, repository.default_branch) == ("PENDING", "")
    entry = AuditEntry.objects.latest("id")
    assert entry.action == "UPDATED" and entry.before["url"] == str(first.path)


@pytest.mark.parametrize("url, code", [
    ("", "REQUIRED"),
    ("http://gitlab.opencode.de/land/wohngeld.git", "URL_NOT_ALLOWED"),
    ("https://evil.example.org/land/wohngeld.git", "URL_NOT_ALLOWED"),
    ("https://user:secret@gitlab.opencode.de/land/wohngeld.git", "URL_NOT_ALLOWED"),
    ("https://gitlab.opencode.de:8443/land/wohngeld.git", "URL_NOT_ALLOWED"),
    ("ext::sh -c touch% /tmp/pwned", "URL_NOT_ALLOWED"),
    ("--upload-pack=touch /tmp/pwned", "URL_NOT_ALLOWED"),
    ("git@gitlab.opencode.de:land/wohngeld.git", "URL_NOT_ALLOWED"),
    ("/srv/git/wohngeld.git", "URL_NOT_ALLOWED"),  # local paths only where ALLOW_LOCAL_REPOSITORIES
    ("file:///srv/git/wohngeld.git", "URL_NOT_ALLOWED"),
])
def test_urls_the_server_may_not_fetch_are_field_errors(graphql, maintainer_token, settings, url, code):
    settings.ALLOW_LOCAL_REPOSITORIES = False
    rows = AuditEntry.objects.count()

    result = set_repository(graphql, url, token=maintainer_token)

    assert [(e["field"], e["code"]) for e in result["errors"]] == [("repositoryUrl", code)]
    assert result["onlineService"] is None and AuditEntry.objects.count() == rows
    assert not Repository.objects.filter(online_service__slug="wohngeld").exists()


def test_a_wrong_licence_is_a_field_error(graphql, maintainer_token, git_repository):
    result = set_repository(graphql, git_repository.url, license="Alle Rechte vorbehalten", token=maintainer_token)

    assert [(e["field"], e["code"]) for e in result["errors"]] == [("license", "INVALID_LICENSE")]
    assert not Repository.objects.filter(online_service__slug="wohngeld").exists()
    assert not Release.objects.filter(online_service__slug="wohngeld").exists()


def test_every_wrong_field_is_named_at_once(graphql, maintainer_token, settings):
    settings.ALLOW_LOCAL_REPOSITORIES = False

    result = set_repository(graphql, "/srv/git/wohngeld.git", license="Alle Rechte vorbehalten", token=maintainer_token)

    assert sorted((e["field"], e["code"]) for e in result["errors"]) == [
        ("license", "INVALID_LICENSE"), ("repositoryUrl", "URL_NOT_ALLOWED")]
