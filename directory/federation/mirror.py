"""This node as a read-only mirror of another node's directory (DVDV's model: one write
master, read-only state servers).

`sync(...)` reads the source's change feed (`directoryChanges`, directory.federation.feed) over
HTTP with a gateway token and applies each page in one transaction together with the cursor
(`MirrorState`), so an interrupted sync resumes where the last committed page ended; applying is
idempotent (upserts by identifier, by the source's endpoint id, by authority and LeiKa key).
Each applied change writes an audit row (actor `MIRROR_ACTOR` when the command syncs), so the
mirror's own feed works and the routing cache's change counter moves. Mirrored entries carry
their origin (the source URL); `directory.rules.refuse_mirrored` keeps the services and the
import from writing them.
"""
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable
from urllib.parse import urlsplit

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from fitstore import audit
from fitstore.choices import AuditAction
from store.models import LeikaService

from ..certificates import CertificateError, parse_certificate
from ..models import Authority, Endpoint, MirrorState, Region, Responsibility, State
from ..rules import certificate_fields
from ..services import authority_snapshot, responsibility_snapshot, serialize_directory_writes

MIRROR_ACTOR = "mirror"


class SyncError(Exception):
    """The source could not be read, or a change could not be applied (nothing of that page is)."""


# --- applying changes on a mirror ----------------------------------------------------------------------

def _as_of(value):
    return parse_datetime(value) if value else None


def _apply_change(record: dict | None, action: str, *, origin: str, state_code: str, actor) -> bool:
    """Apply one change of the source's feed (its data) here; True when something changed.
    Runs inside the page's transaction."""
    if record is None:
        return False
    kind = record.get("type")
    if kind == "authority":
        if state_code and record["stateCode"] != state_code:
            return False
        return _apply_authority(record, origin, actor)
    authority = Authority.objects.select_related("state").filter(identifier=record.get("authority")).first()
    if authority is None:
        if state_code:
            return False
        raise SyncError(f"change for the unknown authority {record.get('authority')!r}")
    _check_origin(authority, origin)
    if kind == "endpoint":
        return _apply_endpoint(record, authority, origin, actor)
    if kind == "responsibility":
        if action == AuditAction.DELETED:
            return _delete_responsibility(record, authority, actor)
        return _apply_responsibility(record, authority, actor)
    raise SyncError(f"unknown type of change {kind!r}")


def _check_origin(authority: Authority, origin: str) -> None:
    if authority.origin != origin:
        raise SyncError(f"{authority.identifier} is a local entry of this node (or mirrored from "
                        f"{authority.origin}), not mirrored from {origin}; remove it or choose another source")


def _changed(instance, values: dict, verb: str, *, actor, snapshot=audit.snapshot, refresh=()) -> bool:
    """Bring an existing mirrored object to `values`; one audit row when anything differs."""
    changes = {field: value for field, value in values.items() if getattr(instance, field) != value}
    if not changes:
        return False
    before = snapshot(instance)
    for field, value in changes.items():
        setattr(instance, field, value)
    update_fields = list(changes)
    if hasattr(instance, "updated_at"):
        instance.updated_at = timezone.now()
        update_fields.append("updated_at")
    instance.save(update_fields=update_fields)
    if refresh:
        instance.refresh_from_db(fields=list(refresh))
    audit.record(verb, instance, actor=actor, before=before, after=snapshot(instance))
    return True


def _apply_authority(record: dict, origin: str, actor) -> bool:
    state = State.objects.get(code=record["stateCode"])
    region = Region.objects.get(ars=record["ars"])
    authority = Authority.objects.select_for_update().filter(identifier=record["identifier"]).first()
    values = {"name": record["name"], "kind": record["kind"], "state_id": state.pk, "region_id": region.ars,
              "active": bool(record.get("active", True))}
    if authority is None:
        now = timezone.now()
        authority = Authority.objects.create(identifier=record["identifier"], origin=origin, created_at=now,
                                             updated_at=now, **values)
        audit.record("mirror_authority", authority, actor=actor, action=AuditAction.CREATED,
                     after=authority_snapshot(authority))
        return True
    _check_origin(authority, origin)
    return _changed(authority, values, "mirror_authority", actor=actor, snapshot=authority_snapshot,
                    refresh=("state", "region"))


def _certificate_fields(pem: str) -> dict:
    pem = (pem or "").strip()
    if not pem:
        return certificate_fields("", None)
    try:
        return certificate_fields(pem, parse_certificate(pem))
    except CertificateError as error:
        raise SyncError(f"an endpoint's certificate cannot be read: {error}") from None


def _apply_endpoint(record: dict, authority: Authority, origin: str, actor) -> bool:
    values = {"authority_id": authority.pk, "kind": record["kind"], "address": record["address"],
              "destination_id": record.get("destinationId") or None, "service_uri": record.get("serviceUri") or "",
              "valid_from": _as_of(record.get("validFrom")), "valid_until": _as_of(record.get("validUntil")),
              "active": bool(record.get("active", True)), **_certificate_fields(record.get("certificatePem"))}
    endpoint = Endpoint.objects.select_for_update().filter(origin=origin, origin_key=record["key"]).first()
    if endpoint is None:
        endpoint = Endpoint.objects.create(origin=origin, origin_key=record["key"], **values)
        audit.record("mirror_endpoint", endpoint, actor=actor, action=AuditAction.CREATED)
        return True
    if values["destination_id"] is not None:
        values["destination_id"] = uuid.UUID(str(values["destination_id"]))
    return _changed(endpoint, values, "mirror_endpoint", actor=actor)


