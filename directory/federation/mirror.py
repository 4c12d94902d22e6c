"""This node as a read-only mirror of another node's directory (DVDV's model: one write
master, read-only state servers), which checks what it copies (docs/federation.md, "Trust").

`sync(...)` reads the source's change feed (`directoryChanges`, directory.federation.feed) over
HTTP with a gateway token, **verifies each page** against the keys this node trusts for the
source (directory.federation.trust) and applies it in one transaction together with the cursor
(`MirrorState`), so an interrupted sync resumes where the last committed page ended; applying is
idempotent (upserts by identifier, by the source's endpoint id, by authority and LeiKa key). A
page that is unsigned, altered, replayed, expired or signed by a key not trusted here is refused:
nothing of it is applied, the cursor stays, the refusal is recorded on the mirror's state with an
audit row, and `PageRefused` says why.

Each applied change writes an audit row (actor `MIRROR_ACTOR` when the command syncs), so the
mirror's own feed works and the routing cache's change counter moves. Mirrored entries carry
their origin (the source URL); `directory.rules.refuse_mirrored` keeps the services and the
import from writing them.

So that the mirror answers routing questions as its source does, it also copies
- the **destination signatures** the source made for its FIT-Connect endpoints (each page carries
  them; `Endpoint.relayed_signatures`, served by the mirror's routing API unchanged: a mirror
  never signs in its source's name). When the source's signing key changes, the mirror reads the
  feed once more from its beginning, a few pages per run, to renew them (`renewal_until`);
- the **route services** (`directoryRouteServices`): the online services routing names and the
  states connected to them (online services through the store's services, connections as
  `MirroredConnection`), read when their signed digest changes.
"""
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from fitstore import audit, signing
from fitstore.choices import AuditAction
from store import services as store_services
from store.models import LeikaService, OnlineService

from ..certificates import CertificateError, parse_certificate
from ..models import Authority, Endpoint, MirroredConnection, MirrorState, Region, Responsibility, State, TrustedKeySet
from ..rules import certificate_fields
from ..services import authority_snapshot, responsibility_snapshot, serialize_directory_writes
from . import feed, remote
from .remote import SyncError, TrustError, normalise_source
from .trust import Confirm, Notice, establish_trust, renew_trust

__all__ = ["MIRROR_ACTOR", "PageRefused", "SyncError", "TrustError", "VerifiedPage", "apply_page", "follow",
           "normalise_source", "sync"]

MIRROR_ACTOR = "mirror"
RENEWAL_PAGES = 5  # pages of a signature renewal read per run, after the new changes

# What the operator can do about a refused page, by the reason's code.
_ACTION = {
    "UNSIGNED": "The source serves pages without signature (update it), or something between the nodes strips it",
    "ALTERED": "Something between the nodes (a proxy, a TLS-terminating gateway) altered the page; check the path "
               "to the source",
    "BAD_SIGNATURE": "Something between the nodes altered the page; check the path to the source",
    "MISMATCH": "The page does not answer the question asked (replayed, or a misrouted request); check the path to "
                "the source",
    "EXPIRED": "The page is older than its validity: check both machines' clocks (NTP) and the path to the source",
    "NOT_YET_VALID": "Check both machines' clocks (NTP)",
    "UNKNOWN_KEY": "The source signs with a key it does not publish; check the path to the source, or ask its "
                   "operator",
    "WRONG_TYPE": "The signature is not a page's; check the path to the source",
    "MALFORMED": "The signature is unreadable; check the path to the source",
}


class PageRefused(SyncError):
    """What the source sent did not verify: nothing of it was applied. `code` as
    directory.federation.feed.StatementRefused's."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


@dataclass
class VerifiedPage:
    """A page of the source's feed whose signature held, with the keys it held against."""

    edges: list[dict]
    end_cursor: str | None
    has_next: bool
    kid: str
    keys: list[dict]


# --- applying changes on a mirror ----------------------------------------------------------------------

def _as_of(value):
    return parse_datetime(value) if value else None


