"""Validators for the keys users know: ARS and state codes."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .choices import LEVEL_BY_ARS_LENGTH

_ARS = re.compile(r"[0-9]+")  # ASCII digits only; fullmatch, so no trailing newline


def validate_ars(value: str) -> None:
    """An Amtlicher Regionalschlüssel in canonical length: 2, 3, 5, 9 or 12 digits."""
    if not isinstance(value, str) or not _ARS.fullmatch(value) or len(value) not in LEVEL_BY_ARS_LENGTH:
        raise ValidationError(
            _("%(value)r is not an ARS: 2, 3, 5, 9 or 12 digits (e.g. 09, 091, 09188, 091880141, 091880141141)."),
            code="invalid",
            params={"value": value},
        )


def ars_prefixes(ars: str) -> list[str]:
    """The canonical keys that contain `ars`, from itself up to the state (at most five)."""
    return [ars[:length] for length in sorted(LEVEL_BY_ARS_LENGTH, reverse=True) if length <= len(ars)]


# DVDV-style authority identifiers: a short lowercase prefix naming the scheme, a colon, a key
# (e.g. wgb:010540880000, dvdv:by-lra-starnberg).
_IDENTIFIER = re.compile(r"[a-z][a-z0-9-]{0,19}:[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def validate_authority_identifier(value: str) -> None:
    """`prefix:key`: a lowercase prefix (letters, digits, hyphen), a colon, a key without spaces."""
    if not isinstance(value, str) or not _IDENTIFIER.fullmatch(value):
        raise ValidationError(
            _("%(value)r is not an authority identifier: prefix:key, e.g. wgb:010540880000."),
            code="invalid",
            params={"value": value},
        )
