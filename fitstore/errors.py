"""Errors are data: how services say what is wrong with their input (Saleor's errors as data).

A service raises `ValidationError({"field": ValidationError(message, code=..., params=...)})`
with a code from its app's `error_codes.py`; `api.core.types.BaseMutation` and the forms show it
on the field it names. Two ways to build one:

    raise field_error("tag", _("Give a tag."), StoreErrorCode.REQUIRED)

    errors = FieldErrors()                 # collect every problem of the input, raise once
    if not_given(name):
        errors.add("name", _("Name the authority."), DirectoryErrorCode.REQUIRED)
    errors.raise_if_any()

Messages are translatable strings with `%(name)s` placeholders filled from `params`, so that the
client sees them in its language and the code and params stay machine-readable.
"""
from django.core.exceptions import ValidationError


def not_given(value) -> bool:
    """None or a string of white space: the API's and the forms' "not given"."""
    return value is None or (isinstance(value, str) and not value.strip())


def _item(message, code, params: dict) -> ValidationError:
    return ValidationError(message, code=getattr(code, "value", code), params=params or None)


def field_error(field: str | None, message, code, /, **params) -> ValidationError:
    """One error on `field` (an input field, snake_case), raised by the caller; without a field
    the error belongs to the input as a whole. `params` fill the message's placeholders (any
    name, `code` and `field` too)."""
    error = _item(message, code, params)
    return ValidationError({field: error}) if field else error


class FieldErrors:
    """The errors of one input, field by field, raised together by `raise_if_any`."""

    def __init__(self):
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message, code, /, **params) -> None:
        self.errors.setdefault(field, []).append(_item(message, code, params))

    def extend(self, error: ValidationError) -> None:
        """Take over the field errors of a raised `ValidationError` (e.g. of a shared check)."""
        for field, items in error.error_dict.items():
            self.errors.setdefault(field, []).extend(items)

    def __contains__(self, field: str) -> bool:
        return field in self.errors

    def __bool__(self) -> bool:
        return bool(self.errors)

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
