"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

`playwright install` cannot download browsers here, so the tests use /usr/bin/chromium
(`apt-get install chromium`; .ci/run installs it). The live server needs a transactional
database, which pytest-django flushes after each such test: a test loads the data it needs
itself (`demo_data`), it does not see the session's reference data.
"""
import os
from pathlib import Path

import pytest
from django.core.management import call_command

CHROMIUM = Path("/usr/bin/chromium")

# Playwright's sync API runs an event loop in the test's thread; Django would refuse ORM calls
# there (fixtures create users and load data) without this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).", pytrace=False)
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        # Headless as root in a container: no sandbox, no GPU, no calls home.
        "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A browser set to German, as the site's users have; headless Chromium would send en-US.
    return {**browser_context_args, "locale": "de-DE"}


@pytest.fixture
def demo_data(transactional_db):
    """The reference data and demo catalogue, as `make run` serves them."""
    call_command("load_demo", verbosity=0)
