"""Federation: this node as a read-only mirror of another node's directory, and the content
digest that shows two nodes hold the same directory (DVDV's model: one write master, read-only
state servers).

- `change_records(entries)` gives each change of the feed (`directoryChanges`, audit rows) the
  data a mirror needs: the object as it is now, in the exchange format (directory.exchange), or
  for a deleted responsibility its key. Mirrors converge on the source's current state; a change
  to an object deleted since carries no data and is skipped (its deletion follows in the feed).
- `sync(...)` reads the source's feed over HTTP with a gateway token and applies each page in one
  transaction together with the cursor (`MirrorState`), so an interrupted sync resumes where the
  last committed page ended; applying is idempotent (upserts by identifier, by the source's
  endpoint id, by authority and LeiKa key). Each applied change writes an audit row, so the
  mirror's own feed works and the routing cache's change counter moves.
- Mirrored entries carry their origin (the source URL); `directory.services` refuses to write them.
- `digest(state_code)`: SHA-256 over authorities, endpoints and responsibilities in canonical
  order, without ids, timestamps and origin.
"""
import hashlib
import json
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterable
from urllib.parse import urlsplit

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from fitstore import audit
from fitstore.choices import AuditAction
from fitstore.models import AuditEntry
from store.models import LeikaService

from . import services
from .certificates import CertificateError, parse_certificate
from .models import Authority, Endpoint, MirrorState, Region, Responsibility, State

DIRECTORY_MODELS = (Authority, Endpoint, Responsibility)
MIRROR_ACTOR = "mirror"


class SyncError(Exception):
    """The source could not be read, or a change could not be applied (nothing of that page is)."""


def content_types() -> dict[int, type]:
    return {ct.pk: model for model, ct in ContentType.objects.get_for_models(*DIRECTORY_MODELS).items()}


# --- the feed's data ---------------------------------------------------------------------------------

def authority_record(authority: Authority) -> dict:
    return {"type": "authority", "identifier": authority.identifier, "name": authority.name,
            "stateCode": authority.state.code, "ars": authority.region_id, "kind": authority.kind,
            "active": authority.active}


def endpoint_record(endpoint: Endpoint) -> dict:
    return {"type": "endpoint", "authority": endpoint.authority.identifier, "kind": endpoint.kind,
            "address": endpoint.address,
            "destinationId": str(endpoint.destination_id) if endpoint.destination_id else "",
            "serviceUri": endpoint.service_uri, "certificatePem": endpoint.certificate_pem,
            "validFrom": endpoint.valid_from.isoformat() if endpoint.valid_from else None,
            "validUntil": endpoint.valid_until.isoformat() if endpoint.valid_until else None,
            "active": endpoint.active}


def responsibility_record(responsibility: Responsibility) -> dict:
    return {"type": "responsibility", "authority": responsibility.authority.identifier,
            "leikaKey": responsibility.service.leika_key,
            "ars": sorted(region.ars for region in responsibility.regions.all()),
            "nationwide": responsibility.nationwide}


def change_records(entries: list[AuditEntry]) -> dict[int, tuple[str | None, dict | None]]:
    """entry id → (state code, data) for a page of the feed, in a constant number of queries."""
    types = content_types()
    wanted: dict[type, set[int]] = {model: set() for model in DIRECTORY_MODELS}
    for entry in entries:
        if entry.action != AuditAction.DELETED and entry.object_id.isdigit():
            wanted[types[entry.object_type_id]].add(int(entry.object_id))
    authorities = Authority.objects.select_related("state").in_bulk(wanted[Authority])
    endpoints = Endpoint.objects.select_related("authority__state").in_bulk(wanted[Endpoint])
    responsibilities = (Responsibility.objects.select_related("authority__state", "service")
                        .prefetch_related("regions").in_bulk(wanted[Responsibility]))
    # Objects gone since (a withdrawn responsibility): the state through the authority in the log.
    named = {(entry.after or entry.before or {}).get("authority") for entry in entries
             if types[entry.object_type_id] is Responsibility}
    states_of = dict(Authority.objects.filter(identifier__in=named - {None}).values_list("identifier", "state__code"))
    records = {}
    for entry in entries:
        model = types[entry.object_type_id]
        if entry.action == AuditAction.DELETED:
            before = entry.before or {}
            if model is Responsibility:
                data = {"type": "responsibility", "authority": before.get("authority"), "leikaKey": before.get("leika_key")}
                records[entry.id] = (states_of.get(before.get("authority")), data)
            else:
                records[entry.id] = (before.get("state_code"), None)
            continue
        pk = int(entry.object_id) if entry.object_id.isdigit() else None
        if model is Authority and pk in authorities:
            obj = authorities[pk]
            records[entry.id] = (obj.state.code, authority_record(obj))
        elif model is Endpoint and pk in endpoints:
            obj = endpoints[pk]
            data = endpoint_record(obj)
            data["key"] = str(obj.pk)
            records[entry.id] = (obj.authority.state.code, data)
        elif model is Responsibility and pk in responsibilities:
            obj = responsibilities[pk]
            records[entry.id] = (obj.authority.state.code, responsibility_record(obj))
        else:
            logged = entry.after or entry.before or {}
            records[entry.id] = (logged.get("state_code") or states_of.get(logged.get("authority")), None)
    return records


