"""store.services: repositories and releases (publish_release, set_repository, the command)."""
import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from fitstore.models import AuditEntry
from store import services
from store.models import OnlineService, Release, Repository
from store.repositories import latest_release
from tests.api.store.conftest import git_repository, local_repositories  # noqa: F401 (fixtures)
from tests.api.store.gitrepo import PUBLICCODE

pytestmark = pytest.mark.django_db
ACTOR = "system:test"


def codes(error: ValidationError) -> dict:
    return {field: [item.code for item in items] for field, items in error.error_dict.items()}


@pytest.fixture
def wohngeld(git_repository):
    online_service = OnlineService.objects.get(slug="wohngeld")
    services.set_repository(online_service, url=git_repository.url, license="eupl-1.2", actor=ACTOR)
    return online_service


def test_set_repository_normalises_and_audits(wohngeld, git_repository):
    repository = Repository.objects.get(online_service=wohngeld)
    assert (repository.url, repository.license) == (str(git_repository.path), "EUPL-1.2")
    rows = AuditEntry.objects.count()

    services.set_repository(wohngeld, url=git_repository.url, license="EUPL-1.2", actor=ACTOR)
    assert AuditEntry.objects.count() == rows  # nothing changed, nothing recorded

    services.set_repository(wohngeld, url=git_repository.url, license="MIT OR EUPL-1.2", actor=ACTOR)
    assert AuditEntry.objects.count() == rows + 1
    assert AuditEntry.objects.latest("id").before["license"] == "EUPL-1.2"


@pytest.mark.parametrize("license", ["not a licence", "MIT AND", "GPL-9.0"])
def test_set_repository_refuses_bad_licences(git_repository, license):
    with pytest.raises(ValidationError) as refused:
        services.set_repository(OnlineService.objects.get(slug="bafoeg"), url=git_repository.url, license=license,
                                actor=ACTOR)
    assert codes(refused.value) == {"license": ["INVALID_LICENSE"]}
    assert not Repository.objects.filter(online_service__slug="bafoeg").exists()


@pytest.mark.parametrize("url", ["http://github.com/x/y.git", "ext::sh -c id", "git://github.com/x/y.git",
                                 "https://127.0.0.1/x.git", "https://10.0.0.1/x.git", "https://evil.example/x.git"])
def test_set_repository_refuses_forbidden_urls(url):
    rows = AuditEntry.objects.count()
    with pytest.raises(ValidationError) as refused:
        services.set_repository(OnlineService.objects.get(slug="bafoeg"), url=url, actor=ACTOR)
    assert list(codes(refused.value)) == ["repository_url"]
    assert AuditEntry.objects.count() == rows and not Repository.objects.filter(online_service__slug="bafoeg").exists()


def test_file_urls_need_the_setting(settings, tmp_path):
    settings.ALLOW_LOCAL_REPOSITORIES = False
    with pytest.raises(ValidationError) as refused:
        services.set_repository(OnlineService.objects.get(slug="bafoeg"), url=tmp_path.as_uri(), actor=ACTOR)
    assert codes(refused.value) == {"repository_url": ["URL_NOT_ALLOWED"]}


def test_publish_from_an_annotated_tag_with_publiccode(wohngeld, git_repository):
    git_repository.commit("Antragsformular")
    commit = git_repository.commit("publiccode.yml ergänzt", {"publiccode.yml": PUBLICCODE})
    git_repository.tag("v1.0.0", message="Erste Fassung für die Länder\n\nMit Nachweis-Upload.\n")
    rows = AuditEntry.objects.count()

    release = services.publish_release(wohngeld, "v1.0.0", actor=ACTOR)

    assert (release.version, release.tag, release.commit, release.tagger_name) == ("1.0.0", "v1.0.0", commit, "Max Muster")
    assert release.tagged_at is not None and release.published_at is not None
    # the tag's message heads the commits
    assert release.changelog == "Erste Fassung für die Länder\n\nMit Nachweis-Upload.\npubliccode.yml ergänzt\nAntragsformular"
    assert release.publiccode["name"] == "Wohngeld-Antrag"
    assert AuditEntry.objects.count() == rows + 1
    entry = AuditEntry.objects.latest("id")
    assert (entry.verb, entry.action, entry.object_id) == ("publish_release", "CREATED", str(release.pk))
    repository = Repository.objects.get(online_service=wohngeld)
    assert (repository.mirror_state, repository.default_branch) == ("OK", "main") and repository.fetched_at


def test_publish_from_a_lightweight_tag_without_publiccode(wohngeld, git_repository):
    commit = git_repository.commit("Erster Stand")
    git_repository.tag("2.0.0-rc.1", annotated=False)

    release = services.publish_release(wohngeld, "2.0.0-rc.1", actor=ACTOR)

    assert (release.version, release.is_prerelease, release.commit) == ("2.0.0-rc.1", True, commit)
    assert release.tagger_name == "Erika Mustermann" and release.publiccode is None


