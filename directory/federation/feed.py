"""What this node publishes of its directory's changes: the records of the change feed
(`directoryChanges`, read from the audit log), which mirrors and webhooks deliver, and the
content digest that shows two nodes hold the same directory.

- `change_records(entries)` gives each change of the feed the data a mirror needs: the object as
  it is now, in the exchange format (directory.federation.exchange), or for a deleted
  responsibility its key. Mirrors converge on the source's current state; a change to an object
  deleted since carries no data and is skipped (its deletion follows in the feed).
- `feed_page(...)` is one page of the feed, for all of the directory or one state's part.
- `digest(state_code)`: SHA-256 over authorities, endpoints and responsibilities in canonical
  order, without ids, timestamps and origin.
"""
import hashlib
import json
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType

from fitstore.choices import AuditAction
from fitstore.models import AuditEntry

from ..models import Authority, Endpoint, Responsibility

DIRECTORY_MODELS = (Authority, Endpoint, Responsibility)


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
