"""`manage.py grant USERNAME ROLE [--state CODE] [--online-service SLUG]` — give a user a role.

Creates the user when it does not exist (without a password: set one with `changepassword`
for the web UI, or issue an API token).
"""
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from fitstore import services
from fitstore.choices import Role
from fitstore.middleware import command_request_id
from fitstore.models import RoleAssignment


class Command(BaseCommand):
    help = "Grant a role (operator, coordinator, directory-maintainer, maintainer, gateway) to a user."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--state", metavar="CODE", help="State code (BY, NW, …) for coordinator and directory-maintainer.")
        parser.add_argument("--online-service", metavar="SLUG", help="Online service slug for maintainer.")

    def handle(self, *args, username, role, state, online_service, **options):
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
        actor = "system:grant"
        with command_request_id("grant"):
            try:
                # Validate the role's scope before creating a user, so a refused grant changes nothing.
                user, user_created = _grant(username, role, state_obj, service_obj, actor)
            except ValidationError as error:
                raise CommandError(_describe(error)) from error
        scope = f" for {state_obj.code}" if state_obj else (f" for {service_obj.slug}" if service_obj else "")
        created = " (user created)" if user_created else ""
        self.stdout.write(f"granted {role}{scope} to {user.get_username()}{created}")


@transaction.atomic
def _grant(username, role, state, online_service, actor):
    user, user_created = services.ensure_user(username, actor=actor)
    services.grant_role(user, role, state=state, online_service=online_service, actor=actor)
    return user, user_created


def _describe(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"--{field.replace('_', '-')}: {' '.join(messages)}" if field not in ("username", "role") else f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(error.messages)
