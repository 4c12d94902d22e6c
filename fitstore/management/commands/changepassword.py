"""`manage.py changepassword USERNAME [--password-stdin]` — set a user's password, audited.

Replaces django.contrib.auth's command (fitstore stands before it in INSTALLED_APPS) so that
the password is set through `fitstore.services.set_user_password` (validators, one audit row)
and so that a script gets a clear answer instead of a traceback: without a terminal the command
asks for nothing; it reads the password from standard input with `--password-stdin`, and
otherwise says so and exits with status 1.
"""
import getpass
import sys

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fitstore import services
from fitstore.middleware import command_request_id

from .grant import read_password_from_stdin

MAX_TRIES = 3


class Command(BaseCommand):
    help = "Set a user's password (asked twice on a terminal, or read from standard input with --password-stdin)."
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--password-stdin", action="store_true",
                            help="Read the password from the first line of standard input (for scripts).")

    def handle(self, *args, username, password_stdin=False, **options):
        stream = options.get("stdin") or sys.stdin
        if not password_stdin and (stream is None or not stream.isatty()):
            raise CommandError(
                "No terminal to ask for the password. In a script, pipe it in: "
                f"printf '%s\\n' \"$PASSWORD\" | manage.py changepassword {username} --password-stdin"
            )
        User = get_user_model()
        user = User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()
        if user is None:
            raise CommandError(f"There is no user {username!r}; create one with: manage.py grant {username} ROLE …")
        password = read_password_from_stdin(stream) if password_stdin else self.ask(user)
        with command_request_id("changepassword"):
            try:
                services.set_user_password(user, password, actor="system:changepassword")
            except ValidationError as error:
                raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(f"Password changed for {user.get_username()}.")

    def ask(self, user) -> str:
        """The new password, typed twice on the terminal and accepted by the validators."""
        self.stdout.write(f"Changing password for user {user.get_username()!r}")
        for _attempt in range(MAX_TRIES):
            first = getpass.getpass("Password: ")
            if not first:
                raise CommandError("aborted: no password given")
            if getpass.getpass("Password (again): ") != first:
                self.stderr.write("Passwords do not match. Please try again.")
                continue
            try:
                return services.check_password(user, first)
            except ValidationError as error:
                self.stderr.write("\n".join(error.messages))
        raise CommandError(f"Aborting password change for user {user.get_username()!r} after {MAX_TRIES} attempts.")
