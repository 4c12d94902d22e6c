"""Limits on what the store fetches and reads from repositories; settings of the same name
override them (tests lower them)."""
from django.conf import settings

GIT_FETCH_TIMEOUT = 60  # seconds for a whole clone or fetch
GIT_MAX_REPOSITORY_BYTES = 200 * 1024 * 1024  # bytes received in one clone or fetch
PUBLICCODE_MAX_BYTES = 1024 * 1024  # the publiccode.yml blob of a tag


def value(name: str):
    """The limit called `name`: the setting where there is one, else the default here."""
    return getattr(settings, name, globals()[name])