def feed_page(after: int | None, first: int, state_code: str | None = None, scan_limit: int = 2000):
    """(entries with their records, has_next, end cursor) of the change feed; with a state, the
    scan stops after `scan_limit` rows so that a request stays bounded, and the end cursor moves
    past the rows scanned even when none of them belonged to the state."""
    entries = AuditEntry.objects.filter(object_type_id__in=list(content_types())).order_by("id")
    if after:
        entries = entries.filter(id__gt=after)
    if not state_code:
        page = list(entries[:first + 1])
        has_next = len(page) > first
        page = page[:first]
        records = change_records(page)
        return [(entry, records[entry.id]) for entry in page], has_next, (page[-1].id if page else after)
    chosen, end, has_next = [], after, False
    position, scanned = after or 0, 0
    while True:
        size = min(500, scan_limit - scanned)
        batch = list(entries.filter(id__gt=position)[:size + 1])
        more = len(batch) > size
        batch = batch[:size]
        records = change_records(batch)
        full = False
        for entry in batch:
            if len(chosen) == first:
                full = True
                break
            if records[entry.id][0] == state_code:
                chosen.append((entry, records[entry.id]))
            end = entry.id
        if full:
            has_next = True
            break
        scanned += len(batch)
        if batch:
            position = batch[-1].id
        if not more:
            break
        if scanned >= scan_limit:
            has_next = True
            break
    return chosen, has_next, end


# --- applying changes on a mirror ----------------------------------------------------------------------

def _as_of(value):
    return parse_datetime(value) if value else None


def apply_change(record: dict | None, action: str, *, origin: str, state_code: str = "") -> bool:
    """Apply one change of the source's feed (its data) here; True when something changed.
    Must run inside the page's transaction."""
    if record is None:
        return False
    kind = record.get("type")
    if kind == "authority":
        if state_code and record["stateCode"] != state_code:
            return False
        return _apply_authority(record, origin)
    authority = Authority.objects.select_related("state").filter(identifier=record.get("authority")).first()
    if authority is None:
        if state_code:
            return False
        raise SyncError(f"change for the unknown authority {record.get('authority')!r}")
    _check_origin(authority, origin)
    if kind == "endpoint":
        return _apply_endpoint(record, authority, origin)
    if kind == "responsibility":
        if action == AuditAction.DELETED:
            return _delete_responsibility(record, authority)
        return _apply_responsibility(record, authority)
    raise SyncError(f"unknown type of change {kind!r}")


def _check_origin(authority: Authority, origin: str) -> None:
    if authority.origin != origin:
        raise SyncError(f"{authority.identifier} is a local entry of this node (or mirrored from "
                        f"{authority.origin}), not mirrored from {origin}; remove it or choose another source")