def _apply_change(record: dict | None, action: str, signatures: dict | None, *, origin: str, state_code: str,
                  keys: list[dict], actor) -> bool:
    """Apply one change of the source's feed (its data and the destination signatures it carries)
    here; True when something changed. Runs inside the page's transaction."""
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
        return _apply_endpoint(record, authority, origin, _checked_signatures(signatures, keys), actor)
    if kind == "responsibility":
        if action == AuditAction.DELETED:
            changed = _delete_responsibility(record, authority, actor)
            return _relay_for_responsibility(authority, record.get("leikaKey"), {}, origin, actor) or changed
        changed = _apply_responsibility(record, authority, actor)
        return _relay_for_responsibility(authority, record["leikaKey"], _checked_signatures(signatures, keys), origin,
                                         actor) or changed
    raise SyncError(f"unknown type of change {kind!r}")


def _checked_signatures(signatures, keys: list[dict]) -> dict:
    """The destination signatures a change carries, each verified against the source's keys:
    a mirror relays only what its source signed."""
    if not signatures:
        return {}
    if not isinstance(signatures, dict):
        raise PageRefused("MALFORMED", "its destination signatures are not an object")
    for name, token in signatures.items():
        try:
            signing.verify(token, keys)
        except signing.SignatureError as error:
            raise PageRefused(error.code, f"a destination signature it relays ({name}) does not hold: {error}") from None
    return signatures


def _same_statement(first: str | None, second: str | None) -> bool:
    """Two JWS with the same header and payload (PS512 signs with a random salt)."""
    return bool(first and second) and first.split(".")[:2] == second.split(".")[:2]


def _kept(stored: dict, fresh: dict) -> dict:
    """`fresh`, keeping a stored signature where it states the same: unchanged signatures write nothing."""
    return {name: stored[name] if _same_statement(stored.get(name), token) else token for name, token in fresh.items()}


def _relay_for_responsibility(authority: Authority, leika_key: str | None, signatures: dict, origin: str,
                              actor) -> bool:
    """Set (or, where none is sent, drop) the relayed signatures of the authority's mirrored
    endpoints for one LeiKa key; one audit row per endpoint that changed."""
    changed = False
    for endpoint in Endpoint.objects.select_for_update().filter(authority=authority, origin=origin).order_by("id"):
        relayed = dict(endpoint.relayed_signatures or {})
        token = signatures.get(endpoint.origin_key)
        if token is None:
            relayed.pop(leika_key, None)
        elif not _same_statement(relayed.get(leika_key), token):
            relayed[leika_key] = token
        if relayed != (endpoint.relayed_signatures or {}):
            changed |= _changed(endpoint, {"relayed_signatures": relayed}, "mirror_endpoint", actor=actor)
    return changed


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


def _apply_endpoint(record: dict, authority: Authority, origin: str, signatures: dict, actor) -> bool:
    values = {"authority_id": authority.pk, "kind": record["kind"], "address": record["address"],
              "destination_id": record.get("destinationId") or None, "service_uri": record.get("serviceUri") or "",
              "valid_from": _as_of(record.get("validFrom")), "valid_until": _as_of(record.get("validUntil")),
              "active": bool(record.get("active", True)), **_certificate_fields(record.get("certificatePem"))}
    endpoint = Endpoint.objects.select_for_update().filter(origin=origin, origin_key=record["key"]).first()
    values["relayed_signatures"] = _kept(endpoint.relayed_signatures if endpoint else {}, signatures)
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


def apply_page(mirror: MirrorState, page: VerifiedPage, *, actor) -> int:
    """Apply one verified page of the source's feed and move the cursor, in one transaction: one
    audit row per object a change changed here. Returns the number of changes that changed
    something. When the key that signed the page is not the one that signed the last, the
    signatures relayed so far are renewed (`renewal_until`, see `sync`)."""
    with transaction.atomic():
        serialize_directory_writes()
        state = MirrorState.objects.select_for_update().get(pk=mirror.pk)
        changed = 0
        for edge in page.edges:
            node = edge["node"]
            if _apply_change(node.get("data"), node["action"], node.get("destinationSignatures"), origin=state.source,
                             state_code=state.state_code, keys=page.keys, actor=actor):
                changed += 1
        if page.kid != state.signing_kid and state.cursor:  # a new key, or a mirror from before signed pages
            state.renewal_until = max(state.cursor, state.renewal_until or "0", key=int)
            state.renewal_cursor = ""
        state.signing_kid = page.kid
        if page.end_cursor:
            state.cursor = page.end_cursor
        state.changes_applied += changed
        state.last_synced_at = timezone.now()
        state.save(update_fields=["cursor", "changes_applied", "last_synced_at", "signing_kid", "renewal_until",
                                  "renewal_cursor"])
    _copy_state(state, mirror)
    return changed


