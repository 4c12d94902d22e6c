"""The maintainer's page to publish a release: choose a semver tag of the repository, confirm,
publish through store.services.publish_release. Real git repositories made in the test."""
import shutil

import pytest

from fitstore.models import AuditEntry
from store import services
from store.models import OnlineService, Release
from tests.api.store.conftest import git_repository, local_repositories  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
URL = "/katalog/wohngeld/veroeffentlichen/"


@pytest.fixture
def wohngeld(git_repository):
    """Wohngeld with a repository: v1.0.0 and v1.1.0, a non-semver tag and a pre-release."""
    online_service = OnlineService.objects.get(slug="wohngeld")
    services.set_repository(online_service, url=git_repository.url, license="EUPL-1.2", actor="system:test")
    git_repository.commit("Antragsformular")
    git_repository.tag("v1.0.0")
    git_repository.commit("Nachweise hochladen")
    git_repository.commit("Bescheid ins Postfach")
    git_repository.tag("v1.1.0")
    git_repository.tag("nightly", annotated=False)
    git_repository.commit("Neue Oberfläche")
    git_repository.tag("v2.0.0-rc.1")
    return online_service


@pytest.fixture
def maintainer(client, make_user, wohngeld):
    user = make_user("pflege-wohngeld", role="maintainer", online_service="wohngeld")
    client.force_login(user)
    return user


def test_anonymous_visitors_are_sent_to_sign_in(client, wohngeld):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=")
    assert client.post(URL, {"tag": "v1.0.0", "confirmed": "on"}).status_code == 302
    assert not Release.objects.filter(online_service=wohngeld).exists()


@pytest.mark.parametrize("role, scope", [
    (None, {}),
    ("coordinator", {"state": "MV"}),
    ("directory-maintainer", {"state": "MV"}),
    ("maintainer", {"online_service": "elterngeld"}),
    ("gateway", {}),
])
def test_others_are_refused_alike_and_nothing_is_written(client, make_user, wohngeld, role, scope):
    client.force_login(make_user("andere", role=role, **scope))
    rows = AuditEntry.objects.count()

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"tag": "v1.0.0", "confirmed": "on"}).status_code == 403
    assert client.get("/katalog/gibt-es-nicht/veroeffentlichen/").status_code == 403  # same answer
    assert AuditEntry.objects.count() == rows and not Release.objects.filter(online_service=wohngeld).exists()
    assert URL not in client.get("/katalog/wohngeld/").text  # no link to the page either


def test_the_maintainer_chooses_among_the_semver_tags_newest_first(client, maintainer):
    response = client.get(URL)

    assert response.status_code == 200
    assert [tag.name for tag in response.context["tags"]] == ["v2.0.0-rc.1", "v1.1.0", "v1.0.0"]  # not "nightly"
    assert 'value="nightly"' not in response.text
    assert 'type="radio" name="tag" value="v1.1.0"' in response.text
    assert URL in client.get("/katalog/wohngeld/").text  # the service page links here


def test_operators_do_not_publish_as_in_the_api(client, make_user, wohngeld):
    # A release is the provider's act: publishRelease is for the service's maintainers only.
    client.force_login(make_user("betrieb", role="operator"))
    assert client.get(URL).status_code == 403
    page = client.get(f"/katalog/{wohngeld.slug}/")
    assert URL not in page.text


def test_choosing_asks_for_confirmation_and_writes_nothing(client, maintainer, wohngeld):
    rows = AuditEntry.objects.count()
    services.publish_release(wohngeld, "v1.0.0", actor="system:test")

    response = client.post(URL, {"tag": "v1.1.0"})

    assert response.status_code == 200
    assert response.templates[0].name == "store/release_confirm.html"
    # the tag's message heads the commits since v1.0.0; the maintainer may edit it
    assert response.context["changelog"] == "Release v1.1.0\nBescheid ins Postfach\nNachweise hochladen"
    assert ">Release v1.1.0\nBescheid ins Postfach\nNachweise hochladen</textarea>" in response.text
    assert "Die publiccode.yml des Tags ist gültig." in response.text or "keine publiccode.yml" in response.text
    assert '<input type="hidden" name="confirmed" value="on">' in response.text
    assert not Release.objects.filter(online_service=wohngeld, tag="v1.1.0").exists()
    assert AuditEntry.objects.count() == rows + 1  # only the release published above


def test_confirming_publishes_with_one_audit_row_and_shows_the_release(client, maintainer, wohngeld):
    rows = AuditEntry.objects.count()

    response = client.post(URL, {"tag": "v1.1.0", "confirmed": "on"})

    release = Release.objects.get(online_service=wohngeld)
    assert (release.tag, release.version) == ("v1.1.0", "1.1.0")
    assert release.changelog == "Release v1.1.0\nBescheid ins Postfach\nNachweise hochladen\nAntragsformular"
    assert AuditEntry.objects.count() == rows + 1
    entry = AuditEntry.objects.latest("id")
    assert (entry.verb, entry.action, entry.object_id) == ("publish_release", "CREATED", str(release.pk))
    assert response.status_code == 302 and response["Location"] == f"/katalog/wohngeld/#release-{release.pk}"

    page = client.get(response["Location"])
    assert f'href="/katalog/wohngeld/#release-{release.pk}"' in page.text  # the message links to it
    assert "1.1.0" in str(list(page.context["messages"])[0])
    assert f'id="release-{release.pk}"' in page.text and "<li>Nachweise hochladen</li>" in page.text

    again = client.get(URL)  # published tags are shown, but not offered
    published = {tag.name: tag.published for tag in again.context["tags"]}
    assert published == {"v2.0.0-rc.1": False, "v1.1.0": True, "v1.0.0": False}
    assert 'value="v1.1.0" id="tag-2" disabled' in again.text