def _apply_authority(record: dict, origin: str) -> bool:
    state = State.objects.get(code=record["stateCode"])
    region = Region.objects.get(ars=record["ars"])
    authority = Authority.objects.select_for_update().filter(identifier=record["identifier"]).first()
    values = {"name": record["name"], "kind": record["kind"], "state_id": state.pk, "region_id": region.ars,
              "active": bool(record.get("active", True))}
    if authority is None:
        now = timezone.now()
        authority = Authority.objects.create(identifier=record["identifier"], origin=origin, created_at=now,
                                             updated_at=now, **values)
        audit.record("mirror_authority", authority, actor=MIRROR_ACTOR, action=AuditAction.CREATED,
                     after=services.authority_snapshot(authority))
        return True
    _check_origin(authority, origin)
    changes = {field: value for field, value in values.items() if getattr(authority, field) != value}
    if not changes:
        return False
    before = services.authority_snapshot(authority)
    for field, value in changes.items():
        setattr(authority, field, value)
    authority.updated_at = timezone.now()
    authority.save(update_fields=[*changes, "updated_at"])
    authority.refresh_from_db(fields=["state", "region"])
    audit.record("mirror_authority", authority, actor=MIRROR_ACTOR, before=before,
                 after=services.authority_snapshot(authority))
    return True


def _certificate_fields(pem: str) -> dict:
    pem = (pem or "").strip()
    if not pem:
        return {"certificate_pem": "", "certificate_subject": "", "certificate_issuer": "", "certificate_serial": "",
                "certificate_not_before": None, "certificate_not_after": None, "certificate_fingerprint_sha256": ""}
    try:
        info = parse_certificate(pem)
    except CertificateError as error:
        raise SyncError(f"an endpoint's certificate cannot be read: {error}") from None
    return {"certificate_pem": pem + "\n", "certificate_subject": info.subject[:500],
            "certificate_issuer": info.issuer[:500], "certificate_serial": info.serial[:64],
            "certificate_not_before": info.not_before, "certificate_not_after": info.not_after,
            "certificate_fingerprint_sha256": info.fingerprint_sha256}


def _apply_endpoint(record: dict, authority: Authority, origin: str) -> bool:
    values = {"authority_id": authority.pk, "kind": record["kind"], "address": record["address"],
              "destination_id": record.get("destinationId") or None, "service_uri": record.get("serviceUri") or "",
              "valid_from": _as_of(record.get("validFrom")), "valid_until": _as_of(record.get("validUntil")),
              "active": bool(record.get("active", True)), **_certificate_fields(record.get("certificatePem"))}
    endpoint = Endpoint.objects.select_for_update().filter(origin=origin, origin_key=record["key"]).first()
    if endpoint is None:
        endpoint = Endpoint.objects.create(origin=origin, origin_key=record["key"], **values)
        audit.record("mirror_endpoint", endpoint, actor=MIRROR_ACTOR, action=AuditAction.CREATED)
        return True
    if values["destination_id"] is not None:
        values["destination_id"] = uuid.UUID(str(values["destination_id"]))
    changes = {field: value for field, value in values.items() if getattr(endpoint, field) != value}
    if not changes:
        return False
    before = audit.snapshot(endpoint)
    for field, value in changes.items():
        setattr(endpoint, field, value)
    endpoint.save(update_fields=list(changes))
    audit.record("mirror_endpoint", endpoint, actor=MIRROR_ACTOR, before=before)
    return True


def _apply_responsibility(record: dict, authority: Authority) -> bool:
    service = LeikaService.objects.get(leika_key=record["leikaKey"])
    regions = list(Region.objects.filter(ars__in=record["ars"]))
    if len(regions) != len(set(record["ars"])):
        raise SyncError(f"unknown regions in the responsibility of {authority.identifier} for {record['leikaKey']}")
    responsibility, created = Responsibility.objects.get_or_create(
        authority=authority, service=service, defaults={"nationwide": bool(record.get("nationwide"))})
    before = None if created else services.responsibility_snapshot(responsibility)
    if not created and sorted(before["regions"]) == sorted(record["ars"]) \
            and responsibility.nationwide == bool(record.get("nationwide")):
        return False
    responsibility.regions.set(regions)
    if responsibility.nationwide != bool(record.get("nationwide")):
        responsibility.nationwide = bool(record.get("nationwide"))
        responsibility.save(update_fields=["nationwide"])
    audit.record("mirror_responsibility", responsibility, actor=MIRROR_ACTOR,
                 action=AuditAction.CREATED if created else AuditAction.UPDATED,
                 before=before, after=services.responsibility_snapshot(responsibility))
    return True


