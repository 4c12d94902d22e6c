"""The home page's search box as an ARIA 1.2 combobox (fitstore/static/fitstore/suggest.js)."""
import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.support import assert_accessible, screenshot

pytestmark = pytest.mark.e2e


def test_type_choose_with_the_keyboard_and_go(page: Page, live_server, demo_data):
    page.goto(live_server.url + "/")
    box = page.locator("#home-search")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")

    box.press_sequentially("wohng", delay=40)
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox).to_have_attribute("role", "listbox")
    first = listbox.get_by_role("option").first
    expect(first).to_contain_text("Wohngeld")
    assert_accessible(page)
    screenshot(page, "search-suggest")

    box.press("ArrowDown")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id"))
    expect(first).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    expect(page).to_have_url(re.compile(r"/katalog/wohngeld/$"))


def test_escape_closes_and_enter_submits_the_form(page: Page, live_server, demo_data):
    page.goto(live_server.url + "/")
    box = page.locator("#home-search")
    box.press_sequentially("eltern", delay=40)
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    box.press("Enter")  # nothing chosen: the form's own search
    expect(page).to_have_url(re.compile(r"/katalog/\?q=eltern$"))
