"""`manage.py issue_token USERNAME [--name NAME]` — a new API token, printed as the last word.

The token is shown only here; the database keeps its SHA-256 hash. Revoke it in the admin.
"""
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from fitstore import services
from fitstore.middleware import command_request_id


class Command(BaseCommand):
    help = "Issue an API token for a user; the token is the last word printed."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for, e.g. the gateway's host name.")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"username: no active user {username!r}; create one with `manage.py grant`.")
        with command_request_id("issue_token"):
            try:
                token, raw = services.issue_token(user, name=name, actor="system:issue_token")
            except ValidationError as error:
                raise CommandError("; ".join(f"--{k}: {' '.join(v)}" for k, v in error.message_dict.items())) from error
        label = f" ({token.name})" if token.name else ""
        self.stdout.write(f"API token for {user.get_username()}{label}, shown once: {raw}")
