"""Validators for the store's keys."""
import functools
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_LEIKA = re.compile(r"99[0-9]{12}")  # ASCII digits only; fullmatch, so no trailing newline


def validate_leika_key(value: str) -> None:
    """A LeiKa key (Leistungsschlüssel): 14 digits starting with 99."""
    if not isinstance(value, str) or not _LEIKA.fullmatch(value):
        raise ValidationError(
            _("%(value)r is not a LeiKa key: 14 digits starting with 99 (e.g. 99001001000000)."),
            code="invalid",
            params={"value": value},
        )


@functools.cache
def spdx_licensing():
    """The SPDX licence index (license-expression), loaded once per process and shared by its
    threads. The library builds its tokenizer on first use and publishes it before filling it, so
    a second thread parsing at that moment would find licences missing: it is built here, before
    the object is returned to anyone."""
    from license_expression import get_spdx_licensing

    licensing = get_spdx_licensing()
    licensing.get_advanced_tokenizer()
    return licensing


def normalize_spdx_expression(value: str, *, max_length: int | None = None) -> str:
    """An SPDX licence expression in its canonical spelling ("mit or eupl-1.2" → "MIT OR EUPL-1.2"),
    the one licence normaliser of the project. ValidationError with code "invalid" when it is
    not one, "required" when it is blank, "max_length" when its canonical spelling is longer
    than `max_length`."""
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
    rendered = parsed.render()
    if max_length is not None and len(rendered) > max_length:
        raise ValidationError(_("The licence expression is too long."), code="max_length")
    return rendered


def validate_spdx_expression(value: str) -> None:
    """An SPDX licence expression, e.g. "EUPL-1.2" or "MIT OR Apache-2.0"."""
    normalize_spdx_expression(value)
