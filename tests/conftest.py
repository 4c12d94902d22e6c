"""Fixtures shared by the whole suite.

The test database gets the real reference data once per session (`load_demo`): 16 states,
16,023 regions, the OZG catalogue and the demo online services. Tests run in transactions that
roll back, so each sees that data unchanged.
"""
import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)


@pytest.fixture(autouse=True)
def _plain_http(settings):
    # Production settings redirect to https; the test client and live server speak plain http.
    settings.SECURE_SSL_REDIRECT = False
