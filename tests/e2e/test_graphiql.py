"""GraphiQL (DEBUG only) runs from the project's own static files, within the site's
Content-Security-Policy: with every request to another origin refused, it renders and runs a
query."""
import pytest
from playwright.sync_api import Page, expect

from .support import screenshot

pytestmark = pytest.mark.e2e


def test_graphiql_renders_and_runs_a_query_without_internet(page: Page, live_server, demo_data, settings):
    settings.DEBUG = True  # GraphiQL is served where DEBUG is on
    elsewhere, problems = [], []

    def only_this_site(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_site)
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.set_viewport_size({"width": 1280, "height": 800})

    response = page.goto(live_server.url + "/graphql/")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    expect(page.locator(".graphiql-container")).to_be_visible()
    page.locator(".graphiql-execute-button").click()
    expect(page.locator(".graphiql-response")).to_contain_text("Bayern")
    screenshot(page, "graphiql-1280")
    assert elsewhere == [] and problems == []