def _copy_state(source: MirrorState, target: MirrorState) -> None:
    for field in ("cursor", "changes_applied", "last_synced_at", "signing_kid", "renewal_until", "renewal_cursor",
                  "route_services_digest", "last_refusal", "last_refused_at"):
        setattr(target, field, getattr(source, field))


def _relay_page(mirror: MirrorState, page: VerifiedPage, *, actor) -> int:
    """A page read again to renew the relayed signatures (nothing else of it is applied: its
    records are the objects as they are now, and the feed's later changes were applied already)."""
    with transaction.atomic():
        serialize_directory_writes()
        state = MirrorState.objects.select_for_update().get(pk=mirror.pk)
        changed = 0
        for edge in page.edges:
            node = edge["node"]
            record = node.get("data") or {}
            authority = Authority.objects.filter(identifier=record.get("authority"), origin=state.source).first()
            if authority is None:
                continue
            signatures = _checked_signatures(node.get("destinationSignatures"), page.keys)
            if record.get("type") == "endpoint":
                endpoint = Endpoint.objects.select_for_update().filter(origin=state.source,
                                                                       origin_key=record.get("key")).first()
                if endpoint is not None:
                    relayed = _kept(endpoint.relayed_signatures or {}, signatures)
                    changed += _changed(endpoint, {"relayed_signatures": relayed}, "mirror_endpoint", actor=actor)
            elif record.get("type") == "responsibility" and "ars" in record and \
                    Responsibility.objects.filter(authority=authority, service__leika_key=record["leikaKey"]).exists():
                changed += _relay_for_responsibility(authority, record["leikaKey"], signatures, state.source, actor)
        end = page.end_cursor or state.renewal_cursor
        if not page.has_next or int(end or 0) >= int(state.renewal_until):
            state.renewal_until = state.renewal_cursor = ""
        else:
            state.renewal_cursor = end
        state.save(update_fields=["renewal_until", "renewal_cursor"])
    _copy_state(state, mirror)
    return changed


@transaction.atomic
def record_refusal(mirror: MirrorState, reason: str, *, actor) -> None:
    """Note on the mirror's state that what the source sent was refused, and why (an audit row)."""
    state = MirrorState.objects.select_for_update().get(pk=mirror.pk)
    before = audit.snapshot(state)
    state.last_refusal, state.last_refused_at = reason[:2000], timezone.now()
    state.save(update_fields=["last_refusal", "last_refused_at"])
    audit.record("refuse_directory_page", state, actor=actor, before=before, note=reason)
    _copy_state(state, mirror)


def _apply_route_services(mirror: MirrorState, online_services: list[dict], digest: str, *, actor) -> int:
    """Bring the online services routing names and the states connected to them (at this source)
    to what the source sent; one audit row per online service or connection changed."""
    changed = 0
    with transaction.atomic():
        wanted: set[tuple[str, int]] = set()
        for item in online_services:
            online_service, touched = _mirror_online_service(item, actor)
            changed += touched
            wanted |= {(code, online_service.pk) for code in item.get("connectedStates") or []}
        existing = {(connection.state.code, connection.online_service_id): connection
                    for connection in MirroredConnection.objects.filter(origin=mirror.source)
                    .select_related("state", "online_service")}
        states = {state.code: state for state in State.objects.filter(code__in={code for code, _ in wanted})}
        for code, online_service_id in sorted(wanted - set(existing)):
            if code not in states:
                raise SyncError(f"the route services name the unknown state {code!r}")
            connection = MirroredConnection.objects.create(origin=mirror.source, state=states[code],
                                                           online_service_id=online_service_id)
            audit.record("mirror_connection", connection, actor=actor, action=AuditAction.CREATED)
            changed += 1
        for key in sorted(set(existing) - wanted):
            connection = existing[key]
            audit.record("mirror_connection", connection, actor=actor, action=AuditAction.DELETED,
                         before=audit.snapshot(connection))
            connection.delete()
            changed += 1
        MirrorState.objects.filter(pk=mirror.pk).update(route_services_digest=digest)
        mirror.route_services_digest = digest
    return changed


