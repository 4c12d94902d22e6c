"""The write path of the directory: authorities, endpoints and responsibilities (Zulip's actions:
verb_noun, `@transaction.atomic`, one audit row per changed object, actor keyword-only).

Mutations, the admin and the import command call these functions; none of them saves a model
of the directory itself. Invalid input raises `ValidationError({field: ValidationError(msg,
code=DirectoryErrorCode...)})` before anything is written; field names are those of the
mutation inputs in snake_case (identifier, state_code, ars, leika_key, address, …).
Permissions are checked by the callers through `directory.access`.
"""
import re
import uuid
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fitstore import audit
from fitstore.choices import AuditAction
from store.models import LeikaService
from store.validators import validate_leika_key

from .certificates import CertificateError, parse_certificate
from .choices import AuthorityKind, EndpointKind
from .error_codes import DirectoryErrorCode as Code
from .models import Authority, Endpoint, Region, Responsibility, State
from .validators import validate_ars, validate_authority_identifier

_https_url = URLValidator(schemes=["https"])


def _add(errors: dict, field: str, message: str, error_code: Code, **params) -> None:
    errors.setdefault(field, []).append(ValidationError(message, code=error_code.value, params=params or None))


def _raise(errors: dict) -> None:
    if errors:
        raise ValidationError(errors)


def _not_given(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# The change feed (`directoryChanges`) pages by audit id and promises commit order. On PostgreSQL
# ids are drawn at insert and transactions commit later, so two concurrent directory writes could
# commit out of id order and a mirror resuming from the later id would miss the earlier one.
# Directory writes therefore take one transaction-scoped advisory lock: their audit ids are drawn
# in commit order. (SQLite serialises all writes anyway.)
_DIRECTORY_WRITE_LOCK = 0x46495444  # "FITD"


def _serialize_directory_writes() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_DIRECTORY_WRITE_LOCK])


# --- lookups by the keys users know, collecting errors ------------------------------------------

def _state(code, errors: dict, field: str = "state_code") -> State | None:
    if _not_given(code):
        _add(errors, field, _("Name the state, e.g. BY."), Code.REQUIRED)
        return None
    state = State.objects.filter(code=str(code).strip().upper()).first()
    if state is None:
        _add(errors, field, _("There is no state with the code %(code)s."), Code.UNKNOWN_STATE, code=code)
    return state


def _region(ars, errors: dict, field: str = "ars") -> Region | None:
    if _not_given(ars):
        _add(errors, field, _("Name the region by its ARS."), Code.REQUIRED)
        return None
    ars = str(ars).strip()
    try:
        validate_ars(ars)
    except ValidationError as error:
        _add(errors, field, error.messages[0], Code.INVALID_ARS)
        return None
    region = Region.objects.select_related("state").filter(ars=ars).first()
    if region is None:
        _add(errors, field, _("No region of the Gemeindeverzeichnis has the ARS %(ars)s."), Code.UNKNOWN_REGION, ars=ars)
    return region


def _leika_service(leika_key, errors: dict, field: str = "leika_key") -> LeikaService | None:
    if _not_given(leika_key):
        _add(errors, field, _("Name the service by its LeiKa key."), Code.REQUIRED)
        return None
    leika_key = str(leika_key).strip()
    try:
        validate_leika_key(leika_key)
    except ValidationError as error:
        _add(errors, field, error.messages[0], Code.INVALID_LEIKA_KEY)
        return None
    service = LeikaService.objects.filter(leika_key=leika_key).first()
    if service is None:
        _add(errors, field, _("The LeiKa catalogue has no service %(key)s."), Code.UNKNOWN_LEIKA_KEY, key=leika_key)
    return service


def _kind(value, choices, errors: dict, field: str = "kind") -> str | None:
    if _not_given(value):
        _add(errors, field, _("Name the kind."), Code.REQUIRED)
        return None
    value = getattr(value, "value", value)
    if value not in choices.values:
        _add(errors, field, _("Unknown kind %(kind)s; one of: %(kinds)s."), Code.INVALID, kind=value,
             kinds=", ".join(choices.values))
        return None
    return value


