"""A maintainer registers the repository of a demo online service on its edit page, previews a
tag whose publiccode.yml is invalid (refused, the keys named), then publishes a corrected tag
with a changelog edited on the preview (headed by the tag's message). Every page passes axe."""
import re

import pytest
from playwright.sync_api import Page, expect

from store.models import Release
from tests.api.store.gitrepo import PUBLICCODE, GitRepository

from .support import PASSWORD, assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_register_a_repository_then_publish_with_validation_and_an_edited_changelog(
        page: Page, live_server, demo_data, make_user, settings, tmp_path):
    settings.ALLOW_LOCAL_REPOSITORIES = True
    settings.VAR_DIR = tmp_path / "var"
    upstream = GitRepository(tmp_path / "bafoeg")
    upstream.commit("Antragsformular", {"publiccode.yml": "publiccodeYmlVersion: '0'\nname: BAföG\n"})
    upstream.tag("v0.9.0", message="Vorabfassung\n")
    upstream.commit("publiccode.yml vervollständigt", {"publiccode.yml": PUBLICCODE})
    upstream.tag("v1.0.0", message="Erste Fassung für die Länder\n")
    make_user("pflege-bafoeg", role="maintainer", online_service="bafoeg", password=PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(page, live_server, "pflege-bafoeg")
    page.goto(live_server.url + "/katalog/bafoeg/veroeffentlichen/")
    expect(page.locator(".empty-state")).to_contain_text("noch kein Repository")
    page.get_by_role("link", name="Repository eintragen").click()

    expect(page).to_have_url(re.compile(r"/katalog/bafoeg/bearbeiten/#repository-heading$"))
    page.get_by_label("URL des Repositorys").fill("http://gitlab.opencode.de/land/bafoeg.git")
    page.get_by_role("button", name="Repository speichern").click()
    expect(page.locator("#id_repository_url")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_repository_url_error")).to_contain_text("https://")
    assert_accessible(page)
    screenshot(page, "repository-refused-1280")

    page.get_by_label("URL des Repositorys").fill(upstream.url)
    page.get_by_label("Lizenz").fill("EUPL-1.2")
    page.get_by_role("button", name="Repository speichern").click()
    expect(page.locator(".messages")).to_contain_text("Das Repository ist eingetragen")
    assert_accessible(page)
    page.locator(".messages").get_by_role("link").click()

    expect(page.locator("input[type=radio][name=tag]")).to_have_count(2)
    page.locator("input[type=radio][value='v0.9.0']").check()
    page.locator("form.release-form button[type=submit]").click()
    expect(page.locator("#publiccode-errors")).to_contain_text("ungültig")
    expect(page.locator("#publiccode-errors")).to_contain_text("„url“")
    expect(page.locator("#publiccode-errors")).to_contain_text("„legal.license“")
    expect(page.get_by_role("button", name=re.compile("veröffentlichen"))).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "release-invalid-publiccode-1280")

    page.get_by_role("link", name="Zurück zu den Tags").click()
    page.locator("input[type=radio][value='v1.0.0']").check()
    page.locator("form.release-form button[type=submit]").click()
    expect(page.locator("#publiccode-verdict")).to_contain_text("gültig")
    changelog = page.get_by_label("Änderungsprotokoll")
    expect(changelog).to_have_value(re.compile(r"^Erste Fassung für die Länder\npubliccode.yml vervollständigt\n"))
    assert_accessible(page)
    screenshot(page, "release-preview-valid-1280")
    changelog.fill("Erste Fassung für die Länder\nAntrag online mit Nachweis-Upload")
    page.get_by_role("button", name="Ja, Version 1.0.0 veröffentlichen").click()

    expect(page).to_have_url(re.compile(r"/katalog/bafoeg/#release-\d+$"))
    release = page.locator("li.release").first
    expect(release.locator("details.changelog")).to_contain_text("Antrag online mit Nachweis-Upload")
    assert_accessible(page)
    screenshot(page, "release-published-edited-1280")
    assert Release.objects.get(online_service__slug="bafoeg").changelog == (
        "Erste Fassung für die Länder\nAntrag online mit Nachweis-Upload")
    assert not Release.objects.filter(tag="v0.9.0").exists()
