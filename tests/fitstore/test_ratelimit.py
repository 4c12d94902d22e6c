"""Rate limits per token and address with 429 and Retry-After; sign-in throttling; headers."""
import pytest
from django.core.cache import cache

QUERY = "{ __typename }"


@pytest.fixture
def tight_limits(settings):
    cache.clear()
    settings.RATE_LIMITS = {"api-token": (3, 60), "api-anonymous": (2, 60), "login": (2, 300)}
    yield
    cache.clear()


def test_anonymous_callers_are_limited_per_address(graphql, tight_limits):
    first = graphql.post(QUERY)
    graphql.post(QUERY)
    refused = graphql.post(QUERY)

    assert first.status_code == 200
    assert first["RateLimit-Limit"] == "2" and first["RateLimit-Remaining"] == "1"
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60 and refused["RateLimit-Remaining"] == "0"
    assert refused.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"


def test_a_token_has_its_own_budget(graphql, tight_limits, make_user, make_token):
    token = make_token(make_user("gw", role="gateway"))
    for _ in range(2):
        graphql.post(QUERY)
    assert graphql.post(QUERY).status_code == 429

    answers = [graphql.post(QUERY, token=token).status_code for _ in range(4)]

    assert answers == [200, 200, 200, 429]


def test_sign_in_is_throttled_per_address(client, tight_limits, make_user):
    make_user("anna", password="a-long-enough-password")
    for _ in range(2):
        assert client.post("/accounts/login/", {"username": "anna", "password": "wrong"}).status_code == 200

    refused = client.post("/accounts/login/", {"username": "anna", "password": "a-long-enough-password"})

    assert refused.status_code == 429 and refused["Retry-After"]
    assert "_auth_user_id" not in client.session


def test_pages_carry_a_strict_content_security_policy(client, db):
    response = client.get("/")

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_errors_reach_clients_without_internals(client, db, monkeypatch):
    from api.directory import queries

    def broken(*args, **kwargs):
        raise RuntimeError("secret database detail")

    monkeypatch.setattr(queries, "states_queryset", broken)
    response = client.post("/graphql/", {"query": "{ states { code } }"}, content_type="application/json")

    error = response.json()["errors"][0]
    assert error["message"] == "Internal server error" and "secret" not in response.content.decode()
    assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR" and error["extensions"]["requestId"]
