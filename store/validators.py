"""Validators for the store's keys."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_LEIKA = re.compile(r"^99\d{12}$")


def validate_leika_key(value: str) -> None:
    """A LeiKa key (Leistungsschlüssel): 14 digits starting with 99."""
    if not isinstance(value, str) or not _LEIKA.match(value):
        raise ValidationError(
            _("%(value)r is not a LeiKa key: 14 digits starting with 99 (e.g. 99001001000000)."),
            code="invalid",
            params={"value": value},
        )
