"""Rate limits per token and address with 429 and Retry-After; sign-in throttling; headers."""
import pytest
from django.core.cache import cache

QUERY = "{ __typename }"


@pytest.fixture
def tight_limits(settings):
    cache.clear()
    settings.RATE_LIMITS = {"api-token": (3, 60), "api-anonymous": (2, 60), "login-account": (2, 900), "login-address": (3, 900)}
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


def sign_in(client, username, password, address="192.0.2.10"):
    response = client.post("/accounts/login/", {"username": username, "password": password}, REMOTE_ADDR=address)
    signed_in = "_auth_user_id" in client.session
    client.logout()
    return response.status_code, signed_in


def test_correct_sign_ins_from_one_address_are_never_throttled(client, make_user, settings):
    """A ministry behind one NAT address: colleagues sign in again and again; only failures count."""
    cache.clear()
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login-account": (10, 900), "login-address": (100, 900)}
    for number in range(12):
        make_user(f"kollegin-{number}", password="a-long-enough-password")

    answers = [sign_in(client, f"kollegin-{number % 12}", "a-long-enough-password") for number in range(15)]

    assert answers == [(302, True)] * 15
    cache.clear()


def test_failures_lock_the_account_until_the_window_ends(client, tight_limits, make_user):
    make_user("anna", password="a-long-enough-password")
    make_user("berta", password="a-long-enough-password")
    assert [sign_in(client, "anna", "wrong") for _ in range(2)] == [(200, False)] * 2

    refused = client.post("/accounts/login/", {"username": "Anna ", "password": "a-long-enough-password"},
                          REMOTE_ADDR="192.0.2.10")

    assert refused.status_code == 429 and 1 <= int(refused["Retry-After"]) <= 900
    assert "_auth_user_id" not in client.session
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in refused.text
    assert sign_in(client, "anna", "a-long-enough-password", address="198.51.100.7")[0] == 429  # from anywhere
    assert sign_in(client, "berta", "a-long-enough-password") == (302, True)  # other accounts sign in


def test_a_successful_sign_in_resets_the_accounts_failures(client, tight_limits, make_user):
    make_user("anna", password="a-long-enough-password")

    assert sign_in(client, "anna", "wrong") == (200, False)
    assert sign_in(client, "anna", "a-long-enough-password") == (302, True)
    assert sign_in(client, "anna", "wrong") == (200, False)

    assert sign_in(client, "anna", "a-long-enough-password") == (302, True)  # one failure counted, not two


def test_failures_from_one_address_across_accounts_lock_the_address(client, tight_limits, make_user):
    make_user("anna", password="a-long-enough-password")
    for name in ("x1", "x2", "x3"):  # three accounts guessed once each: the address limit (3)
        assert sign_in(client, name, "guess") == (200, False)

    assert sign_in(client, "anna", "a-long-enough-password")[0] == 429
    assert sign_in(client, "anna", "a-long-enough-password", address="198.51.100.7") == (302, True)


def test_every_failed_attempt_stays_audited(client, tight_limits, make_user):
    from fitstore.models import AuditEntry

    make_user("anna", password="a-long-enough-password")
    before = AuditEntry.objects.filter(action="SIGN_IN_FAILED").count()

    for _ in range(2):
        sign_in(client, "anna", "wrong")

    assert AuditEntry.objects.filter(action="SIGN_IN_FAILED").count() == before + 2


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