def _mirror_online_service(item: dict, actor) -> tuple[OnlineService, bool]:
    """The online service of the source's route services here, registered or brought to the
    source's name, provider state and LeiKa keys through the store's services."""
    leika = list(LeikaService.objects.filter(leika_key__in=item.get("leikaKeys") or []).values_list("pk", flat=True))
    online_service = OnlineService.objects.filter(slug=item.get("slug")).first()
    try:
        if online_service is None:
            return store_services.register_online_service(
                slug=item["slug"], name=item["name"], provider_state=item["providerState"], services=leika,
                actor=actor), True
        return online_service, store_services.update_online_service(
            online_service, name=item["name"], provider_state=item["providerState"], services=leika, actor=actor)
    except (KeyError, ValidationError) as error:
        raise SyncError(f"the online service {item.get('slug')!r} of the route services cannot be copied: "
                        f"{'; '.join(getattr(error, 'messages', [str(error)]))}") from None


# --- reading the source ------------------------------------------------------------------------------

CHANGES_QUERY = """
query MirrorChanges($after: String, $first: Int, $state: String) {
  directoryChanges(after: $after, first: $first, state: $state) {
    signature
    pageInfo { hasNextPage endCursor }
    edges { cursor node { objectType objectId action at data destinationSignatures } }
  }
}
"""
ROUTE_SERVICES_QUERY = """
query MirrorRouteServices($known: String) {
  directoryRouteServices(known: $known) { digest onlineServices signature }
}
"""


def fetch_page(source: str, token: str, after: str | None, first: int, state_code: str, timeout: float = 30) -> dict:
    return remote.graphql(source, token, CHANGES_QUERY,
                          {"after": after or None, "first": first, "state": state_code or None}, "directoryChanges",
                          timeout)


class _Session:
    """One run of `sync`: the source, its trusted keys, and what to do when they do not suffice."""

    def __init__(self, mirror: MirrorState, token: str, trust: TrustedKeySet, *, confirm, notice, actor):
        self.mirror, self.token, self.trust = mirror, token, trust
        self.confirm, self.notice, self.actor = confirm, notice, actor

    def checked(self, what: str, check: Callable[[list[dict]], tuple[dict, dict]]) -> tuple[dict, dict]:
        """`check(keys)`, again after reading the source's key set when it names a key not trusted
        here; a refusal is recorded and raised as PageRefused."""
        try:
            try:
                return check(self.trust.keys)
            except feed.StatementRefused as error:
                if error.code != "UNKNOWN_KEY":
                    raise
                renewed = renew_trust(self.trust, confirm=self.confirm, notice=self.notice, actor=self.actor)
                if renewed.keys == self.trust.keys:
                    raise
                self.trust = renewed
                if self.notice:
                    self.notice(f"trusting the source's new key set ({renewed.get_basis_display()})")
                return check(self.trust.keys)
        except feed.StatementRefused as error:
            reason = (f"refused {what} from {self.mirror.source}: {error}; nothing of it was applied. "
                      f"{_ACTION.get(error.code, '')}".strip())
            record_refusal(self.mirror, reason, actor=self.actor)
            raise PageRefused(error.code, reason) from None
        except TrustError as error:
            reason = f"refused {what} from {self.mirror.source}: it is signed with a key not trusted here. {error}"
            record_refusal(self.mirror, reason, actor=self.actor)
            raise TrustError(reason) from None

    def page(self, after: str | None, page_size: int) -> VerifiedPage:
        page = fetch_page(self.mirror.source, self.token, after, page_size, self.mirror.state_code)
        what = f"the page after cursor {after or '0'}"
        header, _claims = self.checked(what, lambda keys: feed.verify_page(page, keys, after=after,
                                                                           state_code=self.mirror.state_code))
        info = page.get("pageInfo") or {}
        return VerifiedPage(edges=page.get("edges") or [], end_cursor=info.get("endCursor"),
                            has_next=bool(info.get("hasNextPage")), kid=header["kid"], keys=self.trust.keys)

    def apply_or_refuse(self, apply: Callable[[], int], what: str) -> int:
        """Run `apply` (a page's transaction); a relayed signature that does not hold refuses the page."""
        try:
            return apply()
        except PageRefused as error:
            reason = f"refused {what} from {self.mirror.source}: {error}; nothing of it was applied."
            record_refusal(self.mirror, reason, actor=self.actor)
            raise PageRefused(error.code, reason) from None

    def route_services(self) -> int:
        known = self.mirror.route_services_digest or None
        answer = remote.graphql(self.mirror.source, self.token, ROUTE_SERVICES_QUERY, {"known": known},
                                "directoryRouteServices")
        self.checked("the route services", lambda keys: feed.verify_route_services(answer, keys))
        if answer["digest"] == self.mirror.route_services_digest:
            return 0
        if answer.get("onlineServices") is None:
            raise SyncError("the source left out its route services although they changed")
        return _apply_route_services(self.mirror, answer["onlineServices"], answer["digest"], actor=self.actor)