def _name(value, errors: dict) -> str:
    name = (value or "").strip()
    if not name:
        _add(errors, "name", _("Name the authority."), Code.REQUIRED)
    elif len(name) > Authority._meta.get_field("name").max_length:
        _add(errors, "name", _("The name is too long (at most 200 characters)."), Code.INVALID)
    return name


def _seat_in_state(region: Region | None, state: State | None, errors: dict) -> None:
    if region is not None and state is not None and region.state_id != state.pk:
        _add(errors, "ars", _("The region %(ars)s does not lie in %(state)s."), Code.REGION_OUTSIDE_STATE,
             ars=region.ars, state=state.code)


def _refuse_mirrored(authority: Authority, field: str = "identifier") -> None:
    """Entries mirrored from another node (directory.federation) are written only at their source."""
    if authority.origin:
        raise ValidationError({field: ValidationError(
            _("%(identifier)s is mirrored from %(origin)s and cannot be changed on this node; change it at its source."),
            code=Code.MIRRORED.value, params={"identifier": authority.identifier, "origin": authority.origin})})


# --- snapshots for the audit log -----------------------------------------------------------------

def authority_snapshot(authority: Authority) -> dict:
    return {**audit.snapshot(authority), "state_code": authority.state.code}


def responsibility_snapshot(responsibility: Responsibility) -> dict:
    data = audit.snapshot(responsibility, exclude=("regions",))
    data["leika_key"] = responsibility.service.leika_key
    data["authority"] = responsibility.authority.identifier
    data["regions"] = sorted(responsibility.regions.values_list("ars", flat=True))
    return data


# --- authorities ---------------------------------------------------------------------------------

@transaction.atomic
def register_authority(*, identifier: str, name: str, state_code: str, ars: str, kind: str, origin: str = "",
                       actor) -> Authority:
    """A new authority of a state, seated in a region of that state."""
    _serialize_directory_writes()
    errors: dict = {}
    identifier = (identifier or "").strip()
    if not identifier:
        _add(errors, "identifier", _("Give the authority an identifier (prefix:key)."), Code.REQUIRED)
    else:
        try:
            validate_authority_identifier(identifier)
        except ValidationError as error:
            _add(errors, "identifier", error.messages[0], Code.INVALID_IDENTIFIER)
        else:
            if Authority.objects.filter(identifier=identifier).exists():
                _add(errors, "identifier", _("The identifier %(identifier)s is taken."), Code.UNIQUE, identifier=identifier)
    name = _name(name, errors)
    kind = _kind(kind, AuthorityKind, errors)
    state = _state(state_code, errors)
    region = _region(ars, errors)
    _seat_in_state(region, state, errors)
    _raise(errors)

    now = timezone.now()
    authority = Authority(identifier=identifier, name=name, kind=kind, state=state, region=region,
                          origin=(origin or "").strip(), created_at=now, updated_at=now)
    try:
        with transaction.atomic():
            authority.save()
    except IntegrityError:  # a concurrent registration took the identifier
        raise ValidationError({"identifier": ValidationError(
            _("The identifier %(identifier)s is taken."), code=Code.UNIQUE.value, params={"identifier": identifier})})
    audit.record("register_authority", authority, actor=actor, action=AuditAction.CREATED,
                 after=authority_snapshot(authority))
    return authority