def _apply_responsibility(record: dict, authority: Authority, actor) -> bool:
    service = LeikaService.objects.get(leika_key=record["leikaKey"])
    regions = list(Region.objects.filter(ars__in=record["ars"]))
    if len(regions) != len(set(record["ars"])):
        raise SyncError(f"unknown regions in the responsibility of {authority.identifier} for {record['leikaKey']}")
    responsibility, created = Responsibility.objects.get_or_create(
        authority=authority, service=service, defaults={"nationwide": bool(record.get("nationwide"))})
    before = None if created else responsibility_snapshot(responsibility)
    if not created and sorted(before["regions"]) == sorted(record["ars"]) \
            and responsibility.nationwide == bool(record.get("nationwide")):
        return False
    responsibility.regions.set(regions)
    if responsibility.nationwide != bool(record.get("nationwide")):
        responsibility.nationwide = bool(record.get("nationwide"))
        responsibility.save(update_fields=["nationwide"])
    audit.record("mirror_responsibility", responsibility, actor=actor,
                 action=AuditAction.CREATED if created else AuditAction.UPDATED,
                 before=before, after=responsibility_snapshot(responsibility))
    return True


def _delete_responsibility(record: dict, authority: Authority, actor) -> bool:
    responsibility = (Responsibility.objects.select_related("authority", "service")
                      .filter(authority=authority, service__leika_key=record.get("leikaKey")).first())
    if responsibility is None:
        return False
    before = responsibility_snapshot(responsibility)
    audit.record("mirror_responsibility", responsibility, actor=actor, action=AuditAction.DELETED, before=before)
    responsibility.delete()
    return True


def apply_page(mirror: MirrorState, edges: list[dict], end_cursor: str | None, *, actor) -> int:
    """Apply one page of the source's feed and move the cursor, in one transaction: one audit row
    per object a change changed here. Returns the number of changes that changed something."""
    with transaction.atomic():
        serialize_directory_writes()
        state = MirrorState.objects.select_for_update().get(pk=mirror.pk)
        changed = 0
        for edge in edges:
            node = edge["node"]
            if _apply_change(node.get("data"), node["action"], origin=state.source, state_code=state.state_code,
                             actor=actor):
                changed += 1
        if end_cursor:
            state.cursor = end_cursor
        state.changes_applied += changed
        state.last_synced_at = timezone.now()
        state.save(update_fields=["cursor", "changes_applied", "last_synced_at"])
    mirror.cursor, mirror.changes_applied, mirror.last_synced_at = state.cursor, state.changes_applied, state.last_synced_at
    return changed


# --- reading the source ------------------------------------------------------------------------------

CHANGES_QUERY = """
query MirrorChanges($after: String, $first: Int, $state: String) {
  directoryChanges(after: $after, first: $first, state: $state) {
    pageInfo { hasNextPage endCursor }
    edges { cursor node { objectType objectId action at data } }
  }
}
"""


def normalise_source(url: str) -> str:
    url = (url or "").strip().rstrip("/")
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise SyncError("--source must be the base URL of a node, e.g. https://fitstore.example.org")
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        raise SyncError("--source must use https (http only on this machine's loopback address)")
    return url


def fetch_page(source: str, token: str, after: str | None, first: int, state_code: str, timeout: float = 30) -> dict:
    body = json.dumps({"query": CHANGES_QUERY,
                       "variables": {"after": after or None, "first": first, "state": state_code or None}}).encode()
    request = urllib.request.Request(
        f"{source}/graphql/", data=body, method="POST",
        headers={"Content-Type": "application/json", "Accept": "application/json",
                 "Authorization": f"Bearer {token}", "User-Agent": "fit-store-mirror"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            content = json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise SyncError(f"the source answered {error.code}" + (" (is the token valid?)" if error.code == 401 else "")) from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise SyncError(f"the source cannot be read: {error}") from None
    if content.get("errors"):
        raise SyncError("the source refused: " + "; ".join(error.get("message", "?") for error in content["errors"]))
    return content["data"]["directoryChanges"]


def sync(source: str, token: str, *, state_code: str = "", page_size: int = 100,
         on_page: Callable[[int, int, str], None] | None = None, actor) -> tuple[MirrorState, int, int]:
    """Read the source's feed from the stored cursor to its end; (mirror, pages, changes)."""
    source = normalise_source(source)
    state_code = (state_code or "").upper()
    if state_code and State.objects.by_code(state_code) is None:
        raise SyncError(f"unknown state code {state_code!r}")
    mirror, _ = MirrorState.objects.get_or_create(source=source, state_code=state_code)
    pages = changes = 0
    while True:
        page = fetch_page(source, token, mirror.cursor, page_size, state_code)
        edges = page["edges"]
        end = page["pageInfo"]["endCursor"]
        if edges or (end and end != mirror.cursor):
            changes += len(edges)
            apply_page(mirror, edges, end, actor=actor)
            pages += 1
            if on_page:
                on_page(pages, len(edges), mirror.cursor)
        if not page["pageInfo"]["hasNextPage"]:
            return mirror, pages, changes


def follow(source: str, token: str, *, state_code: str = "", page_size: int = 100, min_wait: float = 1.0,
           max_wait: float = 60.0, on_page=None, on_wait: Callable[[float, str], None] | None = None,
           sleep=time.sleep, actor) -> None:
    """Sync, then poll: the wait doubles (up to `max_wait`) while nothing changes or the source
    cannot be read, and drops back to `min_wait` after a change."""
    wait = min_wait
    while True:
        try:
            _, _, changes = sync(source, token, state_code=state_code, page_size=page_size, on_page=on_page,
                                 actor=actor)
            wait = min_wait if changes else min(max_wait, wait * 2)
            reason = f"{changes} changes"
        except SyncError as error:
            wait = min(max_wait, wait * 2)
            reason = str(error)
        if on_wait:
            on_wait(wait, reason)
        sleep(wait)


