"""System checks of our own, run by `manage.py check` (and `--deploy`)."""
from pathlib import Path

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def secret_key_from_environment(app_configs, **kwargs):
    if settings.SECRET_KEY_FROM_ENVIRONMENT:
        return []
    return [
        checks.Warning(
            "SECRET_KEY is not set; the key generated in var/secret_key is in use.",
            hint="Set SECRET_KEY in the environment of every production process.",
            id="fitstore.W001",
        )
    ]


@checks.register(checks.Tags.database, deploy=True)
def production_database(app_configs, **kwargs):
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        return []
    return [
        checks.Warning(
            "The embedded SQLite database is in use.",
            hint="Set DATABASE_URL=postgres://… for production.",
            id="fitstore.W002",
        )
    ]


@checks.register(checks.Tags.security, deploy=True)
def directory_signing_key(app_configs, **kwargs):
    if settings.DIRECTORY_SIGNING_KEY or any(Path(settings.DIRECTORY_SIGNING_KEY_DIR).glob("*.pem")):
        return []
    return [
        checks.Warning(
            "Neither the key store nor DIRECTORY_SIGNING_KEY holds the directory's signing key; routing answers "
            "and the change feed are signed with a key generated in var/.",
            hint="Run `manage.py signing_keys add` (DIRECTORY_SIGNING_KEY_DIR on the node's secrets volume), or set "
                 "DIRECTORY_SIGNING_KEY to the PEM (or a path to it) of the directory's RSA key.",
            id="fitstore.W003",
        )
    ]
