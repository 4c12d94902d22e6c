"""A state's directory maintainer registers an authority, its FIT-Connect endpoint and a
responsibility in the browser; the route finder then answers with that endpoint. Every page
visited passes axe at 1280 px; the main pages also at 390 px, without horizontal scrolling."""
import pytest
from playwright.sync_api import Page, expect

from directory.models import Authority, Endpoint, Responsibility

from .support import PASSWORD, assert_accessible, screenshot, sign_in

pytestmark = pytest.mark.e2e

WOHNGELD = "99107023000000"
BERG = "091880113113"  # Berg, Landkreis Starnberg
DESTINATION = "3b7e2a5c-1d4f-4e8a-9c6b-5a2d7f0e1b94"
IDENTIFIER = "dvdv:by-lra-starnberg"


def check_at_390(page: Page, name: str) -> None:
    page.set_viewport_size({"width": 390, "height": 844})
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} is wider than 390 px by {overflow} px"
    assert_accessible(page)
    screenshot(page, f"{name}-390")
    page.set_viewport_size({"width": 1280, "height": 900})


def test_a_directory_maintainer_registers_an_endpoint_and_the_route_finder_answers(page: Page, live_server, demo_data,
                                                                                   make_user):
    make_user("pflege-by", role="directory-maintainer", state="BY", password=PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "pflege-by")

    # The directory, from the main navigation; empty so far for Bavaria.
    page.locator("nav.site-nav a[href='/verzeichnis/behoerden/']").click()
    expect(page.locator("form.filter-form")).to_be_visible()
    assert_accessible(page)
    page.locator("#filter-state").select_option("BY")
    page.locator("form.filter-form button[type=submit]").click()
    expect(page.locator(".empty-state")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "directory-list-empty-1280")
    page.locator(".empty-state a[href^='/verzeichnis/behoerden/neu/']").click()

    # Register the authority: first with a seat outside Bavaria (refused, named), then right.
    expect(page.locator("#id_state")).to_have_value("BY")
    assert_accessible(page)
    page.locator("#id_identifier").fill(IDENTIFIER)
    page.locator("#id_name").fill("Landratsamt Starnberg")
    page.locator("#id_kind").select_option("DISTRICT")
    page.locator("#id_ars").fill("031515402")
    page.locator("form.directory-form button[type=submit]").click()
    expect(page.locator("#id_ars")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_ars_error")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "directory-authority-error-1280")
    assert not Authority.objects.filter(identifier=IDENTIFIER).exists()
    page.locator("#id_ars").fill("09188")
    page.locator("form.directory-form button[type=submit]").click()

    expect(page).to_have_url(live_server.url + f"/verzeichnis/behoerden/{IDENTIFIER}/")
    expect(page.locator(".messages")).to_contain_text("Landratsamt Starnberg")
    assert_accessible(page)

    # Its FIT-Connect endpoint.
    page.locator(f"a[href='/verzeichnis/behoerden/{IDENTIFIER}/adressen/neu/']").click()
    page.locator("input[name=kind][value=FIT_CONNECT]").check()
    expect(page.locator("#id_certificate_pem")).to_be_hidden()  # only the fields of the kind chosen
    assert_accessible(page)
    screenshot(page, "directory-endpoint-form-1280")
    page.locator("#id_address").fill("https://submission.example.org/lra-starnberg")
    page.locator("#id_destination_id").fill(DESTINATION)
    page.locator("form.endpoint-form button[type=submit]").click()
    expect(page.locator(".endpoint").first).to_contain_text(DESTINATION)
    expect(page.locator(".endpoint .status-badge--valid")).to_have_count(1)
    assert_accessible(page)

    # Its responsibility for Wohngeld in the whole district.
    page.locator(f"a[href='/verzeichnis/behoerden/{IDENTIFIER}/zustaendigkeiten/neu/']").click()
    assert_accessible(page)
    page.locator("#id_leika_key").fill(WOHNGELD)
    page.locator("#id_regions").fill("09188")
    page.locator("form.directory-form button[type=submit]").click()
    expect(page.locator("#responsibilities")).to_contain_text(WOHNGELD)
    assert_accessible(page)
    screenshot(page, "directory-authority-1280")
    check_at_390(page, "directory-authority")
    assert Endpoint.objects.filter(authority__identifier=IDENTIFIER, destination_id=DESTINATION).count() == 1
    assert Responsibility.objects.filter(authority__identifier=IDENTIFIER, service__leika_key=WOHNGELD).count() == 1

    # The route finder answers for a municipality of the district with that endpoint.
    page.goto(live_server.url + "/verzeichnis/behoerden/?state=BY")
    expect(page.locator("table.data-table")).to_contain_text("Landratsamt Starnberg")
    assert_accessible(page)
    screenshot(page, "directory-list-1280")
    check_at_390(page, "directory-list")
    page.locator("a[href='/verzeichnis/zustaendigkeit/']").first.click()
    assert_accessible(page)
    page.locator("#id_leistung").fill(WOHNGELD)
    page.locator("#id_ort").fill(BERG)
    page.locator("form.route-form button[type=submit]").click()
    route = page.locator("li.route")
    expect(route).to_have_count(1)
    expect(route).to_contain_text("Landratsamt Starnberg")
    expect(route.locator(".destination-id")).to_have_text(DESTINATION)
    assert_accessible(page)
    screenshot(page, "directory-route-finder-1280")
    check_at_390(page, "directory-route-finder")
