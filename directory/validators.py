"""Validators for the keys users know: ARS and state codes."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import LEVEL_BY_ARS_LENGTH

_ARS = re.compile(r"^\d+$")


def validate_ars(value: str) -> None:
    """An Amtlicher Regionalschlüssel in canonical length: 2, 3, 5, 9 or 12 digits."""
    if not isinstance(value, str) or not _ARS.match(value) or len(value) not in LEVEL_BY_ARS_LENGTH:
        raise ValidationError(
            _("%(value)r is not an ARS: 2, 3, 5, 9 or 12 digits (e.g. 09, 091, 09188, 091880141, 091880141141)."),
            code="invalid",
            params={"value": value},
        )


def ars_prefixes(ars: str) -> list[str]:
    """The canonical keys that contain `ars`, from itself up to the state (at most five)."""
    return [ars[:length] for length in sorted(LEVEL_BY_ARS_LENGTH, reverse=True) if length <= len(ars)]