def sync(source: str, token: str, *, state_code: str = "", page_size: int = 100, anchor_path: str | None = None,
         confirm: Confirm | None = None, notice: Notice | None = None,
         on_page: Callable[[int, int, str], None] | None = None, actor) -> tuple[MirrorState, int, int]:
    """Read the source's feed from the stored cursor to its end, verifying every page against the
    keys trusted for the source (trust.establish_trust: `anchor_path`, or the operator's
    `confirm()` on first contact); then its route services, then a few pages of a pending renewal
    of relayed signatures. (mirror, pages, changes)."""
    source = normalise_source(source)
    state_code = (state_code or "").upper()
    if state_code and State.objects.by_code(state_code) is None:
        raise SyncError(f"unknown state code {state_code!r}")
    mirror, _ = MirrorState.objects.get_or_create(source=source, state_code=state_code)
    trust = establish_trust(source, anchor_path=anchor_path, confirm=confirm, notice=notice, actor=actor)
    session = _Session(mirror, token, trust, confirm=confirm, notice=notice, actor=actor)
    pages = changes = 0
    while True:
        page = session.page(mirror.cursor, page_size)
        if page.edges or (page.end_cursor and page.end_cursor != mirror.cursor) or page.kid != mirror.signing_kid:
            changes += len(page.edges)
            session.apply_or_refuse(lambda: apply_page(mirror, page, actor=actor),
                                    f"the page after cursor {mirror.cursor or '0'}")
            pages += 1
            if on_page:
                on_page(pages, len(page.edges), mirror.cursor)
        if not page.has_next:
            break
    changes += session.route_services()
    for _ in range(RENEWAL_PAGES):
        if not mirror.renewal_until:
            break
        page = session.page(mirror.renewal_cursor or None, page_size)
        session.apply_or_refuse(lambda: _relay_page(mirror, page, actor=actor),
                                f"the page after cursor {mirror.renewal_cursor or '0'} (renewing signatures)")
    return mirror, pages, changes


def follow(source: str, token: str, *, state_code: str = "", page_size: int = 100, min_wait: float = 1.0,
           max_wait: float = 8.0, anchor_path: str | None = None, confirm: Confirm | None = None,
           notice: Notice | None = None, on_page=None, on_wait: Callable[[float, str], None] | None = None,
           sleep=time.sleep, actor) -> None:
    """Sync, then poll: the wait doubles (up to `max_wait`) while nothing changes or the source
    cannot be read or sends what does not verify, and drops back to `min_wait` after a change.
    Stops (TrustError) when the source's keys need the operator."""
    wait = min_wait
    while True:
        try:
            _, _, changes = sync(source, token, state_code=state_code, page_size=page_size, anchor_path=anchor_path,
                                 confirm=confirm, notice=notice, on_page=on_page, actor=actor)
            wait = min_wait if changes else min(max_wait, wait * 2)
            reason = f"{changes} changes"
        except TrustError:
            raise
        except SyncError as error:
            wait = min(max_wait, wait * 2)
            reason = str(error)
        if on_wait:
            on_wait(wait, reason)
        sleep(wait)
