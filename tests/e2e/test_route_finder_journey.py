"""A signed-in person asks the route finder "Wer ist zuständig?" on the demo directory of
`make run` as a citizen's helpline would: by a word for the service ("Mietzuschuss"), by a town
("München", which is also a Landkreis), by a name seven places bear ("Berg") and by postcodes
inside cities (80331, 85049), without JavaScript's help. Every page passes axe; the choice lists
are lists of links whose text names each place's kind, district and state."""
import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from directory import demo

from .support import PASSWORD, assert_accessible, screenshot, sign_in
from .test_directory_journey import check_at_390

pytestmark = pytest.mark.e2e

WOHNGELD = "99107023000000"
PATH = "/verzeichnis/zustaendigkeit/"


@pytest.fixture
def demo_directory(demo_data):
    demo.load_demo_directory(settings.DATA_DIR, actor="system:test")


def ask(page: Page, service: str, place: str) -> None:
    page.locator("#id_leistung").fill(service)
    page.locator("#id_ort").fill(place)
    page.locator("form.route-form button[type=submit]").click()


def test_the_route_finder_finds_the_place_and_the_service_a_person_means(page: Page, live_server, demo_directory,
                                                                         make_user):
    make_user("buergertelefon", password=PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "buergertelefon")
    page.goto(live_server.url + PATH)

    # "Mietzuschuss" is the catalogue's synonym for Wohngeld, whose online service has nine LeiKa
    # services: the person chooses one. "München" is the city; the Landkreis is offered beside it.
    ask(page, "Mietzuschuss", "München")
    services = page.get_by_role("list", name="Welche Leistung meinen Sie?")
    expect(services.get_by_role("link")).to_have_count(9)
    expect(services.get_by_role("link").first).to_contain_text("Wohngeld")
    expect(services.get_by_role("link").first).to_contain_text(WOHNGELD)
    expect(page.locator("#id_leistung_error")).to_contain_text("Mietzuschuss")
    assert_accessible(page)
    screenshot(page, "route-finder-mietzuschuss-1280")
    services.get_by_role("link").first.click()

    route = page.locator("li.route")
    expect(route).to_have_count(1)
    expect(route).to_contain_text("München, Wohngeldbehörde (Beispiel)")
    expect(route.locator(".demo-note")).to_contain_text("erfundene Behörde")
    expect(page.locator("#answer-heading")).to_contain_text("München, Landeshauptstadt")
    alternatives = page.locator(".alternatives[role=note]")
    expect(alternatives).to_contain_text("Kreisfreie Stadt")
    expect(alternatives.get_by_role("link")).to_have_text(["München Landkreis · Bayern"])
    assert_accessible(page)
    screenshot(page, "route-finder-muenchen-1280")
    check_at_390(page, "route-finder-muenchen")
    alternatives.get_by_role("link").click()
    expect(page.locator("li.route")).to_contain_text("Landkreis München, Wohngeldstelle (Beispiel)")

    # Berg: seven municipalities, none preferred; each link says where it lies.
    page.goto(live_server.url + PATH)
    ask(page, WOHNGELD, "Berg")
    places = page.get_by_role("list", name="Welchen Ort meinen Sie?")
    links = places.get_by_role("link")
    for facts in ("Kreisangehörige Gemeinde · Landkreis Starnberg · Bayern",
                  "Kreisangehörige Gemeinde · Rhein-Lahn-Kreis · Rheinland-Pfalz",
                  "Landkreis Hof · Bayern", "Ravensburg · Baden-Württemberg", "Landkreis Neumarkt i.d.OPf."):
        expect(links.filter(has_text=facts)).to_have_count(1)
    expect(page.locator("#place-candidates-intro")).to_contain_text("„Berg“ passt auf 8 Regionen")
    expect(page.locator("li.route")).to_have_count(0)
    assert_accessible(page)
    screenshot(page, "route-finder-berg-1280")
    check_at_390(page, "route-finder-berg")
    links.filter(has_text="Landkreis Hof").click()
    expect(page.locator(".empty-state")).to_be_visible()  # the demo left the Landkreis Hof unconnected
    page.go_back()
    links.filter(has_text="Landkreis Starnberg").click()
    expect(page.locator("li.route")).to_contain_text("Landkreis Starnberg, Wohngeldstelle (Beispiel)")
    expect(page.locator("li.route .destination-id")).to_be_visible()

    # Postcodes inside a city, not only the seat postcode of the Gemeindeverzeichnis.
    for postcode, authority in (("80331", "München, Wohngeldbehörde (Beispiel)"),
                                ("85049", "Ingolstadt, Wohngeldbehörde (Beispiel)")):
        page.goto(live_server.url + PATH)
        ask(page, "Wohngeld", postcode)
        expect(page.locator("li.route")).to_contain_text(authority)
        expect(page.locator(".route-answer .hint").first).to_contain_text(f"Postleitzahl {postcode}")
        assert_accessible(page)
        screenshot(page, f"route-finder-{postcode}-1280")
    page.goto(live_server.url + PATH)
    ask(page, "Wohngeld", "00000")
    expect(page.locator("#id_ort_error")).to_contain_text("Keine Gemeinde hat die Postleitzahl 00000")
    assert_accessible(page)


def test_a_maintainer_chooses_which_leika_service_a_name_means(page: Page, live_server, demo_directory, make_user):
    """The responsibility form does not take one of Wohngeld's nine LeiKa services silently."""
    make_user("pflege-sh", role="directory-maintainer", state="SH", password=PASSWORD)
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, live_server, "pflege-sh")
    page.goto(live_server.url + "/verzeichnis/behoerden/demo:wohngeld-01002/zustaendigkeiten/neu/")
    page.locator("#id_leika_key").fill("Wohngeld")
    page.locator("#id_regions").fill("010020000000")
    page.locator("form.directory-form button[type=submit]").click()

    choices = page.get_by_role("group", name="Welche Leistung meinen Sie?")
    expect(choices.get_by_role("radio")).to_have_count(10)  # the nine of the online service, and Pflegewohngeld
    expect(page.locator("#id_leika_key_error")).to_contain_text("Wählen Sie unten eine aus")
    assert_accessible(page)
    screenshot(page, "responsibility-choose-service-1280")
    choices.get_by_label("Wohngeld Zahlung – 99107023131000", exact=False).check()
    page.locator("form.directory-form button[type=submit]").click()

    expect(page.locator("#responsibilities")).to_contain_text("99107023131000")
    assert_accessible(page)
