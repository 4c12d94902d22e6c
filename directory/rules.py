"""The directory's rules for what may be written, each once, with its message and code: called
by the services (`directory.services`, one object at a time) and by the bulk import
(`directory.federation.exchange`, a whole file against what it read beforehand).

Rules check input and name every problem on its field (`fitstore.errors`; field names are those
of the mutation inputs in snake_case: identifier, state_code, ars, leika_key, address, …); they
write nothing. The `check_*` functions check one write's whole input and raise all its errors
at once; the smaller ones collect into the caller's `FieldErrors`.

What an input names (a state code, an ARS, a LeiKa key, an identifier) is found through
`Lookups`: `DATABASE` asks the database, one query a lookup; the import passes lookups over the
dicts it prefetched, so that it stays a bulk path and still applies the same rule. A new rule is
written here and holds for the services, the forms, the API and the import alike.
"""
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.utils.translation import gettext as _

from fitstore.errors import FieldErrors, field_error, not_given
from store.models import LeikaService
from store.validators import validate_leika_key

from .certificates import CertificateError, CertificateInfo, parse_certificate
from .choices import AuthorityKind, EndpointKind
from .error_codes import DirectoryErrorCode as Code
from .models import Authority, Endpoint, Region, State
from .validators import validate_ars, validate_authority_identifier


@dataclass(frozen=True)
class Lookups:
    """How the rules find what an input names. Each gets a well-formed key and answers None (or,
    for `regions`, leaves out) what does not exist."""

    state: Callable[[str], State | None]  # by code, e.g. "BY"
    region: Callable[[str], Region | None]  # by ARS
    regions: Callable[[list[str]], dict[str, Region]]  # ARS → region
    leika_service: Callable[[str], LeikaService | None]  # by LeiKa key
    identifier_taken: Callable[[str], bool]  # whether an authority has the identifier


DATABASE = Lookups(
    state=State.objects.by_code,
    region=lambda ars: Region.objects.select_related("state").filter(ars=ars).first(),
    regions=lambda keys: Region.objects.in_bulk(keys, field_name="ars"),
    leika_service=lambda leika_key: LeikaService.objects.filter(leika_key=leika_key).first(),
    identifier_taken=lambda identifier: Authority.objects.filter(identifier=identifier).exists(),
)


# --- what an input names --------------------------------------------------------------------------

def _find(key, errors: FieldErrors, field: str, lookup, *, missing: str, validate=None, invalid: Code | None = None,
          unknown: str, unknown_code: Code, param: str):
    """The object `lookup` finds for `key`: REQUIRED when not given, `invalid` when `validate`
    refuses the key's form, `unknown_code` when nothing has it."""
    if not_given(key):
        errors.add(field, missing, Code.REQUIRED)
        return None
    key = str(key).strip()
    if validate is not None:
        try:
            validate(key)
        except ValidationError as error:
            errors.add(field, error.messages[0], invalid)
            return None
    found = lookup(key)
    if found is None:
        errors.add(field, unknown, unknown_code, **{param: key})
    return found


def find_state(code, errors: FieldErrors, *, lookups: Lookups = DATABASE, field: str = "state_code") -> State | None:
    return _find(code, errors, field, lambda key: lookups.state(key.upper()), missing=_("Name the state, e.g. BY."),
                 unknown=_("There is no state with the code %(code)s."), unknown_code=Code.UNKNOWN_STATE, param="code")


def find_region(ars, errors: FieldErrors, *, lookups: Lookups = DATABASE, field: str = "ars") -> Region | None:
    return _find(ars, errors, field, lookups.region, missing=_("Name the region by its ARS."), validate=validate_ars,
                 invalid=Code.INVALID_ARS, unknown=_("No region of the Gemeindeverzeichnis has the ARS %(ars)s."),
                 unknown_code=Code.UNKNOWN_REGION, param="ars")


def find_leika_service(leika_key, errors: FieldErrors, *, lookups: Lookups = DATABASE,
                       field: str = "leika_key") -> LeikaService | None:
    return _find(leika_key, errors, field, lookups.leika_service, missing=_("Name the service by its LeiKa key."),
                 validate=validate_leika_key, invalid=Code.INVALID_LEIKA_KEY,
                 unknown=_("The LeiKa catalogue has no service %(key)s."), unknown_code=Code.UNKNOWN_LEIKA_KEY,
                 param="key")


