"""Forms of the licensing UI. Each validates what its page offers and calls one service in
`save(actor=...)` (`fitstore.forms.ServiceForm` maps the service's ValidationErrors onto the
form's fields); a refused step leaves the errors on the form and nothing written."""
from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from fitstore.forms import ServiceForm

from . import services
from .choices import AllocationKey, LegalBasis, OperatingModel

NOTE_MAX = 2000


def _note(label, help_text=""):
    return forms.CharField(
        label=label, required=False, max_length=NOTE_MAX, help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class JoinStoreForm(ServiceForm):
    """Join the FIT-Store: who signs the framework agreement for the state."""

    signatory = forms.CharField(
        label=_("Signatory"), max_length=200,
        help_text=_("Name and office of the person who signs for the state, e.g. “Dr. Anna Schmidt, State Secretary”."),
        error_messages={"required": _("Name who signs for the state.")},
    )
    field_of = {"state_code": None, "agreement": None}

    def save(self, *, state, actor):
        return self.call(services.join_store, state, signatory=self.cleaned_data["signatory"], actor=actor)


class WithdrawForm(ServiceForm):
    reason = _note(_("Reason (optional)"))
    field_of = {"state_code": None}

    def save(self, *, state, actor):
        return self.call(services.withdraw_from_store, state, reason=self.cleaned_data["reason"], actor=actor)


class SubscribeForm(ServiceForm):
    """Request reuse (Nachnutzung beantragen) for one of the states the user coordinates."""

    state = forms.ChoiceField(label=_("For the state"), error_messages={
        "required": _("Choose the state that reuses the service."),
        "invalid_choice": _("You do not coordinate the state %(value)s."),
    })
    legal_basis = forms.ChoiceField(
        label=_("Legal basis"), widget=forms.RadioSelect,
        choices=[
            (LegalBasis.FIT_STORE, pgettext_lazy("legal basis", "FIT-Store framework agreement")),
            (LegalBasis.ADMINISTRATIVE_AGREEMENT, pgettext_lazy("legal basis", "Administrative agreement")),
        ],
        help_text=_("The FIT-Store framework agreement needs the state to have joined the FIT-Store; otherwise the "
                    "parties conclude an administrative agreement, which the FIT-Store drafts for them."),
        error_messages={"required": _("Choose the legal basis of the reuse.")},
    )
    note = _note(_("Note to the providing state (optional)"),
                 _("E.g. the planned start or the authorities to connect."))
    field_of = {"state_code": "state", "online_service": None}

    def __init__(self, *args, states, online_service, legal_bases=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.online_service = online_service
        if legal_bases:  # offer what the reuse terms allow; the service checks again
            field = self.fields["legal_basis"]
            field.choices = [(value, label) for value, label in field.choices if value in legal_bases]
        self.states = {state.code: state for state in states}
        self.fields["state"].choices = [(state.code, state.name) for state in states]
        if len(states) == 1:
            self.fields["state"].initial = states[0].code
            self.fields["state"].widget = forms.HiddenInput()

    def save(self, *, actor):
        state = self.states[self.cleaned_data["state"]]
        return self.call(services.subscribe, state, self.online_service, legal_basis=self.cleaned_data["legal_basis"],
                         note=self.cleaned_data["note"], actor=actor)


class DecisionForm(ServiceForm):
    """The providing side confirms the terms (the reuse contract is concluded) or declines."""

    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[("accept", _("Confirm the terms: the reuse is agreed")), ("decline", _("Decline the request"))],
        error_messages={"required": _("Choose whether to confirm or to decline.")},
    )
    note = _note(_("Note to the requesting state"), _("Required when you decline: say why."))
    field_of = {"accept": "decision", "status": None}

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == "decline" and not cleaned.get("note", "").strip():
            self.add_error("note", _("Say why you decline the request."))
        return cleaned

    def save(self, *, subscription, actor):
        return self.call(services.confirm_subscription, subscription, accept=self.cleaned_data["decision"] == "accept",
                         note=self.cleaned_data["note"], actor=actor)


class ConnectForm(ServiceForm):
    note = _note(_("Note (optional)"), _("E.g. which authorities went live."))
    field_of = {"status": None}

    def save(self, *, subscription, actor):
        return self.call(services.connect_subscription, subscription, note=self.cleaned_data["note"], actor=actor)


class TerminateForm(ServiceForm):
    reason = _note(_("Reason"))
    field_of = {"status": None}

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise ValidationError(_("Say why the reuse ends."), code="required")
        return reason

    def save(self, *, subscription, actor):
        return self.call(services.terminate_subscription, subscription, reason=self.cleaned_data["reason"], actor=actor)


class ReuseTermsForm(ServiceForm):
    """The reuse terms of an online service (Nachnutzungsbedingungen), set by its maintainers."""

    annual_cost = forms.CharField(
        label=_("Annual cost (EUR)"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "money"}), help_text=_("Euros with at most two decimal places, e.g. 125.000,00."),
        error_messages={"required": _("Give the annual cost, 0 if there is none.")},
    )
    one_time_cost = forms.CharField(
        label=_("One-time cost (EUR)"), max_length=20, widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "money"}), help_text=_("Euros with at most two decimal places, e.g. 25.000,00."),
        error_messages={"required": _("Give the one-time cost, 0 if there is none.")},
    )
    allocation_key = forms.ChoiceField(label=_("Allocation key"), widget=forms.RadioSelect,
                                       choices=AllocationKey.choices,
                                       error_messages={"required": _("Choose how the annual cost is shared.")})
    license = forms.CharField(
        label=_("Licence (SPDX expression)"), max_length=200, help_text=_("E.g. EUPL-1.2 or “EUPL-1.2 OR MIT”."),
        error_messages={"required": _("Give the licence as an SPDX expression.")},
    )
    operating_model = forms.ChoiceField(label=_("Operating model"), widget=forms.RadioSelect,
                                        choices=OperatingModel.choices,
                                        error_messages={"required": _("Choose who operates the service.")})
    legal_bases = forms.MultipleChoiceField(
        label=_("Allowed legal bases"), widget=forms.CheckboxSelectMultiple,
        choices=[
            (LegalBasis.FIT_STORE, pgettext_lazy("legal basis", "FIT-Store framework agreement")),
            (LegalBasis.ADMINISTRATIVE_AGREEMENT, pgettext_lazy("legal basis", "Administrative agreement")),
        ],
        error_messages={"required": _("Allow at least one legal basis.")},
    )

    def __init__(self, *args, online_service, **kwargs):
        super().__init__(*args, **kwargs)
        self.online_service = online_service

    @staticmethod
    def _euros(value: str) -> str:
        """The amount as the service reads it, from the spelling of the active language as well
        ("1.234,50 €" in German, "1,234.50" in English → "1234.50"). What stays ambiguous is left
        to the service, which refuses it (e.g. "1.234" in German: more than two decimal places)."""
        value = value.replace("€", "").replace("\u00a0", "").replace(" ", "")
        decimal, thousands = get_format("DECIMAL_SEPARATOR"), get_format("THOUSAND_SEPARATOR")
        if decimal == ".":
            return value.replace(thousands, "") if thousands != "." else value
        if decimal in value:
            value = value.replace(thousands, "").replace(decimal, ".")
        return value

    def clean_annual_cost(self):
        return self._euros(self.cleaned_data["annual_cost"])

    def clean_one_time_cost(self):
        return self._euros(self.cleaned_data["one_time_cost"])

    def save(self, *, actor):
        return self.call(services.set_reuse_terms, self.online_service, actor=actor, **self.cleaned_data)