@transaction.atomic
def update_authority(authority: Authority, *, actor, name: str | None = None, ars: str | None = None,
                     kind: str | None = None) -> Authority:
    """Change an authority's name, seat region (inside its state) or kind; None leaves a field
    as it is. A call that changes nothing writes nothing."""
    _serialize_directory_writes()
    authority = Authority.objects.select_for_update().select_related("state").get(pk=authority.pk)
    _refuse_mirrored(authority)
    errors: dict = {}
    changes = {}
    if not _not_given(name):
        changes["name"] = _name(name, errors)
    if not _not_given(kind):
        changes["kind"] = _kind(kind, AuthorityKind, errors)
    if not _not_given(ars):
        region = _region(ars, errors)
        _seat_in_state(region, authority.state, errors)
        if region is not None:
            changes["region_id"] = region.ars
    _raise(errors)
    changes = {field: value for field, value in changes.items() if getattr(authority, field) != value}
    if not changes:
        return authority
    before = authority_snapshot(authority)
    for field, value in changes.items():
        setattr(authority, field, value)
    authority.updated_at = timezone.now()
    authority.save(update_fields=[*changes, "updated_at"])
    authority.refresh_from_db(fields=["region"])
    audit.record("update_authority", authority, actor=actor, before=before, after=authority_snapshot(authority))
    return authority


@transaction.atomic
def deactivate_authority(authority: Authority, *, actor) -> Authority:
    """Take an authority out of routing; it stays in the directory (and the change feed)."""
    _serialize_directory_writes()
    authority = Authority.objects.select_for_update().select_related("state").get(pk=authority.pk)
    _refuse_mirrored(authority)
    if not authority.active:
        raise ValidationError({"identifier": ValidationError(_("The authority is already inactive."),
                                                             code=Code.INACTIVE.value)})
    before = authority_snapshot(authority)
    authority.active = False
    authority.updated_at = timezone.now()
    authority.save(update_fields=["active", "updated_at"])
    audit.record("deactivate_authority", authority, actor=actor, before=before, after=authority_snapshot(authority))
    return authority


# --- endpoints -----------------------------------------------------------------------------------

# An absolute URI (RFC 3986: scheme ":" …) of printable ASCII: gateways read it, browsers may link it.
_SERVICE_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[!-~]+")


def _address(kind: str | None, address, errors: dict) -> str:
    address = (address or "").strip()
    if not address:
        _add(errors, "address", _("Give the address."), Code.REQUIRED)
        return address
    if len(address) > Endpoint._meta.get_field("address").max_length:
        _add(errors, "address", _("The address is too long (at most 500 characters)."), Code.INVALID_ADDRESS)
        return address
    if kind == EndpointKind.EMAIL:
        try:
            validate_email(address)
        except ValidationError:
            _add(errors, "address", _("%(address)s is not an e-mail address."), Code.INVALID_ADDRESS, address=address)
    else:
        try:
            _https_url(address)
        except ValidationError:
            _add(errors, "address", _("%(address)s is not an https:// URL."), Code.INVALID_ADDRESS, address=address)
    return address


def _destination_id(kind: str | None, value, errors: dict) -> uuid.UUID | None:
    if _not_given(value):
        if kind == EndpointKind.FIT_CONNECT:
            _add(errors, "destination_id", _("A FIT-Connect endpoint needs its destination ID (a UUID)."), Code.REQUIRED)
        return None
    try:
        return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value).strip())
    except ValueError:
        _add(errors, "destination_id", _("%(value)s is not a UUID."), Code.INVALID_DESTINATION_ID, value=value)
        return None


def _certificate(kind: str | None, pem, errors: dict, now) -> dict:
    """The certificate's parsed fields for the model; required, valid and unexpired for OSCI/XTA,
    and valid and unexpired wherever one is given."""
    pem = (pem or "").strip()
    if not pem:
        if kind == EndpointKind.OSCI_XTA:
            _add(errors, "certificate_pem", _("An OSCI/XTA endpoint needs its X.509 certificate in PEM."),
                 Code.CERTIFICATE_REQUIRED)
        return {}
    try:
        info = parse_certificate(pem)
    except CertificateError:
        _add(errors, "certificate_pem", _("This is not an X.509 certificate in PEM."), Code.INVALID_CERTIFICATE)
        return {}
    if info.expired(now):
        _add(errors, "certificate_pem", _("The certificate expired on %(date)s."), Code.CERTIFICATE_EXPIRED,
             date=info.not_after.isoformat())
        return {}
    return {
        "certificate_pem": pem + "\n", "certificate_subject": info.subject[:500], "certificate_issuer": info.issuer[:500],
        "certificate_serial": info.serial[:64], "certificate_not_before": info.not_before,
        "certificate_not_after": info.not_after, "certificate_fingerprint_sha256": info.fingerprint_sha256,
    }