def find_regions(authority: Authority, keys, errors: FieldErrors, *, lookups: Lookups = DATABASE) -> list[Region]:
    """The regions named by `keys` (ARS), in the order named, each once: all known, all inside
    the authority's state (except for federal authorities)."""
    if isinstance(keys, str):
        keys = [keys]
    keys = [str(key).strip() for key in (keys or []) if not not_given(key)]
    malformed = []
    for key in keys:
        try:
            validate_ars(key)
        except ValidationError:
            malformed.append(key)
    if malformed:
        errors.add("ars", _("Not an ARS (2, 3, 5, 9 or 12 digits): %(keys)s."), Code.INVALID_ARS,
                   keys=", ".join(malformed))
        return []
    named = list(dict.fromkeys(keys))
    regions = lookups.regions(named) if named else {}
    unknown = [key for key in keys if key not in regions]
    if unknown:
        errors.add("ars", _("No region of the Gemeindeverzeichnis has the ARS %(keys)s."), Code.UNKNOWN_REGION,
                   keys=", ".join(unknown))
    if authority.kind != AuthorityKind.FEDERAL:
        outside = sorted(ars for ars, region in regions.items() if region.state_id != authority.state_id)
        if outside:
            errors.add("ars", _("These regions do not lie in the authority's state: %(keys)s."),
                       Code.REGION_OUTSIDE_STATE, keys=", ".join(outside))
    return [regions[key] for key in named if key in regions]


# --- authorities ----------------------------------------------------------------------------------

def check_identifier(identifier, errors: FieldErrors, *, lookups: Lookups = DATABASE) -> str:
    identifier = (identifier or "").strip()
    if not identifier:
        errors.add("identifier", _("Give the authority an identifier (prefix:key)."), Code.REQUIRED)
        return identifier
    try:
        validate_authority_identifier(identifier)
    except ValidationError as error:
        errors.add("identifier", error.messages[0], Code.INVALID_IDENTIFIER)
    else:
        if lookups.identifier_taken(identifier):
            errors.extend(identifier_taken(identifier))
    return identifier


def identifier_taken(identifier: str) -> ValidationError:
    """The error of a taken identifier: also what a registration that lost the race for it says."""
    return field_error("identifier", _("The identifier %(identifier)s is taken."), Code.UNIQUE, identifier=identifier)


def check_name(value, errors: FieldErrors) -> str:
    name = (value or "").strip()
    if not name:
        errors.add("name", _("Name the authority."), Code.REQUIRED)
    elif len(name) > Authority._meta.get_field("name").max_length:
        errors.add("name", _("The name is too long (at most 200 characters)."), Code.INVALID)
    return name


def check_kind(value, choices, errors: FieldErrors, field: str = "kind") -> str | None:
    if not_given(value):
        errors.add(field, _("Name the kind."), Code.REQUIRED)
        return None
    value = getattr(value, "value", value)
    if value not in choices.values:
        errors.add(field, _("Unknown kind %(kind)s; one of: %(kinds)s."), Code.INVALID, kind=value,
                   kinds=", ".join(choices.values))
        return None
    return value


def check_seat(region: Region | None, state: State | None, errors: FieldErrors) -> None:
    """An authority is seated in a region of its own state."""
    if region is not None and state is not None and region.state_id != state.pk:
        errors.add("ars", _("%(region)s (%(ars)s) does not lie in %(state)s."), Code.REGION_OUTSIDE_STATE,
                   region=region.name, ars=region.ars, state=state.name)


def check_new_authority(*, identifier, name, state_code, ars, kind, lookups: Lookups = DATABASE) -> dict:
    """register_authority's input as the authority's fields (identifier, name, kind, state,
    region); ValidationError naming every field that is wrong."""
    errors = FieldErrors()
    fields = {
        "identifier": check_identifier(identifier, errors, lookups=lookups),
        "name": check_name(name, errors),
        "kind": check_kind(kind, AuthorityKind, errors),
        "state": find_state(state_code, errors, lookups=lookups),
        "region": find_region(ars, errors, lookups=lookups),
    }
    check_seat(fields["region"], fields["state"], errors)
    errors.raise_if_any()
    return fields


