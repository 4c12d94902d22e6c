"""Helpers for the browser journeys: sign in, check accessibility, keep screenshots.

Screenshots go to test-results/screenshots/ (ignored by git; CI keeps the folder as an
artefact). Every page a journey visits is checked with axe-core for serious or critical
WCAG 2.1 AA violations.
"""
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

PASSWORD = "korrekt-Pferd-Batterie-42"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def sign_in(page: Page, live_server, username: str, password: str = PASSWORD) -> None:
    """Signs in through the login form (the user must exist with that password)."""
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Benutzername").fill(username)
    page.get_by_label("Passwort").fill(password)
    page.get_by_role("button", name="Anmelden").click()
    expect(page.get_by_text(f"Angemeldet als {username}")).to_be_visible()


def serious_violations(page: Page) -> list[str]:
    """axe-core's serious and critical WCAG 2.1 AA violations on the current page."""
    results = Axe().run(page, options=WCAG_AA)
    assert len(results.response["passes"]) > 10, f"axe did not run on {page.url}"
    return [
        f"{violation['id']} ({violation['impact']}): {[node['target'] for node in violation['nodes']][:5]}"
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]


def assert_accessible(page: Page) -> None:
    found = serious_violations(page)
    assert not found, f"{page.url}: {found}"


def screenshot(page: Page, name: str) -> Path:
    """Saves a full-page screenshot as test-results/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
