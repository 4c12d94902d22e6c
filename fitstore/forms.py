"""The form base of the web UI: a form whose `save` calls one service.

The service validates again and raises `ValidationError({"field": ...})` named after its own
inputs (snake_case); `ServiceForm.call` puts each message on the form field of that name, or on
the field `field_of` maps it to, and the rest on the whole form, so that a refused step shows
its reason where the user typed and leaves nothing written.
"""
from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError


class ServiceForm(forms.Form):
    """A form whose `save(..., actor=...)` calls a service through `call`."""

    # Service input → form field, where the names differ; None: an error of the whole form.
    # A service input with the name of a form field needs no entry.
    field_of: dict[str, str | None] = {}

    def form_field_of(self, service_field: str) -> str | None:
        """The form field that shows the service's errors on `service_field` (None: the whole form)."""
        target = self.field_of.get(service_field, service_field)
        return target if target in self.fields else None

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the service's errors on the form's fields (one message each, as the service wrote it)
        and keep their codes, so that a page can offer the next step (`has_service_error`)."""
        by_field = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
        for service_field, items in by_field.items():
            target = self.form_field_of(service_field)
            for item in items:
                self.add_error(target, item.messages[0])
                self.service_error_codes.add((service_field, item.code))

    @property
    def service_error_codes(self) -> set:
        """(service field, code) of every error the service raised through `call`."""
        if not hasattr(self, "_service_error_codes"):
            self._service_error_codes = set()
        return self._service_error_codes

    def has_service_error(self, field: str, code) -> bool:
        """Whether the service refused `field` with `code` (an error code enum member or its value)."""
        return (field, getattr(code, "value", code)) in self.service_error_codes

    def call(self, service, *args, **kwargs):
        """The service's result, or None with its errors on the form."""
        try:
            return service(*args, **kwargs)
        except ValidationError as error:
            self.add_service_errors(error)
            return None


class ConfirmForm(ServiceForm):
    """An irreversible step, confirmed by submitting the confirmation page's form (no fields)."""
