"""The web UI's core paths in a real browser: German, searchable, usable on a phone."""
import re

import pytest
from playwright.sync_api import Page, expect

from .support import PASSWORD

pytestmark = pytest.mark.e2e


def test_home_is_german_and_its_search_leads_to_the_catalogue(page: Page, live_server, demo_data):
    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "de")
    search = page.get_by_role("combobox", name="Online-Dienste suchen")
    expect(search).to_be_visible()

    search.fill("Wohngeld")
    search.press("Enter")

    expect(page).to_have_url(re.compile(r"/katalog/\?q=Wohngeld$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Katalog der Online-Dienste")
    results = page.locator("main ol.result-list")
    expect(results.get_by_role("link", name=re.compile("Wohngeld"))).not_to_have_count(0)
    expect(page.get_by_role("combobox", name="Suchbegriff")).to_have_value("Wohngeld")


def test_states_page_lists_the_16_states(page: Page, live_server, demo_data):
    page.goto(live_server.url + "/laender/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Länder")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(16)
    expect(rows.filter(has_text="Bayern")).to_contain_text(re.compile(r"\d+,\d{5} %"))


def test_login_page_signs_a_user_in(page: Page, live_server, django_user_model):
    django_user_model.objects.create_user("koordination-by", password=PASSWORD)
    page.goto(live_server.url + "/accounts/login/")

    page.get_by_label("Benutzername").fill("koordination-by")
    page.get_by_label("Passwort").fill("falsch")
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Passwort")).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_text("Angemeldet als koordination-by")).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_be_visible()


def test_nothing_overflows_horizontally_at_390_px(page: Page, live_server, demo_data):
    page.set_viewport_size({"width": 390, "height": 844})
    overflowing = {}
    for path in ["/", "/katalog/", "/katalog/?q=Wohngeld", "/laender/", "/regionen/09/", "/accounts/login/"]:
        page.goto(live_server.url + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        if overflow > 0:
            overflowing[path] = overflow
    assert overflowing == {}, f"wider than a 390 px screen by (px): {overflowing}"
