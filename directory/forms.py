"""Forms of the directory's web UI. They validate what the page offers and call
`directory.services`, mapping the services' ValidationErrors onto their fields; the route
finder's form turns a LeiKa key or a service name, and an ARS, a postcode or a place name, into
the keys `directory.routing.routes` asks for, offering the choice where a name fits several.
"""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fitstore.access import is_operator, states_with_role
from fitstore.choices import Role
from fitstore.forms import ServiceForm
from store.search import find_leika_services

from . import services
from .choices import AuthorityKind, EndpointKind
from .models import Postcode, State
from .places import find_place

_LEIKA_KEY = re.compile(r"\d{14}")
_ARS_LIST_SEPARATOR = re.compile(r"[\s,;]+")
MAX_CERTIFICATE_BYTES = 64 * 1024


def is_leika_key(value: str) -> bool:
    return bool(_LEIKA_KEY.fullmatch(value or ""))


def service_choice_label(match) -> str:
    """A LeiKa service as offered for choice: its name and key (and the online service it was found through)."""
    label = f"{match.service.name} – {match.service.leika_key}"
    if match.online_service is not None:
        label += " · " + gettext("found through the online service %(name)s") % {"name": match.online_service.name}
    return label


def _no_service(value: str) -> ValidationError:
    return ValidationError(
        gettext("No LeiKa service is called %(value)s, and the catalogue's search finds none. Give the 14-digit "
                "LeiKa key or another word."),
        code="not_found", params={"value": value},
    )


def parse_ars_list(value: str) -> list[str]:
    """ARS separated by commas, semicolons, spaces or lines."""
    return [key for key in _ARS_LIST_SEPARATOR.split(value or "") if key]


# --- authorities ---------------------------------------------------------------------------------