def check_authority_changes(authority: Authority, *, name=None, ars=None, kind=None,
                            lookups: Lookups = DATABASE) -> dict:
    """update_authority's input: the fields it changes (name, kind, region_id), only those that
    differ from the authority's; what is not given stays. ValidationError when any is wrong."""
    errors = FieldErrors()
    changes = {}
    if not not_given(name):
        changes["name"] = check_name(name, errors)
    if not not_given(kind):
        changes["kind"] = check_kind(kind, AuthorityKind, errors)
    if not not_given(ars):
        region = find_region(ars, errors, lookups=lookups)
        check_seat(region, authority.state, errors)
        if region is not None:
            changes["region_id"] = region.ars
    errors.raise_if_any()
    return {field: value for field, value in changes.items() if getattr(authority, field) != value}


def refuse_mirrored(authority: Authority, field: str = "identifier") -> None:
    """Entries mirrored from another node (directory.federation.mirror) are written only at their source."""
    if authority.origin:
        raise field_error(field, _("%(identifier)s is mirrored from %(origin)s and cannot be changed on this node; "
                                   "change it at its source."), Code.MIRRORED,
                          identifier=authority.identifier, origin=authority.origin)


def check_active(authority: Authority, errors: FieldErrors) -> None:
    if not authority.active:
        errors.add("authority", _("The authority is inactive."), Code.INACTIVE)


# --- endpoints ------------------------------------------------------------------------------------

_https_url = URLValidator(schemes=["https"])
# An absolute URI (RFC 3986: scheme ":" …) of printable ASCII: gateways read it, browsers may link it.
_SERVICE_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[!-~]+")
_UNSAFE_SCHEMES = ("javascript", "data", "file", "vbscript")


def check_address(kind: str | None, address, errors: FieldErrors) -> str:
    """An https:// URL, for EMAIL an e-mail address."""
    address = (address or "").strip()
    if not address:
        errors.add("address", _("Give the address."), Code.REQUIRED)
        return address
    if len(address) > Endpoint._meta.get_field("address").max_length:
        errors.add("address", _("The address is too long (at most 500 characters)."), Code.INVALID_ADDRESS)
        return address
    if kind == EndpointKind.EMAIL:
        validate, message = validate_email, _("%(address)s is not an e-mail address.")
    else:
        validate, message = _https_url, _("%(address)s is not an https:// URL.")
    try:
        validate(address)
    except ValidationError:
        errors.add("address", message, Code.INVALID_ADDRESS, address=address)
    return address


def check_destination_id(kind: str | None, value, errors: FieldErrors) -> uuid.UUID | None:
    """A UUID; required for FIT_CONNECT."""
    if not_given(value):
        if kind == EndpointKind.FIT_CONNECT:
            errors.add("destination_id", _("A FIT-Connect endpoint needs its destination ID (a UUID)."), Code.REQUIRED)
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value).strip())
    except ValueError:
        errors.add("destination_id", _("%(value)s is not a UUID."), Code.INVALID_DESTINATION_ID, value=value)
        return None


def check_service_uri(value, errors: FieldErrors) -> str:
    """Empty, or an absolute URI of a harmless scheme without spaces."""
    service_uri = (value or "").strip()
    if len(service_uri) > Endpoint._meta.get_field("service_uri").max_length or any(c.isspace() for c in service_uri):
        errors.add("service_uri", _("The service URI must be at most 500 characters without spaces."), Code.INVALID)
    elif service_uri and (not _SERVICE_URI.fullmatch(service_uri)
                          or service_uri.split(":", 1)[0].lower() in _UNSAFE_SCHEMES):
        errors.add("service_uri", _("The service URI must be an absolute URI such as urn:de:xta:webservice:wohngeld."),
                   Code.INVALID)
    return service_uri