def test_changelog_runs_from_the_previous_released_tag_on_the_same_ancestry(wohngeld, git_repository):
    git_repository.commit("Start")
    git_repository.tag("v1.0.0", annotated=False)
    base = git_repository.commit("Fix A")
    git_repository.commit("Feature B")
    git_repository.tag("v1.1.0", annotated=False)
    git_repository.commit("Unveröffentlicht")
    git_repository.tag("v1.2.0-beta.1", annotated=False)  # tagged, never released
    git_repository.commit("Feature C")
    git_repository.tag("v1.2.0", annotated=False)
    git_repository.branch("maintenance", base)
    git_repository.commit("Hotfix")
    git_repository.tag("v1.0.1", annotated=False)

    first = services.publish_release(wohngeld, "v1.0.0", actor=ACTOR)
    second = services.publish_release(wohngeld, "v1.1.0", actor=ACTOR)
    third = services.publish_release(wohngeld, "v1.2.0", actor=ACTOR)
    hotfix = services.publish_release(wohngeld, "v1.0.1", actor=ACTOR)

    assert first.changelog == "Start"
    assert second.changelog == "Feature B\nFix A"
    assert third.changelog == "Feature C\nUnveröffentlicht"
    assert hotfix.changelog == "Hotfix\nFix A"  # v1.1.0 is not its ancestor: only v1.0.0 counts


def test_latest_release_goes_by_semver_not_by_date(wohngeld, git_repository):
    for version in ("1.10.0", "1.9.0", "2.0.0-rc.1"):
        git_repository.commit(f"Stand {version}")
        git_repository.tag(f"v{version}")
    services.publish_release(wohngeld, "v1.10.0", actor=ACTOR)
    services.publish_release(wohngeld, "v1.9.0", actor=ACTOR)
    services.publish_release(wohngeld, "v2.0.0-rc.1", actor=ACTOR)

    assert latest_release(wohngeld.releases.all()).version == "1.10.0"
    assert [r.version for r in wohngeld.releases.all()] == ["2.0.0-rc.1", "1.10.0", "1.9.0"]


def test_the_same_tag_twice_returns_the_first_release(wohngeld, git_repository):
    git_repository.commit("Erster Stand")
    git_repository.tag("v1.0.0")
    first = services.publish_release(wohngeld, "v1.0.0", actor=ACTOR)
    rows = AuditEntry.objects.count()

    again = services.publish_release(wohngeld, "v1.0.0", actor=ACTOR)

    assert again.pk == first.pk and Release.objects.filter(online_service=wohngeld).count() == 1
    assert AuditEntry.objects.count() == rows


@pytest.mark.parametrize("tag, code", [
    ("-v1.0.0", "INVALID_TAG"), ("--upload-pack=touch /tmp/x", "INVALID_TAG"), ("v1..0", "INVALID_TAG"),
    ("v1.0.0.lock", "INVALID_TAG"), ("release", "NOT_SEMVER"), ("v9.9.9", "NOT_FOUND"), ("", "REQUIRED"),
])
def test_bad_and_unknown_tags_are_refused_and_nothing_written(wohngeld, git_repository, tag, code):
    git_repository.commit("Erster Stand")
    git_repository.tag("v1.0.0")
    git_repository.tag("release")
    rows = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.publish_release(wohngeld, tag, actor=ACTOR)

    assert codes(refused.value) == {"tag": [code]}
    assert AuditEntry.objects.count() == rows and not Release.objects.filter(online_service=wohngeld).exists()


@pytest.mark.parametrize("content, code", [
    ("publiccode.yml", "TOO_LARGE"), (b"a: &a [1]\nb: *a\n", "INVALID_PUBLICCODE"), (b"name: [", "INVALID_PUBLICCODE"),
])
def test_oversized_or_hostile_publiccode_is_refused(wohngeld, git_repository, settings, content, code):
    settings.PUBLICCODE_MAX_BYTES = 4096
    if content == "publiccode.yml":
        content = PUBLICCODE + "#" * 5000
    git_repository.commit("publiccode.yml", {"publiccode.yml": content})
    git_repository.tag("v1.0.0")

    with pytest.raises(ValidationError) as refused:
        services.publish_release(wohngeld, "v1.0.0", actor=ACTOR)

    assert codes(refused.value) == {"tag": [code]}
    assert not Release.objects.filter(online_service=wohngeld).exists()


def test_without_a_repository_nothing_is_published(local_repositories):
    with pytest.raises(ValidationError) as refused:
        services.publish_release(OnlineService.objects.get(slug="elterngeld"), "v1.0.0", actor=ACTOR)
    assert codes(refused.value) == {"online_service": ["NO_REPOSITORY"]}


def test_a_repository_url_forbidden_since_registration_is_refused_at_publish(wohngeld, git_repository, settings):
    git_repository.commit("Erster Stand")
    git_repository.tag("v1.0.0")
    settings.ALLOW_LOCAL_REPOSITORIES = False

    with pytest.raises(ValidationError) as refused:
        services.publish_release(wohngeld, "v1.0.0", actor=ACTOR)
    assert codes(refused.value) == {"repository_url": ["URL_NOT_ALLOWED"]}