class AuthorityCreateForm(ServiceForm):
    """Register an authority of a state the user maintains (`services.register_authority`)."""

    field_of = {"state_code": "state"}

    identifier = forms.CharField(
        label=_("Identifier"), max_length=121,
        help_text=_("prefix:key as in the DVDV, e.g. wgb:091880000000 (lowercase prefix, colon, key without spaces)."),
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of authority"), choices=AuthorityKind.choices)
    state = forms.ChoiceField(label=_("State"))
    ars = forms.CharField(
        label=_("Seat region (ARS)"), max_length=12,
        help_text=_("Regional key of the region where the authority sits, e.g. 09188 for the district of Starnberg."),
    )

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [(state.code, state.name) for state in states]

    def save(self, *, actor):
        data = self.cleaned_data
        return self.call(services.register_authority, identifier=data["identifier"], name=data["name"],
                         state_code=data["state"], ars=data["ars"], kind=data["kind"], actor=actor)


class AuthorityUpdateForm(ServiceForm):
    """Change an authority's name, kind or seat region (`services.update_authority`)."""

    name = forms.CharField(label=_("Name"), max_length=200)
    kind = forms.ChoiceField(label=_("Kind of authority"), choices=AuthorityKind.choices)
    ars = forms.CharField(label=_("Seat region (ARS)"), max_length=12,
                          help_text=_("The region must lie in the authority's state."))

    def __init__(self, *args, authority, **kwargs):
        kwargs.setdefault("initial", {"name": authority.name, "kind": authority.kind, "ars": authority.region_id})
        super().__init__(*args, **kwargs)
        self.authority = authority

    def save(self, *, actor):
        data = self.cleaned_data
        return self.call(services.update_authority, self.authority, name=data["name"], kind=data["kind"],
                         ars=data["ars"], actor=actor)


# --- endpoints -----------------------------------------------------------------------------------

class EndpointForm(ServiceForm):
    """Register a technical address (`services.register_endpoint`); which fields count depends on
    the kind: FIT-Connect needs the destination ID, OSCI/XTA the certificate (file or pasted)."""

    kind = forms.ChoiceField(label=_("Kind of address"), choices=EndpointKind.choices, widget=forms.RadioSelect)
    address = forms.CharField(
        label=_("Address"), max_length=500,
        help_text=_("An https:// URL (FIT-Connect: the submission API; OSCI/XTA: the intermediary); for e-mail an e-mail address."),
    )
    destination_id = forms.CharField(
        label=_("FIT-Connect destination ID"), required=False, max_length=64,
        help_text=_("Only for FIT-Connect: the UUID of the destination (Zustellpunkt)."),
    )
    service_uri = forms.CharField(
        label=_("Service URI"), required=False, max_length=500,
        help_text=_("Optional, e.g. urn:de:xta:webservice:wohngeld."),
    )
    certificate_file = forms.FileField(
        label=_("Certificate file (PEM)"), required=False,
        help_text=_("Only for OSCI/XTA: the X.509 certificate as a .pem or .crt file, or paste it below."),
    )
    certificate_pem = forms.CharField(
        label=_("Certificate (PEM, pasted)"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Begins with -----BEGIN CERTIFICATE-----."),
    )

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority = authority

    def clean_certificate_file(self):
        upload = self.cleaned_data.get("certificate_file")
        if not upload:
            return ""
        if upload.size > MAX_CERTIFICATE_BYTES:
            raise ValidationError(gettext("The file is too large for a certificate (at most 64 KB)."), code="too_large")
        try:
            return upload.read().decode("ascii")
        except UnicodeDecodeError:
            raise ValidationError(gettext("The file is not a PEM text file (DER? convert it with openssl x509 -inform der)."),
                                  code="invalid") from None

    def save(self, *, actor):
        data = self.cleaned_data
        pem = data.get("certificate_file") or data.get("certificate_pem") or ""
        endpoint = self.call(
            services.register_endpoint, self.authority, kind=data["kind"], address=data["address"],
            destination_id=data["destination_id"] or None, service_uri=data["service_uri"], certificate_pem=pem,
            actor=actor,
        )
        if endpoint is None and data.get("certificate_file") and self.has_error("certificate_pem"):
            # The uploaded file was the certificate: name the field the user filled.
            self.errors["certificate_file"] = self.errors.pop("certificate_pem")
        return endpoint


# --- responsibilities ----------------------------------------------------------------------------

class ResponsibilityAssignForm(ServiceForm):
    """Make the authority responsible for a LeiKa service in regions (`services.assign_responsibility`).
    A name that may mean several services (the catalogue's search: Wohngeld has nine LeiKa keys)
    adds the field `leika_choice` with each of them, and the maintainer chooses one."""

    field_of = {"ars": "regions"}

    leika_key = forms.CharField(
        label=_("Service (LeiKa key or name)"), max_length=300,
        help_text=_("The 14-digit LeiKa key, e.g. 99107023000000, or a word of the service's name, e.g. Wohngeld."),
    )
    regions = forms.CharField(
        label=_("Regions (ARS)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One or more regional keys, separated by commas or lines, e.g. 09188 for the whole district."),
    )
    nationwide = forms.BooleanField(label=_("Responsible nationwide (federal authorities only)"), required=False)

    def __init__(self, *args, authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority = authority
        if authority.kind != AuthorityKind.FEDERAL:
            del self.fields["nationwide"]
        self.service_matches = []
        typed = " ".join(str(self.data.get(self.add_prefix("leika_key"), "")).split()) if self.is_bound else ""
        if typed and not is_leika_key(typed):
            self.service_matches = find_leika_services(typed)
        if len(self.service_matches) > 1:
            choice = forms.ChoiceField(
                label=_("Which service do you mean?"), required=False, widget=forms.RadioSelect,
                choices=[(match.service.leika_key, service_choice_label(match)) for match in self.service_matches],
                help_text=_("The name fits several LeiKa services. Choose the one the authority is responsible for "
                            "(for several, assign each on its own)."),
            )
            fields = list(self.fields.items())
            fields.insert(1, ("leika_choice", choice))
            self.fields = dict(fields)

    def clean_leika_key(self):
        value = " ".join(self.cleaned_data["leika_key"].split())
        if not value or is_leika_key(value):
            return value  # the service validates the key and names the error
        chosen = self.data.get(self.add_prefix("leika_choice"), "")
        keys = [match.service.leika_key for match in self.service_matches]
        if chosen in keys:
            return chosen
        if len(keys) == 1:
            return keys[0]
        if not keys:
            raise _no_service(value)
        raise ValidationError(
            gettext("%(value)s may mean %(count)s LeiKa services. Choose one below."),
            code="ambiguous", params={"value": value, "count": len(keys)},
        )

    def save(self, *, actor):
        data = self.cleaned_data
        return self.call(services.assign_responsibility, self.authority, leika_key=data["leika_key"],
                         ars=parse_ars_list(data["regions"]), nationwide=data.get("nationwide", False), actor=actor)


class ResponsibilityWithdrawForm(ServiceForm):
    """Take regions out of a responsibility, or end it (`services.withdraw_responsibility`)."""

    field_of = {"ars": "regions", "leika_key": None}

    regions = forms.CharField(
        label=_("Regions to withdraw (ARS)"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Leave empty to end the whole responsibility for this service."),
    )

    def __init__(self, *args, authority, leika_key, **kwargs):
        super().__init__(*args, **kwargs)
        self.authority = authority
        self.leika_key = leika_key

    def save(self, *, actor):
        """True when withdrawn (what remains may be None), False with the errors on the form."""
        self.call(services.withdraw_responsibility, self.authority, leika_key=self.leika_key,
                  ars=parse_ars_list(self.cleaned_data["regions"]), actor=actor)
        return not self.errors


# --- the route finder ----------------------------------------------------------------------------

class RouteFinderForm(forms.Form):
    """"Wer ist zuständig?": a service (LeiKa key or name) and a place (ARS, name or postcode).

    A name is resolved with the catalogue's search (`store.search.find_leika_services`) and a place
    with `directory.places.find_place`. Where one is clear it is taken and the others it may mean
    are offered beside the answer (`service_alternatives`, `place_alternatives`); where none is,
    the field has an error and the page offers them to choose from (`service_candidates`,
    `place_candidates`)."""

    leistung = forms.CharField(
        label=_("Service"), max_length=300,
        help_text=_("LeiKa key (14 digits, e.g. 99107023000000) or a word for the service, e.g. Wohngeld or Mietzuschuss."),
        error_messages={"required": _("Name the service: its LeiKa key or a word of its name.")},
    )
    ort = forms.CharField(
        label=_("Place"), max_length=200,
        help_text=_("Postcode, name of the municipality or district (e.g. München, Berg) or its regional key (ARS, e.g. 091880113113)."),
        error_messages={"required": _("Name the place: its postcode, name or regional key.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.service_candidates, self.service_alternatives = [], []
        self.place_candidates, self.place_alternatives = [], []
        self.place_search = None

    def clean_leistung(self):
        value = " ".join(self.cleaned_data["leistung"].split())
        if is_leika_key(value):
            return value  # routing validates the key and names the error
        matches = find_leika_services(value)
        exact = [match for match in matches if match.exact]
        if not matches:
            raise _no_service(value)
        if len(matches) == 1 or len(exact) == 1:
            chosen = (exact or matches)[0]
            self.service_alternatives = [match for match in matches if match is not chosen]
            return chosen.service.leika_key
        self.service_candidates = matches
        raise ValidationError(
            gettext("%(value)s may mean %(count)s services; choose one below or give its LeiKa key."),
            code="ambiguous", params={"value": value, "count": len(matches)},
        )

    def clean_ort(self):
        value = self.cleaned_data["ort"]
        found = self.place_search = find_place(value)
        if found.ars:
            return found.ars
        if found.chosen:
            self.place_alternatives = found.candidates
            return found.chosen.region.ars
        if found.candidates:
            self.place_candidates = found.candidates
            if found.is_postcode:
                message = gettext("The postcode %(value)s belongs to %(count)s municipalities; choose one below.")
            else:
                message = gettext("%(value)s fits %(count)s regions; choose one below or give its regional key (ARS).")
            raise ValidationError(message, code="ambiguous", params={"value": found.text, "count": len(found.candidates)})
        if found.postcode is not None:
            raise ValidationError(
                gettext("The postcode %(value)s (%(places)s) is known, but the postcode data assign it to no "
                        "municipality. Give the name of the municipality instead."),
                code="not_assigned", params={"value": found.text, "places": found.postcode.places or "?"},
            )
        if found.is_postcode:
            raise ValidationError(
                gettext("No municipality has the postcode %(value)s: it is not among the %(count)s postcodes of "
                        "Germany the directory knows (sources below the form). Check the number or give the name "
                        "of the place."),
                code="unknown_postcode", params={"value": found.text, "count": number_format(Postcode.objects.count(), force_grouping=True)},
            )
        raise ValidationError(gettext("No region is called %(value)s. Try its postcode or regional key (ARS)."),
                              code="not_found", params={"value": found.text})


def writable_states(user):
    """The states whose directory the user maintains (operators: all), by name."""
    states = State.objects.order_by("name")
    if is_operator(user):
        return list(states)
    return list(states.filter(code__in=states_with_role(user, Role.DIRECTORY_MAINTAINER)))