def certificate_fields(pem: str, info: CertificateInfo | None) -> dict:
    """The endpoint's certificate columns for `pem` as parsed into `info` (None: no certificate)."""
    if info is None:
        return {"certificate_pem": "", "certificate_subject": "", "certificate_issuer": "", "certificate_serial": "",
                "certificate_not_before": None, "certificate_not_after": None, "certificate_fingerprint_sha256": ""}
    return {"certificate_pem": pem.strip() + "\n", "certificate_subject": info.subject[:500],
            "certificate_issuer": info.issuer[:500], "certificate_serial": info.serial[:64],
            "certificate_not_before": info.not_before, "certificate_not_after": info.not_after,
            "certificate_fingerprint_sha256": info.fingerprint_sha256}


def check_certificate(kind: str | None, pem, errors: FieldErrors, now) -> dict:
    """The certificate's columns; required, valid and unexpired for OSCI/XTA, and valid and
    unexpired wherever one is given."""
    pem = (pem or "").strip()
    if not pem:
        if kind == EndpointKind.OSCI_XTA:
            errors.add("certificate_pem", _("An OSCI/XTA endpoint needs its X.509 certificate in PEM."),
                       Code.CERTIFICATE_REQUIRED)
        return certificate_fields("", None)
    try:
        info = parse_certificate(pem)
    except CertificateError:
        errors.add("certificate_pem", _("This is not an X.509 certificate in PEM."), Code.INVALID_CERTIFICATE)
        return {}
    if info.expired(now):
        errors.add("certificate_pem", _("The certificate expired on %(date)s."), Code.CERTIFICATE_EXPIRED,
                   date=info.not_after.isoformat())
        return {}
    return certificate_fields(pem, info)


def check_new_endpoint(authority: Authority, *, kind, address, destination_id=None, service_uri="",
                       certificate_pem="", valid_from=None, valid_until=None, now,
                       address_in_use: Callable[[str, str], bool] | None = None) -> dict:
    """register_endpoint's input as the endpoint's fields (for an authority, given): the
    authority active, the address of its kind, a FIT-Connect destination, a safe service URI, a
    certificate (for OSCI/XTA), a validity that ends after it starts and, where
    `address_in_use(kind, address)` is given, no other active endpoint at the address.
    ValidationError naming every field that is wrong."""
    errors = FieldErrors()
    check_active(authority, errors)
    kind = check_kind(kind, EndpointKind, errors)
    fields = {
        "kind": kind,
        "address": check_address(kind, address, errors),
        "destination_id": check_destination_id(kind, destination_id, errors),
        "service_uri": check_service_uri(service_uri, errors),
        **check_certificate(kind, certificate_pem, errors, now),
        "valid_from": valid_from,
        "valid_until": valid_until,
    }
    if valid_from and valid_until and valid_until <= valid_from:
        errors.add("valid_until", _("The end of the validity lies before its start."), Code.INVALID_VALIDITY)
    if address_in_use is not None and kind and "address" not in errors and address_in_use(kind, fields["address"]):
        errors.add("address", _("The authority already has this address."), Code.UNIQUE)
    errors.raise_if_any()
    return fields


# --- responsibilities -----------------------------------------------------------------------------

def check_assignment(authority: Authority, *, leika_key, ars: Iterable[str] = (), nationwide: bool = False,
                     lookups: Lookups = DATABASE) -> tuple[LeikaService, list[Region]]:
    """assign_responsibility's input: (the LeiKa service, the regions). The authority active, the
    service known, the regions known and in its state, at least one region unless nationwide,
    and nationwide only for a federal authority."""
    errors = FieldErrors()
    check_active(authority, errors)
    service = find_leika_service(leika_key, errors, lookups=lookups)
    regions = find_regions(authority, ars, errors, lookups=lookups)
    if nationwide and authority.kind != AuthorityKind.FEDERAL:
        errors.add("nationwide", _("Only a federal authority is responsible nationwide."), Code.INVALID)
    if not regions and not nationwide and "ars" not in errors:
        errors.add("ars", _("Name at least one region by its ARS."), Code.REQUIRED)
    errors.raise_if_any()
    return service, regions
