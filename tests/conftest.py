"""Fixtures shared by the whole suite.

The test database gets the real reference data once per session (`load_demo`): 16 states,
16,023 regions, the OZG catalogue and the demo online services. Tests run in transactions that
roll back, so each sees that data unchanged.
"""
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.management import call_command
from django.test.utils import override_settings


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def _test_server_settings():
    """Production settings, less what needs a TLS proxy and a `collectstatic` run.

    Session-scoped so that it is in force before the live server builds its middleware.
    """
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    # The suite sends thousands of requests from one address; the rate-limit tests set their own.
    signing_key = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    rate_limits = {scope: (1_000_000, window) for scope, (_limit, window) in settings.RATE_LIMITS.items()}
    with override_settings(
        SECURE_SSL_REDIRECT=False, SESSION_COOKIE_SECURE=False, CSRF_COOKIE_SECURE=False, STORAGES=storages,
        RATE_LIMITS=rate_limits, DIRECTORY_SIGNING_KEY=signing_key,
    ):
        yield


@pytest.fixture
def make_user(db):
    """A user, optionally with a role: make_user("anna", role="coordinator", state="BY")."""
    from directory.models import State
    from fitstore import services
    from store.models import OnlineService

    def make(username="user", *, role=None, state=None, online_service=None, password=None):
        user, _ = services.ensure_user(username, actor="test")
        if password:
            user.set_password(password)
            user.save()
        if role:
            services.grant_role(
                user,
                role,
                state=State.objects.by_code(state) if state else None,
                online_service=OnlineService.objects.get(slug=online_service) if online_service else None,
                actor="test",
            )
        return user

    return make


@pytest.fixture
def make_token(db):
    """The raw API token for a user: make_token(user) → 'fst_…'."""
    from fitstore import services

    def make(user, name="test"):
        _, raw = services.issue_token(user, name=name, actor="test")
        return raw

    return make


class GraphQLClient:
    """Posts operations to /graphql/ over the full HTTP stack (middleware, view, JSON)."""

    def __init__(self, client):
        self.client = client

    def post(self, query, variables=None, *, token=None, headers=None):
        extra = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
        for name, value in (headers or {}).items():
            extra["HTTP_" + name.upper().replace("-", "_")] = value
        return self.client.post(
            "/graphql/", {"query": query, "variables": variables or {}}, content_type="application/json", **extra
        )

    def execute(self, query, variables=None, *, token=None, headers=None):
        """The response's JSON, asserting a 200 answer."""
        response = self.post(query, variables, token=token, headers=headers)
        assert response.status_code == 200, response.content
        return response.json()

    def data(self, query, variables=None, *, token=None, headers=None):
        """The `data` of a response that must have no errors."""
        content = self.execute(query, variables, token=token, headers=headers)
        assert "errors" not in content, content["errors"]
        return content["data"]


@pytest.fixture
def graphql(client, db):
    return GraphQLClient(client)
