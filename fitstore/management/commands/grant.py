"""`manage.py grant USERNAME ROLE [--state CODE] [--online-service SLUG] [--email ADDRESS]
[--password-stdin]` — give a user a role.

Creates the user when it does not exist (without a password unless `--password-stdin` reads
one: set one later with `changepassword`, or issue an API token). `--email` sets the user's
e-mail address, also of an existing user. Everything is checked before anything is written, so
a refused grant changes nothing. Scriptable:

    printf '%s\n' "$PASSWORD" | .venv/bin/python manage.py grant anna coordinator --state BY \
        --email anna@stmd.bayern.de --password-stdin
"""
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fitstore import services
from fitstore.choices import Role
from fitstore.middleware import command_request_id
from fitstore.models import RoleAssignment


class Command(BaseCommand):
    help = "Grant a role (operator, coordinator, directory-maintainer, maintainer, gateway) to a user."
    stealth_options = ("stdin",)  # tests hand the password's stream in, as createsuperuser's do

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--state", metavar="CODE", help="State code (BY, NW, …) for coordinator and directory-maintainer.")
        parser.add_argument("--online-service", metavar="SLUG", help="Online service slug for maintainer.")
        parser.add_argument("--email", metavar="ADDRESS", help="Set the user's e-mail address (also of an existing user).")
        parser.add_argument("--password-stdin", action="store_true",
                            help="Read the user's password from the first line of standard input.")

    def handle(self, *args, username, role, state, online_service, email=None, password_stdin=False, **options):
        # The scope's models as RoleAssignment's foreign keys name them (directory.State,
        # store.OnlineService): fitstore, below those apps, reaches them only through its own fields.
        states = RoleAssignment._meta.get_field("state").related_model.objects
        online_services = RoleAssignment._meta.get_field("online_service").related_model.objects
        state_obj = service_obj = None
        if state:
            state_obj = states.by_code(state)
            if state_obj is None:
                raise CommandError(f"--state: unknown state code {state!r}; one of {', '.join(states.values_list('code', flat=True))}.")
        if online_service:
            service_obj = online_services.filter(slug=online_service).first()
            if service_obj is None:
                raise CommandError(f"--online-service: no online service with the slug {online_service!r}.")
        password = read_password_from_stdin(options.get("stdin") or sys.stdin) if password_stdin else None
        actor = "system:grant"
        with command_request_id("grant"):
            try:
                # Validate the role's scope before creating a user, so a refused grant changes nothing.
                user, user_created = _grant(username, role, state_obj, service_obj, actor, email=email, password=password)
            except ValidationError as error:
                raise CommandError(_describe(error)) from error
        scope = f" for {state_obj.code}" if state_obj else (f" for {service_obj.slug}" if service_obj else "")
        created = " (user created)" if user_created else ""
        extras = "".join([f", e-mail {user.email or '(none)'}" if email is not None else "",
                          ", password set" if password is not None else ""])
        self.stdout.write(f"granted {role}{scope} to {user.get_username()}{created}{extras}")


def read_password_from_stdin(stream) -> str:
    """The first line of `stream` without its line end; CommandError when there is none."""
    if stream is None or stream.isatty():
        raise CommandError("--password-stdin: pipe the password in, e.g. printf '%s\\n' \"$PASSWORD\" | manage.py …")
    line = stream.readline()
    password = line[:-1] if line.endswith("\n") else line
    password = password[:-1] if password.endswith("\r") else password
    if not password:
        raise CommandError("--password-stdin: standard input gave no password (an empty first line).")
    return password


@transaction.atomic
def _grant(username, role, state, online_service, actor, *, email=None, password=None):
    if email is not None:
        services.check_email(email)
    user, user_created = services.ensure_user(username, actor=actor)
    if password is not None:
        services.check_password(user, password)
    services.grant_role(user, role, state=state, online_service=online_service, actor=actor)
    if email is not None:
        services.set_user_email(user, email, actor=actor)
    if password is not None:
        services.set_user_password(user, password, actor=actor)
    return user, user_created


_OPTION_OF = {"password": "password-stdin"}  # a service's input field → the option that gave it


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"--{_OPTION_OF.get(field, field).replace('_', '-')}: {' '.join(messages)}" if field not in ("username", "role")
            else f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