@transaction.atomic
def register_endpoint(authority: Authority, *, kind: str, address: str, destination_id=None, service_uri: str = "",
                      certificate_pem: str = "", valid_from=None, valid_until=None, actor) -> Endpoint:
    """A new technical address of an active authority."""
    _serialize_directory_writes()
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    _refuse_mirrored(authority, "authority")
    now = timezone.now()
    errors: dict = {}
    if not authority.active:
        _add(errors, "authority", _("The authority is inactive."), Code.INACTIVE)
    kind = _kind(kind, EndpointKind, errors)
    address = _address(kind, address, errors)
    destination = _destination_id(kind, destination_id, errors)
    service_uri = (service_uri or "").strip()
    if len(service_uri) > Endpoint._meta.get_field("service_uri").max_length or any(c.isspace() for c in service_uri):
        _add(errors, "service_uri", _("The service URI must be at most 500 characters without spaces."), Code.INVALID)
    elif service_uri and (not _SERVICE_URI.fullmatch(service_uri)
                          or service_uri.split(":", 1)[0].lower() in ("javascript", "data", "file", "vbscript")):
        _add(errors, "service_uri", _("The service URI must be an absolute URI such as urn:de:xta:webservice:wohngeld."),
             Code.INVALID)
    certificate = _certificate(kind, certificate_pem, errors, now)
    if valid_from and valid_until and valid_until <= valid_from:
        _add(errors, "valid_until", _("The end of the validity lies before its start."), Code.INVALID_VALIDITY)
    if kind and "address" not in errors and authority.endpoints.filter(kind=kind, address=address, active=True).exists():
        _add(errors, "address", _("The authority already has this address."), Code.UNIQUE)
    _raise(errors)

    endpoint = Endpoint.objects.create(
        authority=authority, kind=kind, address=address, destination_id=destination, service_uri=service_uri,
        valid_from=valid_from, valid_until=valid_until, created_at=now, **certificate,
    )
    audit.record("register_endpoint", endpoint, actor=actor, action=AuditAction.CREATED)
    return endpoint


@transaction.atomic
def deactivate_endpoint(endpoint: Endpoint, *, actor) -> Endpoint:
    """Take an endpoint out of routing; it stays for the record."""
    _serialize_directory_writes()
    endpoint = Endpoint.objects.select_for_update().select_related("authority").get(pk=endpoint.pk)
    _refuse_mirrored(endpoint.authority, "endpoint")
    if not endpoint.active:
        raise ValidationError({"endpoint": ValidationError(_("The endpoint is already inactive."),
                                                           code=Code.INACTIVE.value)})
    before = audit.snapshot(endpoint)
    endpoint.active = False
    endpoint.save(update_fields=["active"])
    audit.record("deactivate_endpoint", endpoint, actor=actor, before=before)
    return endpoint


# --- responsibilities ----------------------------------------------------------------------------

def _regions(authority: Authority, keys, errors: dict) -> list[Region]:
    """The regions named by `keys` (ARS), all known, all inside the authority's state (except
    for federal authorities)."""
    if isinstance(keys, str):
        keys = [keys]
    keys = [str(key).strip() for key in (keys or []) if not _not_given(key)]
    malformed = []
    for key in keys:
        try:
            validate_ars(key)
        except ValidationError:
            malformed.append(key)
    if malformed:
        _add(errors, "ars", _("Not an ARS (2, 3, 5, 9 or 12 digits): %(keys)s."), Code.INVALID_ARS,
             keys=", ".join(malformed))
        return []
    regions = {region.ars: region for region in Region.objects.filter(ars__in=keys)}
    unknown = [key for key in keys if key not in regions]
    if unknown:
        _add(errors, "ars", _("No region of the Gemeindeverzeichnis has the ARS %(keys)s."), Code.UNKNOWN_REGION,
             keys=", ".join(unknown))
    if authority.kind != AuthorityKind.FEDERAL:
        outside = sorted(ars for ars, region in regions.items() if region.state_id != authority.state_id)
        if outside:
            _add(errors, "ars", _("These regions do not lie in the authority's state: %(keys)s."),
                 Code.REGION_OUTSIDE_STATE, keys=", ".join(outside))
    return list(regions.values())


