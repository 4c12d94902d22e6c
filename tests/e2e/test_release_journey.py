"""A maintainer publishes a release from a tag of a real git repository and sees it, with its
changelog, on the online service's page; every page passes axe at 1280 px."""
import re

import pytest
from playwright.sync_api import Page, expect

from store import services
from store.models import OnlineService
from tests.api.store.gitrepo import GitRepository

from .support import PASSWORD, assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.e2e


def test_a_maintainer_publishes_a_release_from_a_tag(page: Page, live_server, demo_data, make_user, settings, tmp_path):
    settings.ALLOW_LOCAL_REPOSITORIES = True
    settings.VAR_DIR = tmp_path / "var"
    upstream = GitRepository(tmp_path / "upstream")
    upstream.commit("Antragsformular")
    upstream.tag("v1.0.0")
    upstream.commit("Nachweise hochladen")
    upstream.tag("v1.1.0")
    services.set_repository(OnlineService.objects.get(slug="wohngeld"), url=upstream.url, license="EUPL-1.2",
                            actor="system:test")
    make_user("pflege-wohngeld", role="maintainer", online_service="wohngeld", password=PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})

    sign_in(page, live_server, "pflege-wohngeld")
    page.goto(live_server.url + "/katalog/wohngeld/")
    assert_accessible(page)
    page.locator("a[href='/katalog/wohngeld/veroeffentlichen/']").click()

    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator("input[type=radio][name=tag]")).to_have_count(2)
    assert_accessible(page)
    screenshot(page, "release-choose-1280")
    page.locator("input[type=radio][value='v1.1.0']").check()
    page.locator("form.release-form button[type=submit]").click()

    expect(page.locator("form.confirm-form")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Nachweise hochladen")
    assert_accessible(page)
    screenshot(page, "release-confirm-1280")
    page.locator("form.confirm-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/katalog/wohngeld/#release-\d+$"))
    expect(page.locator(".messages")).to_contain_text("1.1.0")
    release = page.locator("li.release").first
    expect(release).to_contain_text("1.1.0")
    expect(release.locator("details.changelog")).to_contain_text("Nachweise hochladen")
    expect(release.locator("details.changelog")).to_contain_text("Antragsformular")
    assert_accessible(page)
    screenshot(page, "release-published-1280")


def test_journey_pages_at_390_px(page: Page, live_server, demo_data):
    page.set_viewport_size({"width": 390, "height": 844})
    for path, name in [("/", "home-390"), ("/themen/2/", "topic-390"), ("/lebenslagen/26-geburt/", "life-situation-390"),
                       ("/katalog/?provider_state=MV", "catalogue-facets-390"), ("/katalog/wohngeld/", "service-390")]:
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{path} is wider than 390 px by {overflow} px"
        screenshot(page, name)


def test_a_maintainer_records_the_evidence_for_a_criterion(page: Page, live_server, demo_data, make_user):
    make_user("pflege-urkunde", role="maintainer", online_service="geburtsurkunde", password=PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "pflege-urkunde")
    page.goto(live_server.url + "/katalog/geburtsurkunde/")
    page.locator("a[href='/katalog/geburtsurkunde/kriterien/?criterion=C2']").click()
    expect(page.locator("#id_criterion")).to_have_value("C2")
    assert_accessible(page)

    page.locator("#id_met_0").check()
    page.locator("form.narrow-form button[type=submit]").click()  # without evidence
    expect(page.locator("#id_evidence")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    screenshot(page, "criterion-error-1280")

    page.locator("#id_evidence").fill("Neutrale Oberfläche, Abnahme vom 3. März 2026")
    page.locator("form.narrow-form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/katalog/geburtsurkunde/#criteria-heading$"))
    expect(page.locator("ol.checklist")).to_contain_text("Neutrale Oberfläche, Abnahme vom 3. März 2026")
    assert_accessible(page)

    page.goto(live_server.url + "/katalog/geburtsurkunde/bearbeiten/")
    assert_accessible(page)
    page.locator("#id_it_provider").fill("Dataport AöR")
    page.get_by_role("button", name="Speichern", exact=True).click()  # the basic data, not the repository's form
    expect(page).to_have_url(re.compile(r"/katalog/geburtsurkunde/$"))
    expect(page.locator("main")).to_contain_text("Dataport AöR")
    assert_accessible(page)