def test_publish_release_command(wohngeld, git_repository, capsys):
    git_repository.commit("Erster Stand")
    git_repository.tag("v1.0.0")

    call_command("publish_release", "wohngeld", "v1.0.0")
    call_command("publish_release", "wohngeld", "v1.0.0")

    out = capsys.readouterr().out
    assert "published wohngeld 1.0.0" in out and "already published wohngeld 1.0.0" in out
    assert Release.objects.filter(online_service=wohngeld).count() == 1
    assert AuditEntry.objects.latest("id").request_id.startswith("cmd-publish_release-")
    with pytest.raises(CommandError, match="tag"):
        call_command("publish_release", "wohngeld", "v2.0.0")
    with pytest.raises(CommandError, match="no online service"):
        call_command("publish_release", "nicht-da", "v1.0.0")


def test_a_tag_with_an_invalid_publiccode_is_refused_naming_the_keys(wohngeld, git_repository):
    git_repository.commit("unvollständig", {"publiccode.yml": "publiccodeYmlVersion: '0'\nname: Wohngeld\nplatforms: 7\n"})
    git_repository.tag("v0.1.0")
    git_repository.commit("vollständig", {"publiccode.yml": PUBLICCODE})
    git_repository.tag("v0.2.0")
    rows = AuditEntry.objects.count()

    with pytest.raises(ValidationError) as refused:
        services.publish_release(wohngeld, "v0.1.0", actor=ACTOR)

    assert set(codes(refused.value)) == {"tag"} and set(codes(refused.value)["tag"]) == {"INVALID_PUBLICCODE"}
    messages = refused.value.message_dict["tag"]
    for key in ("url", "platforms", "developmentStatus", "legal.license", "maintenance.type"):
        assert any(f"„{key}“" in message for message in messages), (key, messages)
    assert AuditEntry.objects.count() == rows and not Release.objects.filter(online_service=wohngeld).exists()

    complete = services.publish_release(wohngeld, "v0.2.0", actor=ACTOR)
    assert complete.publiccode["name"] == "Wohngeld-Antrag" and complete.publiccode_errors == []


def test_the_maintainers_edited_changelog_is_kept(wohngeld, git_repository):
    git_repository.commit("Start")
    git_repository.tag("v1.0.0")

    release = services.publish_release(wohngeld, "v1.0.0", changelog="  Erste Fassung\r\n- Antrag online  \n", actor=ACTOR)

    assert release.changelog == "Erste Fassung\n- Antrag online"
    with pytest.raises(ValidationError) as refused:
        git_repository.tag("v1.0.1")
        services.publish_release(wohngeld, "v1.0.1", changelog="x" * 20_001, actor=ACTOR)
    assert codes(refused.value) == {"changelog": ["TOO_LARGE"]}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(__import__("django.db").db.connection.vendor != "postgresql",
                    reason="needs PostgreSQL: SQLite serialises writers, so two requests cannot race")
def test_the_same_tag_published_at_once_gives_one_release(git_repository, settings):
    import threading

    from django.db import connections

    from directory import reference as directory_reference

    directory_reference.load_states(settings.DATA_DIR)  # a transactional test may follow a flush
    from directory.models import State

    online_service, _ = OnlineService.objects.get_or_create(
        slug="race-release", defaults={"name": "Race", "provider_state": State.objects.by_code("HE")})
    services.set_repository(online_service, url=git_repository.url, actor=ACTOR)
    git_repository.commit("Erster Stand")
    git_repository.tag("v1.0.0")
    barrier, outcomes = threading.Barrier(3), []

    def attempt():
        try:
            barrier.wait()
            outcomes.append(services.publish_release(online_service, "v1.0.0", actor=ACTOR).pk)
        except Exception as error:  # noqa: BLE001 (reported by the assertion)
            outcomes.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(outcomes) == 3 and len(set(outcomes)) == 1, outcomes
    assert Release.objects.filter(online_service=online_service).count() == 1
    assert AuditEntry.objects.filter(verb="publish_release", object_id=str(outcomes[0])).count() == 1


def test_release_lists_order_pre_releases_by_semver_in_sql(wohngeld, git_repository):
    # As strings "rc.10" < "rc.9"; semver says rc.9 < rc.10, and alpha < alpha.1 < beta < rc.
    for version in ("1.0.0-rc.9", "1.0.0-rc.10", "1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0"):
        git_repository.commit(f"Stand {version}")
        git_repository.tag(f"v{version}")
        services.publish_release(wohngeld, f"v{version}", actor=ACTOR)

    assert [r.version for r in wohngeld.releases.all()] == [
        "1.0.0", "1.0.0-rc.10", "1.0.0-rc.9", "1.0.0-beta", "1.0.0-alpha.1", "1.0.0-alpha"]
