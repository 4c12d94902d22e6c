"""The write path of the directory: authorities, endpoints and responsibilities (Zulip's actions:
verb_noun, `@transaction.atomic`, one audit row per changed object, actor keyword-only).

Mutations, the admin and the import command call these functions; none of them saves a model
of the directory itself. Invalid input raises `ValidationError({field: ValidationError(msg,
code=DirectoryErrorCode...)})` before anything is written; field names are those of the
mutation inputs in snake_case (identifier, state_code, ars, leika_key, address, …).
Permissions are checked by the callers through `directory.access`.
"""
from collections.abc import Iterable

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fitstore import audit
from fitstore.choices import AuditAction
from fitstore.errors import FieldErrors, field_error, not_given

from . import rules
from .error_codes import DirectoryErrorCode as Code
from .models import Authority, Endpoint, Responsibility

# The change feed (`directoryChanges`) pages by audit id and promises commit order. On PostgreSQL
# ids are drawn at insert and transactions commit later, so two concurrent directory writes could
# commit out of id order and a mirror resuming from the later id would miss the earlier one.
# Directory writes therefore take one transaction-scoped advisory lock: their audit ids are drawn
# in commit order. (SQLite serialises all writes anyway.)
_DIRECTORY_WRITE_LOCK = 0x46495444  # "FITD"


