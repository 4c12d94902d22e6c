"""Validators for the store's keys."""
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .publiccode.rules import spdx_licensing

_LEIKA = re.compile(r"99[0-9]{12}")  # ASCII digits only; fullmatch, so no trailing newline


def validate_leika_key(value: str) -> None:
    """A LeiKa key (Leistungsschlüssel): 14 digits starting with 99."""
    if not isinstance(value, str) or not _LEIKA.fullmatch(value):
        raise ValidationError(
            _("%(value)r is not a LeiKa key: 14 digits starting with 99 (e.g. 99001001000000)."),
            code="invalid",
            params={"value": value},
        )


def normalize_spdx_expression(value: str) -> str:
    """An SPDX licence expression in its canonical spelling ("mit or eupl-1.2" → "MIT OR EUPL-1.2");
    ValidationError (code "invalid") when it is not one."""
    from license_expression import ExpressionError

    try:
        parsed = spdx_licensing().parse(value, validate=True, strict=True)
    except ExpressionError as error:
        raise ValidationError(
            _("Not a valid SPDX licence expression: %(reason)s"), code="invalid", params={"reason": error}
        ) from None
    except Exception:  # the parser raises a few other types on garbage
        raise ValidationError(_("Not a valid SPDX licence expression."), code="invalid") from None
    if parsed is None:
        raise ValidationError(_("Give an SPDX licence expression, e.g. EUPL-1.2."), code="required")
    return parsed.render()


def validate_spdx_expression(value: str) -> None:
    """An SPDX licence expression, e.g. "EUPL-1.2" or "MIT OR Apache-2.0"."""
    normalize_spdx_expression(value)