@pytest.mark.parametrize("tag", ["nightly", "--upload-pack=touch /tmp/x", "v9.9.9", "", "v1.1.0\n"])
def test_tags_not_offered_are_refused_on_the_field_and_nothing_is_written(client, maintainer, wohngeld, tag):
    client.get(URL)  # fetches the mirror
    rows = AuditEntry.objects.count()

    response = client.post(URL, {"tag": tag, "confirmed": "on"})

    assert response.status_code == 400
    assert response.context["tag_errors"]
    assert 'id="tag-errors"' in response.text and 'aria-describedby="tag-errors"' in response.text
    assert 'role="alert"' in response.text
    assert AuditEntry.objects.count() == rows and not Release.objects.filter(online_service=wohngeld).exists()


def test_a_published_tag_cannot_be_chosen_again(client, maintainer, wohngeld):
    services.publish_release(wohngeld, "v1.0.0", actor="system:test")
    client.get(URL)
    rows = AuditEntry.objects.count()

    response = client.post(URL, {"tag": "v1.0.0", "confirmed": "on"})

    assert response.status_code == 400 and response.context["tag_errors"]
    assert AuditEntry.objects.count() == rows and Release.objects.filter(online_service=wohngeld).count() == 1


def test_a_tag_deleted_upstream_after_choosing_is_reported_by_the_service(client, maintainer, wohngeld, git_repository):
    client.get(URL)
    git_repository.repo.references.delete("refs/tags/v1.1.0")
    rows = AuditEntry.objects.count()

    response = client.post(URL, {"tag": "v1.1.0", "confirmed": "on"})

    assert response.status_code == 400
    assert any("v1.1.0" in error for error in response.context["tag_errors"])
    assert AuditEntry.objects.count() == rows and not Release.objects.filter(online_service=wohngeld).exists()


def test_a_fetch_failure_is_shown_on_the_field(client, maintainer, wohngeld, git_repository):
    shutil.rmtree(git_repository.path)
    rows = AuditEntry.objects.count()

    response = client.get(URL)

    assert response.status_code == 200 and response.context["tags"] == []
    assert response.context["tag_errors"] and 'id="tag-errors"' in response.text and 'role="alert"' in response.text
    assert 'type="submit"' not in response.text.split('class="release-form"')[1].split("</form>")[0]
    assert client.post(URL, {"tag": "v1.0.0", "confirmed": "on"}).status_code == 400
    assert AuditEntry.objects.count() == rows and not Release.objects.filter(online_service=wohngeld).exists()


def test_a_service_without_repository_says_what_to_do(client, make_user):
    client.force_login(make_user("pflege-bafoeg", role="maintainer", online_service="bafoeg"))

    response = client.get("/katalog/bafoeg/veroeffentlichen/")

    assert response.status_code == 200 and 'class="empty-state"' in response.text
    assert client.post("/katalog/bafoeg/veroeffentlichen/", {"tag": "v1.0.0", "confirmed": "on"}).status_code == 200
    assert not Release.objects.filter(online_service__slug="bafoeg").exists()


def test_the_preview_shows_an_invalid_publiccode_and_offers_no_confirmation(client, maintainer, wohngeld,
                                                                             git_repository):
    git_repository.commit("publiccode.yml begonnen", {"publiccode.yml": "publiccodeYmlVersion: '0'\nname: Wohngeld\n"})
    git_repository.tag("v2.0.0")
    client.get(URL)  # fetches the mirror, as the page does
    rows = AuditEntry.objects.count()

    preview = client.post(URL, {"tag": "v2.0.0"})

    assert preview.status_code == 200
    assert "ungültig" in preview.text and "Schlüssel „url“" in preview.text and "Schlüssel „legal.license“" in preview.text
    assert 'name="confirmed"' not in preview.text  # nothing to confirm
    refused = client.post(URL, {"tag": "v2.0.0", "confirmed": "on", "changelog": "Trotzdem"})  # a crafted POST
    assert refused.status_code == 400 and "Schlüssel „url“" in refused.text
    assert AuditEntry.objects.count() == rows and not Release.objects.filter(tag="v2.0.0").exists()


def test_the_maintainer_edits_the_changelog_before_confirming(client, maintainer, wohngeld):
    client.get(URL)

    response = client.post(URL, {"tag": "v1.1.0", "confirmed": "on",
                                 "changelog": "Nachweise hochladen\r\nBescheid ins Postfach\r\n"})

    assert response.status_code == 302
    assert Release.objects.get(online_service=wohngeld, tag="v1.1.0").changelog == (
        "Nachweise hochladen\nBescheid ins Postfach")
    too_long = client.post(URL, {"tag": "v1.0.0", "confirmed": "on", "changelog": "x" * 20_001})
    assert too_long.status_code == 400 and 'id="id_changelog_error"' in too_long.text
    assert not Release.objects.filter(online_service=wohngeld, tag="v1.0.0").exists()
