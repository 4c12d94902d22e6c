"""The reuse journey in Chromium (the FIT-Store procedure of "Nachnutzung"):
a coordinator of Bayern finds Wohngeld in the catalogue, reads its terms and requests reuse; the
maintainer of Wohngeld (provided by Mecklenburg-Vorpommern) confirms in the inbox; the coordinator
reports it as connected; the service page's map shows Bayern as connected. Every page passes axe;
screenshots go to test-results/screenshots/reuse-*.png.

Where a label is checked, both the German text and its English msgid are accepted, so that the
journey passes before and after the German catalogue is compiled.
"""
import re

import pytest
from playwright.sync_api import Page, expect

from .support import PASSWORD, assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.e2e


def words(*alternatives) -> re.Pattern:
    return re.compile("|".join(re.escape(text) for text in alternatives))


@pytest.fixture
def reuse_setup(demo_data, make_user):
    from licensing import services
    from licensing.choices import AllocationKey, LegalBasis, OperatingModel
    from store.models import OnlineService

    services.set_reuse_terms(
        OnlineService.objects.get(slug="wohngeld"), annual_cost="100000.00", one_time_cost="25000.00",
        allocation_key=AllocationKey.KOENIGSTEIN, license="EUPL-1.2", operating_model=OperatingModel.CENTRAL,
        legal_bases=[LegalBasis.FIT_STORE, LegalBasis.ADMINISTRATIVE_AGREEMENT], actor="system:test",
    )
    make_user("koordination-by", role="coordinator", state="BY", password=PASSWORD)
    make_user("pflege-wohngeld", role="maintainer", online_service="wohngeld", password=PASSWORD)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name=words("Abmelden", "Sign out")).click()


def test_a_state_requests_reuse_the_provider_confirms_the_state_connects(page: Page, live_server, reuse_setup):
    page.set_viewport_size({"width": 1280, "height": 900})

    # The coordinator of Bayern finds the service in the catalogue and reads its terms.
    sign_in(page, live_server, "koordination-by")
    page.goto(live_server.url + "/katalog/")
    page.locator("main").get_by_role("link", name=re.compile(r"^Wohngeld")).first.click()
    expect(page).to_have_url(live_server.url + "/katalog/wohngeld/")
    panel = page.locator("section.reuse-panel")
    expect(panel).to_contain_text("EUPL-1.2")
    expect(panel).to_contain_text("100.000,00 €")
    expect(panel.locator('path[data-state="MV"]')).to_have_attribute("data-status", "provider")
    expect(panel.locator('path[data-state="BY"]')).to_have_attribute("data-status", "none")
    assert_accessible(page)
    screenshot(page, "reuse-01-service-page")

    # … requests reuse: first under the framework agreement, which Bayern has not joined …
    panel.get_by_role("link", name=words("Nachnutzung beantragen", "Request reuse")).click()
    expect(page).to_have_url(live_server.url + "/katalog/wohngeld/nachnutzung/?land=BY")
    assert_accessible(page)
    page.get_by_label(words("FIT-Store-Rahmenvereinbarung", "FIT-Store framework agreement")).check()
    page.get_by_role("button", name=words("Anfrage absenden", "Send the request")).click()
    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    first_choice = page.locator("#id_legal_basis_0")
    expect(first_choice).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
    screenshot(page, "reuse-02-request-error")

    # … then under an administrative agreement.
    page.get_by_label(words("Verwaltungsvereinbarung", "Administrative agreement")).check()
    page.get_by_label(words("Hinweis an das bereitstellende Land", "Note to the providing state")).fill("Start im Mai")
    page.get_by_role("button", name=words("Anfrage absenden", "Send the request")).click()
    expect(page).to_have_url(live_server.url + "/land/BY/")
    expect(page.get_by_role("status")).to_contain_text("Wohngeld")
    item = page.locator("li.subscription").filter(has_text="Wohngeld")
    expect(item.locator(".status-badge")).to_have_text(words("beantragt", "requested"))
    assert_accessible(page)
    screenshot(page, "reuse-03-workspace-requested")

    # The draft of the administrative agreement is there for the parties.
    item.get_by_role("link", name=words("Verwaltungsvereinbarung", "Administrative agreement")).click()
    expect(page.locator("article.agreement")).to_contain_text("Mecklenburg-Vorpommern")
    expect(page.locator("article.agreement")).to_contain_text("Bayern")
    assert_accessible(page)
    screenshot(page, "reuse-04-agreement")
    sign_out(page)

    # The maintainer of Wohngeld confirms the request in the inbox.
    sign_in(page, live_server, "pflege-wohngeld")
    page.get_by_role("navigation", name=words("Hauptnavigation", "Main navigation")).get_by_role(
        "link", name=words("Posteingang", "Inbox")).click()
    expect(page).to_have_url(live_server.url + "/posteingang/")
    assert_accessible(page)
    screenshot(page, "reuse-05-inbox")
    page.get_by_role("link", name=words("Anfrage von Bayern bestätigen", "Confirm the request of Bayern")).click()
    expect(page.locator("ol.history")).to_contain_text("Start im Mai")
    assert_accessible(page)
    page.get_by_role("button", name=words("Entscheidung absenden", "Send the decision")).click()
    expect(page).to_have_url(live_server.url + "/posteingang/")
    expect(page.get_by_role("status")).to_contain_text("Bayern")
    expect(page.locator("li.subscription")).to_have_count(0)
    assert_accessible(page)

    # The maintainer's form for the reuse terms shows the published ones and is accessible too.
    page.goto(live_server.url + "/katalog/wohngeld/nachnutzungsbedingungen/")
    expect(page.get_by_label(words("Lizenz (SPDX-Ausdruck)", "Licence (SPDX expression)"))).to_have_value("EUPL-1.2")
    assert_accessible(page)
    screenshot(page, "reuse-05b-terms-form")
    sign_out(page)

    # The coordinator reports Bayern's authorities as connected.
    sign_in(page, live_server, "koordination-by")
    page.get_by_role("navigation", name=words("Hauptnavigation", "Main navigation")).get_by_role(
        "link", name=words("Mein Land", "My state")).click()
    expect(page).to_have_url(live_server.url + "/land/BY/")
    item = page.locator("li.subscription").filter(has_text="Wohngeld")
    expect(item.locator(".status-badge")).to_have_text(words("aktiv", "active"))
    expect(page.locator("#bill-heading + .table-scroll")).to_contain_text("Wohngeld")
    item.get_by_role("link", name=words("Angeschlossen melden", "Report as connected")).click()
    assert_accessible(page)
    page.get_by_role("button", name=words("Angeschlossen melden", "Report as connected")).click()
    expect(page).to_have_url(live_server.url + "/land/BY/")
    item = page.locator("li.subscription").filter(has_text="Wohngeld")
    expect(item.locator(".status-badge")).to_have_text(words("angeschlossen", "connected"))
    assert_accessible(page)
    screenshot(page, "reuse-06-workspace-connected")

    # The service page's map shows Bayern as connected, in colour and in words.
    page.goto(live_server.url + "/katalog/wohngeld/")
    panel = page.locator("section.reuse-panel")
    expect(panel.locator('path[data-state="BY"]')).to_have_attribute("data-status", "connected")
    expect(panel.locator('#reuse-states-table tr[data-state="BY"]')).to_contain_text(words("angeschlossen", "connected"))
    assert_accessible(page)
    screenshot(page, "reuse-07-service-page-connected")

    # The same page on a phone: nothing wider than the screen.
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    assert page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0
    assert_accessible(page)
    screenshot(page, "reuse-08-service-page-390")
