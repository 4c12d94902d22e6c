"""What this node publishes of its directory's changes: the records of the change feed
(`directoryChanges`, read from the audit log), which mirrors and webhooks deliver, the content
digest that shows two nodes hold the same directory, and the signatures over them that let a
mirror check what it copies (docs/federation.md, "Trust").

- `change_records(entries)` gives each change of the feed the data a mirror needs: the object as
  it is now, in the exchange format (directory.federation.exchange), or for a deleted
  responsibility its key. Mirrors converge on the source's current state; a change to an object
  deleted since carries no data and is skipped (its deletion follows in the feed).
- `feed_page(...)` is one page of the feed, for all of the directory or one state's part;
  `destination_signatures(records)` the FIT-Connect `destinationSignature`s a mirror relays with it.
- `sign_page` / `verify_page`: a page's JWS over its cursor range and the SHA-256 of its changes
  in canonical JSON (PAGE_TYPE); `route_services()` with `sign_route_services` /
  `verify_route_services`: what routing reads of reuse, for mirrors (ROUTE_SERVICES_TYPE).
- `digest(state_code)`: SHA-256 over authorities, endpoints and responsibilities in canonical
  order, without ids, timestamps and origin; `sign_digest` / `verify_digest` (DIGEST_TYPE).
"""
import hashlib
import time
from collections.abc import Iterable

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from fitstore import signing
from fitstore.choices import AuditAction
from fitstore.models import AuditEntry
from store import extensions
from store.models import OnlineService

from ..choices import EndpointKind
from ..fitconnect import destination_signature, responsibility_areas
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


def destination_signatures(records: list[dict | None]) -> list[dict | None]:
    """For each record of a page (as `change_records` gives them), the `destinationSignature`s a
    mirror relays (fitconnect.destination_signature): an endpoint's per LeiKa key of its authority's
    responsibilities, a responsibility's per FIT-Connect endpoint (by its `key`) of its authority;
    None for other records. A constant number of queries."""
    identifiers = {record["authority"] for record in records
                   if record and record.get("type") in ("endpoint", "responsibility")}
    if not identifiers:
        return [None] * len(records)
    endpoints: dict[str, list[Endpoint]] = {}
    for endpoint in (Endpoint.objects.filter(authority__identifier__in=identifiers, kind=EndpointKind.FIT_CONNECT,
                                             active=True, destination_id__isnull=False)
                     .select_related("authority").order_by("id")):
        endpoints.setdefault(endpoint.authority.identifier, []).append(endpoint)
    responsibilities: dict[str, list[tuple[str, list[str]]]] = {}
    for responsibility in (Responsibility.objects.filter(authority__identifier__in=set(endpoints))
                           .select_related("authority", "service").prefetch_related("regions")):
        responsibilities.setdefault(responsibility.authority.identifier, []).append(
            (responsibility.service.leika_key, responsibility_areas([region.ars for region in responsibility.regions.all()])))
    key = signing.current_key() if any(not endpoint.origin for found in endpoints.values() for endpoint in found) else None
    signed = []
    for record in records:
        kind = record and record.get("type")
        if kind == "endpoint":
            endpoint = next((item for item in endpoints.get(record["authority"], []) if str(item.pk) == record["key"]), None)
            pairs = [(leika_key, destination_signature(endpoint, leika_key, areas, key))
                     for leika_key, areas in responsibilities.get(record["authority"], [])] if endpoint else []
        elif kind == "responsibility" and "ars" in record:
            areas = responsibility_areas(record["ars"])
            pairs = [(str(endpoint.pk), destination_signature(endpoint, record["leikaKey"], areas, key))
                     for endpoint in endpoints.get(record["authority"], [])]
        else:
            signed.append(None)
            continue
        signed.append({name: token for name, token in pairs if token is not None})
    return signed


# --- signed statements: pages of the feed, route services, digests -------------------------------------

PAGE_TYPE = "fitstore-directory-page+jwt"
ROUTE_SERVICES_TYPE = "fitstore-route-services+jwt"
DIGEST_TYPE = "fitstore-directory-digest+jwt"
# The fields of a change that a page's signature covers, as `directoryChanges` serves them.
SIGNED_FIELDS = ("objectType", "objectId", "action", "at", "data", "destinationSignatures")