@transaction.atomic
def assign_responsibility(authority: Authority, *, leika_key: str, ars: Iterable[str] = (), nationwide: bool = False,
                          actor) -> Responsibility:
    """Make the authority responsible for the LeiKa service in these regions (added to those it
    already has). `nationwide` (federal authorities only) is the federal level. Assigning what is
    already assigned writes nothing."""
    _serialize_directory_writes()
    authority = Authority.objects.select_for_update().select_related("state").get(pk=authority.pk)
    _refuse_mirrored(authority, "authority")
    errors: dict = {}
    if not authority.active:
        _add(errors, "authority", _("The authority is inactive."), Code.INACTIVE)
    service = _leika_service(leika_key, errors)
    regions = _regions(authority, ars, errors)
    if nationwide and authority.kind != AuthorityKind.FEDERAL:
        _add(errors, "nationwide", _("Only a federal authority is responsible nationwide."), Code.INVALID)
    if not regions and not nationwide and "ars" not in errors:
        _add(errors, "ars", _("Name at least one region by its ARS."), Code.REQUIRED)
    _raise(errors)

    responsibility, created = Responsibility.objects.get_or_create(
        authority=authority, service=service, defaults={"nationwide": nationwide}
    )
    before = None if created else responsibility_snapshot(responsibility)
    assigned = set(responsibility.regions.values_list("ars", flat=True)) if not created else set()
    new_regions = [region for region in regions if region.ars not in assigned]
    if new_regions:
        responsibility.regions.add(*new_regions)
    if nationwide and not responsibility.nationwide:
        responsibility.nationwide = True
        responsibility.save(update_fields=["nationwide"])
    elif not created and not new_regions:
        return responsibility
    audit.record("assign_responsibility", responsibility, actor=actor,
                 action=AuditAction.CREATED if created else AuditAction.UPDATED,
                 before=before, after=responsibility_snapshot(responsibility))
    return responsibility


@transaction.atomic
def withdraw_responsibility(authority: Authority, *, leika_key: str, ars: Iterable[str] = (), actor) -> Responsibility | None:
    """Take regions out of the authority's responsibility for the service; without `ars`, or when
    no region (and no nationwide responsibility) remains, the responsibility ends. Returns what
    remains, or None."""
    _serialize_directory_writes()
    _refuse_mirrored(authority, "authority")
    errors: dict = {}
    service = _leika_service(leika_key, errors)
    _raise(errors)
    responsibility = (Responsibility.objects.select_for_update().select_related("authority", "service")
                      .filter(authority=authority, service=service).first())
    if responsibility is None:
        _add(errors, "leika_key", _("The authority is not responsible for this service."), Code.NOT_FOUND)
        _raise(errors)
    before = responsibility_snapshot(responsibility)
    keys = [key for key in (ars or []) if not _not_given(key)]
    if keys:
        regions = _regions(authority, keys, errors)
        assigned = set(before["regions"])
        missing = sorted(region.ars for region in regions if region.ars not in assigned)
        if missing:
            _add(errors, "ars", _("Not assigned to the authority: %(keys)s."), Code.NOT_FOUND, keys=", ".join(missing))
        _raise(errors)
        responsibility.regions.remove(*regions)
        if responsibility.nationwide or responsibility.regions.exists():
            audit.record("withdraw_responsibility", responsibility, actor=actor, before=before,
                         after=responsibility_snapshot(responsibility))
            return responsibility
    audit.record("withdraw_responsibility", responsibility, actor=actor, action=AuditAction.DELETED, before=before)
    responsibility.delete()
    return None
