"""`viewer`: who the API thinks is asking, with Bearer tokens valid, revoked or unknown."""
from fitstore import services
from fitstore.models import ApiToken

VIEWER_QUERY = """
query Viewer { viewer { username roles { role state { code } onlineService { slug } } tokens { name prefix revokedAt } } }
"""


def test_anonymous_viewer_is_null(graphql):
    assert graphql.data(VIEWER_QUERY)["viewer"] is None


def test_token_authenticates_its_owner_with_roles(graphql, make_user, make_token):
    user = make_user("koordination-by", role="coordinator", state="BY")
    token = make_token(user, name="cli")

    viewer = graphql.data(VIEWER_QUERY, token=token)["viewer"]

    assert viewer["username"] == "koordination-by"
    assert viewer["roles"] == [{"role": "coordinator", "state": {"code": "BY"}, "onlineService": None}]
    assert viewer["tokens"] == [{"name": "cli", "prefix": token[:12], "revokedAt": None}]


def test_token_is_stored_hashed_only(make_user, make_token):
    token = make_token(make_user("gw"))

    stored = ApiToken.objects.get()
    assert token not in (stored.key_hash, stored.prefix)
    assert len(stored.key_hash) == 64 and stored.prefix == token[:12]


def test_revoked_token_gets_401(graphql, make_user, make_token):
    user = make_user("gw")
    token = make_token(user)
    services.revoke_token(ApiToken.objects.get(user=user), actor="test")

    response = graphql.post(VIEWER_QUERY, token=token)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer error="invalid_token"'
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_unknown_token_gets_401_and_inactive_user_too(graphql, make_user, make_token):
    assert graphql.post(VIEWER_QUERY, token="fst_not-a-token").status_code == 401

    user = make_user("gone")
    token = make_token(user)
    user.is_active = False
    user.save()
    assert graphql.post(VIEWER_QUERY, token=token).status_code == 401


def test_bearer_requests_need_no_csrf_token(make_user, make_token):
    from django.test import Client

    token = make_token(make_user("gw"))
    client = Client(enforce_csrf_checks=True)
    response = client.post("/graphql/", {"query": VIEWER_QUERY}, content_type="application/json",
                           HTTP_AUTHORIZATION=f"Bearer {token}")

    assert response.status_code == 200
    assert response.json()["data"]["viewer"]["username"] == "gw"


def test_maintainer_role_names_its_online_service(graphql, make_token):
    from fitstore.services import grant_role
    from tests.factories import OnlineServiceFactory, UserFactory

    maintainer = UserFactory(username="pflege-kfz")
    online_service = OnlineServiceFactory(slug="kfz-zulassung")
    grant_role(maintainer, "maintainer", online_service=online_service, actor="test")

    viewer = graphql.data(VIEWER_QUERY, token=make_token(maintainer))["viewer"]

    assert viewer["roles"] == [{"role": "maintainer", "state": None, "onlineService": {"slug": "kfz-zulassung"}}]