def serialize_directory_writes() -> None:
    """Take the directory's write lock for the rest of the transaction: every writer of the
    directory (these services, the import, the mirror) calls it first."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_DIRECTORY_WRITE_LOCK])


# --- snapshots for the audit log -----------------------------------------------------------------

def authority_snapshot(authority: Authority) -> dict:
    return {**audit.snapshot(authority), "state_code": authority.state.code}


def responsibility_snapshot(responsibility: Responsibility, regions: Iterable[str] | None = None) -> dict:
    """The responsibility as the log keeps it; `regions` (ARS) where the caller knows them
    without asking the database (the import), else they are read."""
    data = audit.snapshot(responsibility, exclude=("regions",))
    data["leika_key"] = responsibility.service.leika_key
    data["authority"] = responsibility.authority.identifier
    data["regions"] = sorted(responsibility.regions.values_list("ars", flat=True) if regions is None else regions)
    return data


# --- authorities ---------------------------------------------------------------------------------

@transaction.atomic
def register_authority(*, identifier: str, name: str, state_code: str, ars: str, kind: str, origin: str = "",
                       actor) -> Authority:
    """A new authority of a state, seated in a region of that state."""
    serialize_directory_writes()
    fields = rules.check_new_authority(identifier=identifier, name=name, state_code=state_code, ars=ars, kind=kind)
    now = timezone.now()
    authority = Authority(**fields, origin=(origin or "").strip(), created_at=now, updated_at=now)
    try:
        with transaction.atomic():
            authority.save()
    except IntegrityError:  # a concurrent registration took the identifier
        raise rules.identifier_taken(authority.identifier) from None
    audit.record("register_authority", authority, actor=actor, action=AuditAction.CREATED,
                 after=authority_snapshot(authority))
    return authority


@transaction.atomic
def update_authority(authority: Authority, *, actor, name: str | None = None, ars: str | None = None,
                     kind: str | None = None) -> Authority:
    """Change an authority's name, seat region (inside its state) or kind; None leaves a field
    as it is. A call that changes nothing writes nothing."""
    serialize_directory_writes()
    authority = Authority.objects.select_for_update().select_related("state").get(pk=authority.pk)
    rules.refuse_mirrored(authority)
    changes = rules.check_authority_changes(authority, name=name, ars=ars, kind=kind)
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
    serialize_directory_writes()
    authority = Authority.objects.select_for_update().select_related("state").get(pk=authority.pk)
    rules.refuse_mirrored(authority)
    if not authority.active:
        raise field_error("identifier", _("The authority is already inactive."), Code.INACTIVE)
    before = authority_snapshot(authority)
    authority.active = False
    authority.updated_at = timezone.now()
    authority.save(update_fields=["active", "updated_at"])
    audit.record("deactivate_authority", authority, actor=actor, before=before, after=authority_snapshot(authority))
    return authority


# --- endpoints -----------------------------------------------------------------------------------

@transaction.atomic
def register_endpoint(authority: Authority, *, kind: str, address: str, destination_id=None, service_uri: str = "",
                      certificate_pem: str = "", valid_from=None, valid_until=None, actor) -> Endpoint:
    """A new technical address of an active authority."""
    serialize_directory_writes()
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    rules.refuse_mirrored(authority, "authority")
    now = timezone.now()
    fields = rules.check_new_endpoint(
        authority, kind=kind, address=address, destination_id=destination_id, service_uri=service_uri,
        certificate_pem=certificate_pem, valid_from=valid_from, valid_until=valid_until, now=now,
        address_in_use=lambda kind, address: authority.endpoints.filter(kind=kind, address=address, active=True).exists(),
    )
    endpoint = Endpoint.objects.create(authority=authority, created_at=now, **fields)
    audit.record("register_endpoint", endpoint, actor=actor, action=AuditAction.CREATED)
    return endpoint


@transaction.atomic
def deactivate_endpoint(endpoint: Endpoint, *, actor) -> Endpoint:
    """Take an endpoint out of routing; it stays for the record."""
    serialize_directory_writes()
    endpoint = Endpoint.objects.select_for_update().select_related("authority").get(pk=endpoint.pk)
    rules.refuse_mirrored(endpoint.authority, "endpoint")
    if not endpoint.active:
        raise field_error("endpoint", _("The endpoint is already inactive."), Code.INACTIVE)
    before = audit.snapshot(endpoint)
    endpoint.active = False
    endpoint.save(update_fields=["active"])
    audit.record("deactivate_endpoint", endpoint, actor=actor, before=before)
    return endpoint


# --- responsibilities ----------------------------------------------------------------------------

@transaction.atomic
def assign_responsibility(authority: Authority, *, leika_key: str, ars: Iterable[str] = (), nationwide: bool = False,
                          actor) -> Responsibility:
    """Make the authority responsible for the LeiKa service in these regions (added to those it
    already has). `nationwide` (federal authorities only) is the federal level. Assigning what is
    already assigned writes nothing."""
    serialize_directory_writes()
    authority = Authority.objects.select_for_update().select_related("state").get(pk=authority.pk)
    rules.refuse_mirrored(authority, "authority")
    service, regions = rules.check_assignment(authority, leika_key=leika_key, ars=ars, nationwide=nationwide)

    responsibility, created = Responsibility.objects.get_or_create(
        authority=authority, service=service, defaults={"nationwide": nationwide}
    )
    before = None if created else responsibility_snapshot(responsibility)
    assigned = set(before["regions"]) if not created else set()
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
    serialize_directory_writes()
    rules.refuse_mirrored(authority, "authority")
    errors = FieldErrors()
    service = rules.find_leika_service(leika_key, errors)
    errors.raise_if_any()
    responsibility = (Responsibility.objects.select_for_update().select_related("authority", "service")
                      .filter(authority=authority, service=service).first())
    if responsibility is None:
        raise field_error("leika_key", _("The authority is not responsible for this service."), Code.NOT_FOUND)
    before = responsibility_snapshot(responsibility)
    keys = [key for key in (ars or []) if not not_given(key)]
    if keys:
        regions = rules.find_regions(authority, keys, errors)
        assigned = set(before["regions"])
        missing = sorted(region.ars for region in regions if region.ars not in assigned)
        if missing:
            errors.add("ars", _("Not assigned to the authority: %(keys)s."), Code.NOT_FOUND, keys=", ".join(missing))
        errors.raise_if_any()
        responsibility.regions.remove(*regions)
        if responsibility.nationwide or responsibility.regions.exists():
            audit.record("withdraw_responsibility", responsibility, actor=actor, before=before,
                         after=responsibility_snapshot(responsibility))
            return responsibility
    audit.record("withdraw_responsibility", responsibility, actor=actor, action=AuditAction.DELETED, before=before)
    responsibility.delete()
    return None
