"""A few journeys as production serves them: DEBUG off, `collectstatic` into a temporary
STATIC_ROOT with the hashed, compressed manifest storage, static files served by WhiteNoise
from there (not by the finders the other browser tests use). Catches what only breaks after
`collectstatic`: a script deriving a file's URL from its own name, a stylesheet referring to a
file that is not collected, a template naming a static file that does not exist.

The server is this module's own (not pytest-django's `live_server`, whose handler serves static
files through the finders): started after `collectstatic`, so WhiteNoise indexes that folder.
"""
import pytest
from django.core.management import call_command
from django.db import connections
from django.test.testcases import LiveServerThread
from django.test.utils import override_settings
from playwright.sync_api import Page, expect

from .support import PASSWORD, assert_accessible, screenshot

pytestmark = pytest.mark.e2e


class ProductionServer:
    def __init__(self, thread):
        self.thread = thread

    @property
    def url(self) -> str:
        return f"http://{self.thread.host}:{self.thread.port}"


@pytest.fixture(scope="module")
def production_server(tmp_path_factory, django_db_setup, django_db_blocker):
    static_root = tmp_path_factory.mktemp("static_root")
    storages = {"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
                "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}
    with override_settings(DEBUG=False, STATIC_ROOT=static_root, STORAGES=storages, WHITENOISE_USE_FINDERS=False,
                           WHITENOISE_AUTOREFRESH=False):
        call_command("collectstatic", "--noinput", verbosity=0)
        shared = {conn.alias: conn for conn in connections.all()
                  if conn.vendor == "sqlite" and conn.is_in_memory_db()}
        for conn in shared.values():
            conn.inc_thread_sharing()
        # No static handler: requests for /static/ reach the middleware, where WhiteNoise serves
        # the collected files.
        thread = LiveServerThread("localhost", static_handler=lambda handler: handler, connections_override=shared)
        thread.daemon = True
        thread.start()
        thread.is_ready.wait()
        if thread.error:
            raise thread.error
        try:
            yield ProductionServer(thread)
        finally:
            thread.terminate()
            for conn in shared.values():
                conn.dec_thread_sharing()


@pytest.fixture
def failed_requests(page: Page):
    """Every response of 400 or more (or a request that failed) while the test runs."""
    failed = []
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}")
            if response.status >= 400 else None)
    page.on("requestfailed", lambda request: failed.append(f"failed {request.url}"))
    return failed


def test_search_suggestions_keep_their_stylesheet_and_a_visible_focus(page: Page, production_server, demo_data,
                                                                     failed_requests):
    page.goto(production_server.url + "/")
    stylesheets = page.locator("link[rel=stylesheet]")
    hrefs = [stylesheets.nth(number).get_attribute("href") for number in range(stylesheets.count())]
    assert any("/static/fitstore/suggest." in href and href.endswith(".css") and href != "/static/fitstore/suggest.css"
               for href in hrefs), hrefs  # the hashed name collectstatic gave it
    assert all(href.endswith(".css") for href in hrefs), hrefs

    box = page.locator("#home-search")
    box.press_sequentially("wohng", delay=40)
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    expect(listbox).to_be_visible()
    assert listbox.evaluate("node => getComputedStyle(node).position") == "absolute"  # suggest.css applies
    box.press("ArrowDown")
    option = listbox.get_by_role("option").first
    expect(option).to_have_attribute("aria-selected", "true")
    assert option.evaluate("node => getComputedStyle(node).outlineStyle") == "solid"  # WCAG 2.4.7
    assert_accessible(page)
    screenshot(page, "production-suggest-focus")
    assert failed_requests == []


def test_catalogue_service_page_and_404_with_collected_static(page: Page, production_server, demo_data,
                                                             failed_requests):
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(production_server.url + "/katalog/")
    filters = page.locator("details.facet-form__filters")
    expect(filters).not_to_have_attribute("open", "")  # collapsed on a phone
    screenshot(page, "production-catalogue-collapsed-390")
    page.locator("details.facet-form__filters > summary").click()
    expect(page.locator("#id_provider_state")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "production-catalogue-390")

    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(production_server.url + "/katalog/wohngeld/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Wohngeld")
    assert_accessible(page)

    response = page.goto(production_server.url + "/katalog/gibt-es-nicht/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Seite nicht gefunden")
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "production-404-1280")
    favicon = page.locator("link[rel=icon]").get_attribute("href")
    assert page.request.get(production_server.url + favicon).status == 200
    assert [entry for entry in failed_requests if "/katalog/gibt-es-nicht/" not in entry] == []


def test_sign_in_and_register_a_repository_with_collected_static(page: Page, production_server, demo_data,
                                                                make_user, failed_requests, settings, tmp_path):
    settings.ALLOW_LOCAL_REPOSITORIES = True
    settings.VAR_DIR = tmp_path / "var"
    make_user("pflege-urkunde", role="maintainer", online_service="geburtsurkunde", password=PASSWORD)
    page.goto(production_server.url + "/accounts/login/")
    page.get_by_label("Benutzername").fill("pflege-urkunde")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_text("Angemeldet als pflege-urkunde")).to_be_visible()

    page.goto(production_server.url + "/katalog/geburtsurkunde/bearbeiten/#repository-heading")
    page.get_by_label("URL des Repositorys").fill(str(tmp_path / "urkunde.git"))
    page.get_by_label("Lizenz").fill("EUPL-1.2")
    page.get_by_role("button", name="Repository speichern").click()
    expect(page.locator(".messages")).to_contain_text("Das Repository ist eingetragen")
    assert_accessible(page)
    assert failed_requests == []
