"""`manage.py grant` and `manage.py issue_token`, exactly as the contract's command line says."""
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from fitstore.access import has_role
from fitstore.models import ApiToken, AuditEntry, RoleAssignment, hash_token


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue().strip()


def test_grant_creates_the_user_and_is_idempotent(db):
    assert run("grant", "anna", "coordinator", "--state", "BY") == "granted coordinator for BY to anna (user created)"
    assert run("grant", "anna", "coordinator", "--state", "by") == "granted coordinator for BY to anna"

    anna = get_user_model().objects.get(username="anna")
    assert RoleAssignment.objects.filter(user=anna).count() == 1
    assert has_role(anna, "coordinator", state="BY") and not has_role(anna, "coordinator", state="NW")
    assert not anna.has_usable_password()
    assert AuditEntry.objects.filter(verb="grant_role", actor_label="system:grant").count() == 1


@pytest.mark.parametrize(
    "args, message",
    [
        (("anna", "coordinator"), "--state"),
        (("anna", "directory-maintainer", "--state", "XX"), "--state: unknown state code 'XX'"),
        (("anna", "maintainer"), "--online-service"),
        (("anna", "maintainer", "--online-service", "no-such-service"), "--online-service: no online service"),
        (("anna", "gateway", "--state", "BY"), "--state"),
    ],
)
def test_refused_grant_names_the_option_and_changes_nothing(db, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("grant", *args, stdout=StringIO())

    assert not get_user_model().objects.filter(username="anna").exists()
    assert not RoleAssignment.objects.exists()


def test_unknown_role_is_refused(db):
    with pytest.raises(CommandError, match="invalid choice"):
        call_command("grant", "anna", "king", stdout=StringIO())


def test_operator_may_use_the_admin(db):
    run("grant", "ops", "operator")

    ops = get_user_model().objects.get(username="ops")
    assert ops.is_staff and ops.is_superuser


def test_issue_token_prints_the_token_as_last_word_and_stores_its_hash(db, graphql):
    run("grant", "gw-hamburg", "gateway")

    output = run("issue_token", "gw-hamburg", "--name", "gateway.hamburg.de")

    raw = output.split()[-1]
    token = ApiToken.objects.get(user__username="gw-hamburg")
    assert token.name == "gateway.hamburg.de"
    assert token.key_hash == hash_token(raw) and raw not in output.split()[:-1]
    viewer = graphql.data("{ viewer { username } }", token=raw)["viewer"]
    assert viewer == {"username": "gw-hamburg"}


def test_issue_token_for_unknown_user_is_refused(db):
    with pytest.raises(CommandError, match="username: no active user 'nobody'"):
        call_command("issue_token", "nobody", stdout=StringIO())
    assert not ApiToken.objects.exists()
