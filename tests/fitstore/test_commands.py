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


# --- scriptable accounts: grant --email --password-stdin, changepassword without a terminal ---

PASSWORD = "korrekt-Pferd-Batterie-42"


def test_grant_sets_email_and_password_from_stdin_in_one_step(db, client):
    out = StringIO()

    call_command("grant", "anna", "coordinator", "--state", "BY", "--email", "Anna@STMD.Bayern.de",
                 "--password-stdin", stdin=StringIO(PASSWORD + "\n"), stdout=out)

    user = get_user_model().objects.get(username="anna")
    assert user.email == "Anna@stmd.bayern.de" and user.check_password(PASSWORD)
    assert "e-mail Anna@stmd.bayern.de, password set" in out.getvalue()
    verbs = list(AuditEntry.objects.filter(object_id=str(user.pk)).values_list("verb", flat=True))
    assert {"ensure_user", "set_user_email", "set_user_password"} <= set(verbs)
    assert PASSWORD not in str(list(AuditEntry.objects.values_list("before", "after", "note")))
    assert client.login(username="anna", password=PASSWORD)


def test_grant_sets_the_email_of_an_existing_user(db):
    call_command("grant", "anna", "gateway", stdout=StringIO())

    call_command("grant", "anna", "gateway", "--email", "anna@example.org", stdout=StringIO())

    assert get_user_model().objects.get(username="anna").email == "anna@example.org"


@pytest.mark.parametrize("options, stdin, message", [
    (["--email", "kein-at-zeichen"], "", "--email"),
    (["--password-stdin"], "kurz\n", "--password-stdin"),
    (["--password-stdin"], "", "--password-stdin"),
    (["--password-stdin", "--email", "anna@example.org"], "anna\n", "--password-stdin"),  # like the user name
])
def test_a_refused_email_or_password_changes_nothing(db, options, stdin, message):
    rows = AuditEntry.objects.count()

    with pytest.raises(CommandError, match=message):
        call_command("grant", "anna", "gateway", *options, stdin=StringIO(stdin), stdout=StringIO())

    assert not get_user_model().objects.filter(username="anna").exists() and AuditEntry.objects.count() == rows


def test_changepassword_reads_stdin_and_is_audited(db, client):
    call_command("grant", "anna", "gateway", stdout=StringIO())

    call_command("changepassword", "anna", "--password-stdin", stdin=StringIO(PASSWORD + "\r\n"), stdout=StringIO())

    assert AuditEntry.objects.latest("id").verb == "set_user_password"
    assert client.login(username="anna", password=PASSWORD)


def test_changepassword_piped_without_a_terminal_says_what_to_do(tmp_path):
    """A real process with a pipe for standard input: a clear message, status 1, no traceback."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    environment = {**os.environ, "FITSTORE_VAR_DIR": str(tmp_path), "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3"}
    done = subprocess.run([sys.executable, "manage.py", "changepassword", "anna"], cwd=root, env=environment,
                          input="geheim\n", capture_output=True, text=True, timeout=60)

    assert done.returncode == 1
    assert "Traceback" not in done.stderr and "--password-stdin" in done.stderr
