"""Tokens and sessions are attributable, and operators browse the audit log in the admin.

Every audit row says which API token (prefix and name, never the secret) or which web session (a
keyed hash of its key) made the change, from which address, in which request; sign-in, sign-out
and failed sign-ins are recorded too.
"""
import pytest

from fitstore.audit import session_hash
from fitstore.models import ApiToken, AuditEntry

pytestmark = pytest.mark.django_db

REGISTER_AUTHORITY = """
mutation RegisterAuthority($input: RegisterAuthorityInput!) {
  registerAuthority(input: $input) { authority { identifier } errors { field code } }
}
"""
AUTHORITY = {"identifier": "by:lra-protokoll", "name": "Landratsamt Protokoll", "stateCode": "BY", "ars": "09188",
             "kind": "DISTRICT"}
PASSWORD = "a-long-enough-password"


def latest():
    return AuditEntry.objects.latest("id")


def test_an_api_write_names_its_token_but_not_the_secret(graphql, make_user, make_token):
    user = make_user("pflege-by", role="directory-maintainer", state="BY")
    raw = make_token(user, name="pflege-pipeline")
    token = ApiToken.objects.get(user=user, name="pflege-pipeline")

    response = graphql.post(REGISTER_AUTHORITY, {"input": AUTHORITY}, token=raw, headers={"X-Request-ID": "req-4711"})

    assert response.json()["data"]["registerAuthority"]["errors"] == []
    entry = latest()
    assert entry.verb == "register_authority" and entry.actor == user
    assert entry.token == token and entry.token_label == f"{token.prefix}… pflege-pipeline"
    assert raw not in entry.token_label and raw[len(token.prefix):] not in str(entry.__dict__)
    assert entry.session_hash == "" and entry.request_id == "req-4711" == response["X-Request-ID"]
    assert entry.client_address == "127.0.0.1"


def test_a_web_write_names_its_session_by_a_keyed_hash(client, make_user):
    operator = make_user("betrieb", role="operator")
    target = make_user("neu")
    client.force_login(operator)
    key = client.session.session_key

    response = client.post("/admin/fitstore/roleassignment/add/", {"user": target.pk, "role": "gateway"})

    assert response.status_code == 302
    entry = latest()
    assert entry.verb == "grant_role" and entry.actor == operator
    assert entry.session_hash == session_hash(key) and len(entry.session_hash) == 32 and key not in entry.session_hash
    assert entry.token is None and entry.token_label == ""
    assert len(entry.request_id) == 32 and entry.client_address == "127.0.0.1"


def test_commands_are_attributed_by_their_request_id(db):
    from io import StringIO

    from django.core.management import call_command

    call_command("grant", "per-kommando", "gateway", stdout=StringIO())

    entry = latest()
    assert entry.request_id.startswith("cmd-grant-")
    assert entry.session_hash == "" and entry.token_label == "" and entry.client_address is None


def test_sign_in_sign_out_and_failed_sign_ins_are_recorded(client, make_user):
    user = make_user("anna", password=PASSWORD)
    start = latest().id

    assert client.post("/accounts/login/", {"username": "anna", "password": "wrong"}).status_code == 200
    assert client.post("/accounts/login/", {"username": "niemand", "password": "wrong"}).status_code == 200
    assert client.post("/accounts/login/", {"username": "anna", "password": PASSWORD}).status_code == 302
    key = client.session.session_key
    assert client.post("/accounts/logout/").status_code in (200, 302)

    rows = list(AuditEntry.objects.filter(id__gt=start).order_by("id"))
    assert [(row.action, row.verb) for row in rows] == [
        ("SIGN_IN_FAILED", "sign_in_failed"), ("SIGN_IN_FAILED", "sign_in_failed"),
        ("SIGNED_IN", "sign_in"), ("SIGNED_OUT", "sign_out"),
    ]
    failed_known, failed_unknown, signed_in, signed_out = rows
    assert failed_known.object_id == str(user.pk) and failed_known.actor is None
    assert failed_unknown.object_id == "" and failed_unknown.actor_label == "anonymous:niemand"
    assert signed_in.actor == user and signed_in.session_hash == session_hash(key) == signed_out.session_hash
    assert all(row.client_address == "127.0.0.1" and row.request_id for row in rows)


def test_a_failed_sign_in_with_control_characters_is_recorded_printable(client, make_user):
    start = latest().id

    response = client.post("/accounts/login/", {"username": "mallory\x1b[31m\r\nadmin", "password": "x"})

    assert response.status_code == 200
    entry = AuditEntry.objects.filter(id__gt=start).get()
    assert entry.action == "SIGN_IN_FAILED" and "\x1b" not in entry.actor_label and "\n" not in entry.note


# --- the admin -------------------------------------------------------------------------------

@pytest.fixture
def operator_client(client, make_user):
    client.force_login(make_user("betrieb", role="operator"))
    return client


def test_operators_browse_filter_and_search_the_log(operator_client, make_user):
    make_user("gefiltert", role="gateway")
    entry = latest()
    operator = AuditEntry.objects.filter(action="SIGNED_IN").latest("id").actor

    for query in ("", "?app=fitstore", "?action__exact=CREATED", f"?actor__id__exact={operator.pk}",
                  "?verb__exact=grant_role", f"?q={entry.request_id or 'x'}", f"?q={entry.object_id}",
                  f"?at__year={entry.at.year}"):
        response = operator_client.get(f"/admin/fitstore/auditentry/{query}")
        assert response.status_code == 200, query

    found = operator_client.get("/admin/fitstore/auditentry/", {"q": "gefiltert", "verb__exact": "grant_role"})
    assert "gefiltert" in found.content.decode()


def test_an_entry_shows_what_changed_field_by_field(operator_client, make_user):
    from directory import services

    authority = services.register_authority(identifier="by:lra-diff", name="Alt", state_code="BY", ars="09188",
                                            kind="DISTRICT", actor="system:test")
    services.update_authority(authority, name="Neu", actor="system:test")
    entry = latest()

    page = operator_client.get(f"/admin/fitstore/auditentry/{entry.pk}/change/").content.decode()

    assert "Alt" in page and "Neu" in page
    assert '<th scope="row">name</th><td>Alt</td><td>Neu</td>' in page


def test_the_log_cannot_be_changed_in_the_admin(operator_client):
    entry = latest()
    snapshot = (entry.verb, entry.object_repr)

    assert operator_client.get("/admin/fitstore/auditentry/add/").status_code == 403
    assert operator_client.post(f"/admin/fitstore/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    operator_client.post(f"/admin/fitstore/auditentry/{entry.pk}/change/", {"verb": "forged", "object_repr": "x"})
    operator_client.post("/admin/fitstore/auditentry/", {"action": "delete_selected", "_selected_action": [entry.pk]})

    entry.refresh_from_db()
    assert (entry.verb, entry.object_repr) == snapshot