def _delete_responsibility(record: dict, authority: Authority) -> bool:
    responsibility = (Responsibility.objects.select_related("authority", "service")
                      .filter(authority=authority, service__leika_key=record.get("leikaKey")).first())
    if responsibility is None:
        return False
    before = services.responsibility_snapshot(responsibility)
    audit.record("mirror_responsibility", responsibility, actor=MIRROR_ACTOR, action=AuditAction.DELETED, before=before)
    responsibility.delete()
    return True


def apply_page(mirror: MirrorState, edges: list[dict], end_cursor: str | None) -> int:
    """Apply one page of the source's feed and move the cursor, in one transaction. Returns the
    number of changes that changed something here."""
    with transaction.atomic():
        services._serialize_directory_writes()
        state = MirrorState.objects.select_for_update().get(pk=mirror.pk)
        changed = 0
        for edge in edges:
            node = edge["node"]
            if apply_change(node.get("data"), node["action"], origin=state.source, state_code=state.state_code):
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
         on_page: Callable[[int, int, str], None] | None = None) -> tuple[MirrorState, int, int]:
    """Read the source's feed from the stored cursor to its end; (mirror, pages, changes)."""
    source = normalise_source(source)
    state_code = (state_code or "").upper()
    if state_code and not State.objects.filter(code=state_code).exists():
        raise SyncError(f"unknown state code {state_code!r}")
    mirror, _ = MirrorState.objects.get_or_create(source=source, state_code=state_code)
    pages = changes = 0
    while True:
        page = fetch_page(source, token, mirror.cursor, page_size, state_code)
        edges = page["edges"]
        end = page["pageInfo"]["endCursor"]
        if edges or (end and end != mirror.cursor):
            changes += len(edges)
            apply_page(mirror, edges, end)
            pages += 1
            if on_page:
                on_page(pages, len(edges), mirror.cursor)
        if not page["pageInfo"]["hasNextPage"]:
            return mirror, pages, changes


def follow(source: str, token: str, *, state_code: str = "", page_size: int = 100, min_wait: float = 1.0,
           max_wait: float = 60.0, on_page=None, on_wait: Callable[[float, str], None] | None = None,
           sleep=time.sleep) -> None:
    """Sync, then poll: the wait doubles (up to `max_wait`) while nothing changes or the source
    cannot be read, and drops back to `min_wait` after a change."""
    wait = min_wait
    while True:
        try:
            _, _, changes = sync(source, token, state_code=state_code, page_size=page_size, on_page=on_page)
            wait = min_wait if changes else min(max_wait, wait * 2)
            reason = f"{changes} changes"
        except SyncError as error:
            wait = min(max_wait, wait * 2)
            reason = str(error)
        if on_wait:
            on_wait(wait, reason)
        sleep(wait)


# --- digest ------------------------------------------------------------------------------------------

def digest_lines(state_code: str | None = None) -> Iterable[str]:
    authorities = Authority.objects.select_related("state").order_by("identifier")
    endpoints = Endpoint.objects.select_related("authority")
    responsibilities = Responsibility.objects.select_related("authority", "service").prefetch_related("regions")
    if state_code:
        authorities = authorities.filter(state__code=state_code)
        endpoints = endpoints.filter(authority__state__code=state_code)
        responsibilities = responsibilities.filter(authority__state__code=state_code)
    for authority in authorities:
        yield _canonical(authority_record(authority))
    rows = []
    for endpoint in endpoints:
        record = endpoint_record(endpoint)
        record["certificatePem"] = endpoint.certificate_fingerprint_sha256  # the PEM's identity, not its wrapping
        rows.append(_canonical(record))
    yield from sorted(rows)
    yield from sorted(_canonical(responsibility_record(item)) for item in responsibilities)


def _canonical(data: dict) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def digest(state_code: str | None = None) -> tuple[str, int]:
    """(SHA-256 hex of the canonical lines, number of lines)."""
    sha = hashlib.sha256()
    count = 0
    for line in digest_lines(state_code):
        sha.update(line.encode() + b"\n")
        count += 1
    return sha.hexdigest(), count