class StatementRefused(ValueError):
    """A signed statement that does not hold. `code`: UNSIGNED, ALTERED, MISMATCH, or a
    fitstore.signing.SignatureError's code (UNKNOWN_KEY, BAD_SIGNATURE, EXPIRED, …)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def signed_changes(edges: list[dict]) -> list[dict]:
    """The changes of a page as its signature covers them, from its edges as served
    ({cursor, node: {...}}): a field the client did not ask for counts as null."""
    return [{"cursor": edge.get("cursor"), **{name: (edge.get("node") or {}).get(name) for name in SIGNED_FIELDS}}
            for edge in edges]


def _validity() -> dict:
    now = int(time.time())
    return {"iss": settings.DIRECTORY_ISSUER, "iat": now, "exp": now + settings.DIRECTORY_STATEMENT_SECONDS}


def sign_page(*, after: str | None, state_code: str | None, end_cursor: str | None, has_next: bool,
              edges: list[dict]) -> str:
    """The JWS of one page of the feed: the question (after, state), its answer's cursor range
    (endCursor, hasNextPage) and the SHA-256 of its changes; valid DIRECTORY_STATEMENT_SECONDS."""
    claims = {**_validity(), "after": after or None, "state": state_code or None, "endCursor": end_cursor or None,
              "hasNextPage": bool(has_next), "changes": signing.content_sha256(signed_changes(edges))}
    return signing.sign(claims, typ=PAGE_TYPE)


def _verified(token, keys, typ: str) -> tuple[dict, dict]:
    if not token:
        raise StatementRefused("UNSIGNED", "it carries no signature")
    try:
        return signing.verify(token, keys, typ=typ)
    except signing.SignatureError as error:
        raise StatementRefused(error.code, str(error)) from None


def verify_page(page: dict, keys: list[dict], *, after: str | None, state_code: str | None) -> tuple[dict, dict]:
    """(header, claims) of a page of `directoryChanges` as received ({signature, pageInfo, edges}),
    checked against `keys` and the question asked; StatementRefused when it does not hold."""
    header, claims = _verified(page.get("signature"), keys, PAGE_TYPE)
    info = page.get("pageInfo") or {}
    asked = {"after": after or None, "state": state_code or None}
    answered = {"after": claims.get("after"), "state": claims.get("state")}
    if answered != asked:
        raise StatementRefused("MISMATCH", f"it answers {answered}, not the question asked, {asked} (a replayed page)")
    if (claims.get("endCursor"), claims.get("hasNextPage")) != (info.get("endCursor") or None,
                                                                 bool(info.get("hasNextPage"))):
        raise StatementRefused("ALTERED", "its cursor range differs from the signed one")
    if claims.get("changes") != signing.content_sha256(signed_changes(page.get("edges") or [])):
        raise StatementRefused("ALTERED", "its changes differ from the signed ones")
    return header, claims


def route_services() -> list[dict]:
    """What routing reads of reuse (store.extensions.ReuseQueries.online_service_for), for
    mirrors: each online service that implements LeiKa services, with its name, provider state,
    LeiKa keys and the states connected to it, by slug. Three queries."""
    online_services = (OnlineService.objects.filter(services__isnull=False).distinct()
                       .select_related("provider_state").prefetch_related("services").order_by("slug"))
    connected = extensions.reuse().connected_state_codes(online_services)
    return [{"slug": item.slug, "name": item.name, "providerState": item.provider_state.code,
             "leikaKeys": sorted(service.leika_key for service in item.services.all()),
             "connectedStates": sorted(connected.get(item.pk, ()))} for item in online_services]


def sign_route_services(digest_value: str) -> str:
    return signing.sign({**_validity(), "digest": digest_value}, typ=ROUTE_SERVICES_TYPE)


def verify_route_services(answer: dict, keys: list[dict]) -> tuple[dict, dict]:
    """(header, claims) of a `directoryRouteServices` answer ({digest, onlineServices, signature});
    the list, where sent, must be the one the signed digest names."""
    header, claims = _verified(answer.get("signature"), keys, ROUTE_SERVICES_TYPE)
    if claims.get("digest") != answer.get("digest"):
        raise StatementRefused("ALTERED", "its digest differs from the signed one")
    if answer.get("onlineServices") is not None and \
            signing.content_sha256(answer["onlineServices"]) != claims["digest"]:
        raise StatementRefused("ALTERED", "its online services differ from the signed ones")
    return header, claims


def sign_digest(state_code: str | None = None) -> tuple[str, int, str]:
    """(digest, entries, JWS) of the directory (or a state's part): a statement another node checks
    with `verify_digest` against this node's keys."""
    value, count = digest(state_code)
    claims = {"iss": settings.DIRECTORY_ISSUER, "iat": int(time.time()), "state": state_code or None,
              "entries": count, "sha256": value}
    return value, count, signing.sign(claims, typ=DIGEST_TYPE)


def verify_digest(token: str, keys: list[dict]) -> tuple[dict, dict]:
    return _verified(token.strip(), keys, DIGEST_TYPE)


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
    return signing.canonical_json(data).decode()


def digest(state_code: str | None = None) -> tuple[str, int]:
    """(SHA-256 hex of the canonical lines, number of lines)."""
    sha = hashlib.sha256()
    count = 0
    for line in digest_lines(state_code):
        sha.update(line.encode() + b"\n")
        count += 1
    return sha.hexdigest(), count
