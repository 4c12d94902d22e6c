"""Colleagues behind one address sign in again and again without being locked out; wrong
passwords lock the account with a German page in the site's frame; a coordinator whose state has
not joined is told so in plain words, with the next step as a link."""
import re

import pytest
from django.core.cache import cache
from playwright.sync_api import Page, expect

from .support import PASSWORD, assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def real_sign_in_limits(settings):
    cache.clear()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-account": (10, 900), "login-address": (100, 900)}
    yield
    cache.clear()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("link", name="Anmelden")).to_be_visible()


def test_colleagues_sign_in_often_and_failures_lock_one_account(page: Page, live_server, demo_data, make_user,
                                                               real_sign_in_limits):
    for number in range(3):
        make_user(f"kollegin-{number}", password=PASSWORD)

    for attempt in range(12):  # more than the old limit of 10 sign-ins per address
        sign_in(page, live_server, f"kollegin-{attempt % 3}")
        sign_out(page)

    page.goto(live_server.url + "/accounts/login/")
    for _ in range(10):
        page.get_by_label("Benutzername").fill("kollegin-0")
        page.get_by_label("Passwort").fill("falsch-falsch-falsch")
        page.get_by_role("button", name="Anmelden").click()
    expect(page.locator(".error-summary, .errorlist, [role=alert]").first).to_be_visible()
    page.get_by_label("Benutzername").fill("kollegin-0")
    page.get_by_label("Passwort").fill(PASSWORD)
    response = None
    with page.expect_response(re.compile(r"/accounts/login/")) as answer:
        page.get_by_role("button", name="Anmelden").click()
    response = answer.value
    assert response.status == 429
    expect(page.locator("main")).to_contain_text("Zu viele fehlgeschlagene Anmeldeversuche")
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "sign-in-locked-1280")

    sign_in(page, live_server, "kollegin-1")  # a colleague at the same address is not locked out


def test_a_state_that_has_not_joined_is_told_so_with_the_next_step(page: Page, live_server, demo_data, make_user):
    make_user("koordination-sn", role="coordinator", state="SN", password=PASSWORD)
    sign_in(page, live_server, "koordination-sn")
    page.goto(live_server.url + "/katalog/wohngeld/nachnutzung/")
    page.get_by_label(re.compile("Rahmenvereinbarung")).check()
    page.get_by_role("button", name="Anfrage absenden").click()

    error = page.locator("#id_legal_basis_error")
    expect(error).to_contain_text("Sachsen muss dem FIT-Store beitreten")
    assert "FIT_STORE" not in page.locator("main").inner_text() and " SN " not in page.locator("main").inner_text()
    assert_accessible(page)
    screenshot(page, "subscribe-join-first-1280")
    page.get_by_role("link", name="Dem FIT-Store für Sachsen beitreten").click()
    expect(page).to_have_url(re.compile(r"/land/SN/#accession-heading$"))
