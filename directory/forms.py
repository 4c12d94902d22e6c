"""Forms of the directory's web UI. They validate what the page offers and call
`directory.services`, mapping the services' ValidationErrors onto their fields; the route
finder's form turns a LeiKa key or a service name, and an ARS or a place name, into the keys
`directory.routing.routes` asks for.
"""
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fitstore.access import is_operator, states_with_role
from fitstore.choices import Role
from fitstore.forms import ServiceForm
from store.models import LeikaService

from . import services
from .choices import AuthorityKind, EndpointKind
from .models import Region, State

_LEIKA_KEY = re.compile(r"\d{14}")
_ARS_LIST_SEPARATOR = re.compile(r"[\s,;]+")
CANDIDATES = 8  # how many matches a name search offers to choose from
MAX_CERTIFICATE_BYTES = 64 * 1024


def leika_key_of(value: str) -> str:
    """A LeiKa key as typed, or the key of the one service whose name contains `value`;
    ValidationError naming the candidates when the name is ambiguous or matches nothing."""
    value = (value or "").strip()
    if not value or _LEIKA_KEY.fullmatch(value):
        return value  # the service (or routing) validates the key and names the error
    matches = list(
        LeikaService.objects.filter(leika_key__isnull=False, name__icontains=value)
        .order_by("name", "leika_key").values_list("leika_key", "name")[:CANDIDATES + 1]
    )
    exact = [match for match in matches if match[1].casefold() == value.casefold()]
    if len(matches) == 1 or len(exact) == 1:
        return (exact or matches)[0][0]
    if not matches:
        raise ValidationError(
            gettext("No LeiKa service has %(value)s in its name. Give the 14-digit LeiKa key or another word."),
            code="not_found", params={"value": value},
        )
    listed = "; ".join(f"{key} {name}" for key, name in matches[:CANDIDATES])
    raise ValidationError(
        gettext("Several LeiKa services match %(value)s; give the key of one: %(candidates)s"),
        code="ambiguous", params={"value": value, "candidates": listed},
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
    """Make the authority responsible for a LeiKa service in regions (`services.assign_responsibility`)."""

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

    def clean_leika_key(self):
        return leika_key_of(self.cleaned_data["leika_key"])

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
    """"Wer ist zuständig?": a service (LeiKa key or name) and a place (ARS, name or postcode)."""

    leistung = forms.CharField(
        label=_("Service"), max_length=300,
        help_text=_("LeiKa key (14 digits, e.g. 99107023000000) or a word of the service's name, e.g. Wohngeld."),
        error_messages={"required": _("Name the service: its LeiKa key or a word of its name.")},
    )
    ort = forms.CharField(
        label=_("Place"), max_length=200,
        help_text=_("Regional key (ARS, e.g. 091880139139), postcode or name of the municipality, e.g. Starnberg."),
        error_messages={"required": _("Name the place: its regional key, postcode or name.")},
    )

    def clean_leistung(self):
        return leika_key_of(self.cleaned_data["leistung"])

    def clean_ort(self):
        """The ARS as typed (digits: routing validates it), else the one region matching the name or
        postcode (a municipality first); several matches are offered to choose from."""
        value = self.cleaned_data["ort"].strip()
        if value.isdigit() and len(value) != 5:
            return value
        regions = Region.objects.select_related("parent").order_by("name", "ars")
        if value.isdigit():  # five digits: a district's ARS or a postcode
            if Region.objects.filter(ars=value).exists():
                return value
            matches = list(regions.filter(postcode=value)[:CANDIDATES + 1])
        else:
            exact = list(regions.filter(name__iexact=value)[:CANDIDATES + 1])
            matches = exact or list(regions.filter(name__icontains=value)[:CANDIDATES + 1])
        municipalities = [region for region in matches if len(region.ars) == 12]
        if len(matches) == 1 or len(municipalities) == 1 and len(matches) <= 3:
            return (municipalities or matches)[0].ars
        self.place_candidates = matches[:CANDIDATES]
        if not matches:
            raise ValidationError(gettext("No region is called %(value)s or has it as postcode. Try its regional key (ARS)."),
                                  code="not_found", params={"value": value})
        raise ValidationError(gettext("Several regions match %(value)s; choose one below or give its regional key (ARS)."),
                              code="ambiguous", params={"value": value})


def writable_states(user):
    """The states whose directory the user maintains (operators: all), by name."""
    states = State.objects.order_by("name")
    if is_operator(user):
        return list(states)
    return list(states.filter(code__in=states_with_role(user, Role.DIRECTORY_MAINTAINER)))
