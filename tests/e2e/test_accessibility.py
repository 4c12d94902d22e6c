"""BITV 2.0 / WCAG 2.1 AA: axe-core finds no serious or critical violation on any page."""
import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page

pytestmark = pytest.mark.e2e

PAGES = ["/", "/katalog/", "/katalog/?q=Wohngeld", "/katalog/?provider_state=MV&lifecycle=AVAILABLE",
         "/katalog/?leika_key=123", "/katalog/?q=nirgends-zu-finden", "/katalog/wohngeld/", "/themen/2/",
         "/themen/14/", "/lebenslagen/26-geburt/", "/laender/", "/regionen/09188/", "/accounts/login/"]
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_or_critical_violations(page: Page, live_server, demo_data, width):
    page.set_viewport_size({"width": width, "height": 900})
    axe = Axe()
    found = {}
    for path in PAGES:
        page.goto(live_server.url + path)
        results = axe.run(page, options=WCAG_AA)
        assert len(results.response["passes"]) > 10, f"axe did not run on {path}"
        serious = [
            f"{violation['id']} ({violation['impact']}): {len(violation['nodes'])} nodes"
            for violation in results.response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        if serious:
            found[path] = serious

    assert not found, found
