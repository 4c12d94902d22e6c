"""The directory's exchange format (JSON Lines, ../shared/contract/README.md): one object per
line with the fields of the mutations' inputs and `type` first.

    {"type": "authority", "identifier", "name", "stateCode", "ars", "kind"}
    {"type": "endpoint", "authority", "kind", "address", "destinationId", "serviceUri", "certificatePem"}
    {"type": "responsibility", "authority", "leikaKey", "ars": [...]}   (+ "nationwide": true, federal only)

`export_lines` writes a state's (or the whole) directory in a stable order; `import_lines` is all
or nothing: every line is checked with the services' rules and messages, every error is
collected with its line number, and any error writes nothing; then everything is written in bulk
inside one transaction, with one audit row per changed object as the services write them (the
change feed). Authorities are upserted by identifier, endpoints by (authority, kind, address),
responsibilities add their regions, so importing the same file twice changes nothing.
"""
import copy
import json
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Prefetch
from django.utils import timezone
from graphene.utils.str_converters import to_camel_case

from fitstore import audit, search
from fitstore.choices import AuditAction
from fitstore.errors import field_error
from fitstore.middleware import current_request, current_request_id
from fitstore.models import AuditEntry
from store.models import LeikaService

from .. import rules
from ..error_codes import DirectoryErrorCode as Code
from ..models import Authority, Endpoint, Region, Responsibility, State
from ..routing import bump_change_counter
from ..services import authority_snapshot, responsibility_snapshot, serialize_directory_writes
from .feed import authority_record, endpoint_record, responsibility_record

FIELDS = {
    "authority": ("identifier", "name", "stateCode", "ars", "kind"),
    "endpoint": ("authority", "kind", "address", "destinationId", "serviceUri", "certificatePem"),
    "responsibility": ("authority", "leikaKey", "ars"),
}
OPTIONAL = {"endpoint": {"destinationId", "serviceUri", "certificatePem"}, "responsibility": {"nationwide"}}
ORDER = {"authority": 0, "endpoint": 1, "responsibility": 2}


def export_lines(state_code: str | None = None) -> Iterator[str]:
    """The directory as JSON Lines: each active authority, its active endpoints, its
    responsibilities; ordered by identifier, kind and address, LeiKa key. Constant queries."""
    authorities = (
        Authority.objects.filter(active=True).select_related("state").order_by("identifier")
        .prefetch_related(
            Prefetch("endpoints", queryset=Endpoint.objects.filter(active=True).order_by("kind", "address", "id")),
            Prefetch("responsibilities", queryset=Responsibility.objects.select_related("service")
                     .prefetch_related("regions").order_by("service__leika_key")),
        )
    )
    if state_code:
        authorities = authorities.filter(state__code=state_code.upper())
    for authority in authorities:
        yield _line(authority_record(authority))
        for endpoint in authority.endpoints.all():
            endpoint.authority = authority
            yield _line(endpoint_record(endpoint))
        for responsibility in authority.responsibilities.all():
            responsibility.authority = authority
            yield _line(responsibility_record(responsibility))


def _line(record: dict) -> str:
    """A record of the change feed as a line of the exchange format: its fields, in their order
    (`nationwide` only where it holds)."""
    kind = record["type"]
    line = {"type": kind, **{name: record[name] for name in FIELDS[kind]}}
    if record.get("nationwide"):
        line["nationwide"] = True
    return _dumps(line)


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))


@dataclass
class ImportResult:
    lines: int = 0
    created: Counter = field(default_factory=Counter)
    changed: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # "line 3: ars: …"
    search_seconds: float = 0.0  # updating the search indexes after the commit

    def summary(self) -> str:
        plural = {"authority": "authorities", "endpoint": "endpoints", "responsibility": "responsibilities"}
        parts = [f"{plural[kind]} {self.created[kind]} new, {self.changed[kind]} changed, "
                 f"{self.unchanged[kind]} unchanged" for kind in ORDER]
        return f"{self.lines} lines: " + "; ".join(parts)


class ImportFailed(Exception):
    def __init__(self, result: ImportResult):
        super().__init__("\n".join(result.errors))
        self.result = result


def parse_lines(lines: Iterable[str], result: ImportResult) -> list[tuple[int, dict]]:
    """The records with their line numbers; structural errors go to `result.errors`."""
    records = []
    for number, text in enumerate(lines, start=1):
        result.lines = number
        if not text.strip():
            continue
        try:
            data = json.loads(text)
        except ValueError as error:
            result.errors.append(f"line {number}: not JSON ({error.msg})")
            continue
        if not isinstance(data, dict) or data.get("type") not in FIELDS:
            result.errors.append(f"line {number}: type must be one of {', '.join(FIELDS)}")
            continue
        kind = data["type"]
        missing = [name for name in FIELDS[kind] if name not in data and name not in OPTIONAL.get(kind, set())]
        unknown = sorted(set(data) - set(FIELDS[kind]) - OPTIONAL.get(kind, set()) - {"type"})
        wrong = [name for name in FIELDS[kind] if name in data and name != "ars" and not isinstance(data[name], str)]
        if kind == "responsibility" and not (isinstance(data.get("ars"), list)
                                             and all(isinstance(key, str) for key in data["ars"])):
            wrong.append("ars")
        if kind == "authority" and "ars" in data and not isinstance(data["ars"], str):
            wrong.append("ars")
        for problem, names in (("missing", missing), ("unknown field", unknown), ("wrong type of", wrong)):
            if names:
                result.errors.append(f"line {number}: {problem} {', '.join(names)}")
        if not (missing or unknown or wrong):
            records.append((number, data))
    return records


def import_lines(lines: Iterable[str], *, actor, progress: Callable[[int], None] | None = None) -> ImportResult:
    """Import the lines, all or nothing; ImportFailed (naming the line numbers) on any error.

    A bulk path with the services' rules: every line is validated in Python against the states,
    regions and LeiKa keys read once (the services' own checks and messages), nothing is
    written while any line is wrong, then authorities, endpoints, responsibilities, their
    regions and the audit rows (one per changed object, in the order the lines apply:
    authorities, endpoints, responsibilities, each in file order — the change feed's order) are
    written with a few bulk statements in one transaction.
    """
    result = ImportResult()
    records = parse_lines(lines, result)
    if result.errors:
        raise ImportFailed(result)
    records.sort(key=lambda record: (ORDER[record[1]["type"]], record[0]))
    with transaction.atomic():
        serialize_directory_writes()  # the change feed's commit order, as the services keep it
        plan = _ImportPlan(records, actor=actor)
        plan.validate(result, progress)
        if result.errors:
            result.errors.sort(key=lambda message: int(message.split(":")[0].split()[1]))
            raise ImportFailed(result)
        if plan.operations:
            plan.write()
            transaction.on_commit(bump_change_counter)
            transaction.on_commit(lambda: _update_search(plan.audited, result))
    return result


def _update_search(audited: list[tuple], result: ImportResult) -> None:
    """After the commit, what AuditEntry's post_save does for each single audit row
    (fitstore.search.hooks): the search indexes the changes touch are brought up to date, here
    in one batch. A side effect like the services' reindexing, timed apart from the import."""
    started = time.monotonic()
    with transaction.atomic():  # gathers the ids: one indexing run when this block commits
        for model, object_id, before, after in audited:
            search.index_audited_on_commit(model, object_id, before, after)
    result.search_seconds = time.monotonic() - started


def _messages(number: int, error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"line {number}: {to_camel_case(name)}: {' '.join(message for item in items for message in item.messages)}"
                for name, items in error.error_dict.items()]
    return [f"line {number}: {' '.join(error.messages)}"]


def _chunks(items: list, size: int = 500) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class _Operation:
    """One audited change, in the order the lines made it. `frozen` keeps the object as this
    change left it when a later line of the file changes the same object again."""

    __slots__ = ("verb", "action", "instance", "before", "regions", "frozen")

    def __init__(self, verb, action, instance, before=None, regions=None):
        self.verb, self.action, self.instance, self.before, self.regions = verb, action, instance, before, regions
        self.frozen = None


class _ImportPlan:
    """The file's changes, validated against what the directory holds, then written in bulk."""

    def __init__(self, records: list[tuple[int, dict]], *, actor):
        self.records = records
        self.actor = actor
        self.now = timezone.now()
        self.operations: list[_Operation] = []
        self._last: dict[int, _Operation] = {}  # id(instance) → its latest operation
        self.states = {state.code: state for state in State.objects.all()}
        self.regions = {ars: (pk, state_id) for pk, ars, state_id in Region.objects.values_list("pk", "ars", "state_id")}
        self.leika = dict(LeikaService.objects.values_list("leika_key", "pk"))
        self._region_objects: dict[str, Region] = {}
        self._services: dict[str, LeikaService] = {}
        identifiers = sorted({data.get("identifier") or data.get("authority") for _, data in records})
        self.read = set(identifiers)  # the identifiers whose authorities (if any) are in self.authorities
        self.authorities: dict[str, Authority] = {}
        for chunk in _chunks(identifiers):
            for authority in Authority.objects.select_related("state").filter(identifier__in=chunk):
                self.authorities[authority.identifier] = authority
        known = {authority.pk: authority for authority in self.authorities.values()}
        self.endpoints: dict[tuple, Endpoint] = {}  # (authority identifier, kind, address) → the active one
        self.responsibilities: dict[tuple, Responsibility] = {}  # (authority identifier, leika key) → it
        self.assigned: dict[int, set[str]] = {}  # id(responsibility) → ARS of its regions
        for chunk in _chunks(list(known)):
            for endpoint in Endpoint.objects.filter(authority_id__in=chunk, active=True):
                endpoint.authority = known[endpoint.authority_id]
                self.endpoints[(endpoint.authority.identifier, endpoint.kind, endpoint.address)] = endpoint
            responsibilities = {}
            for responsibility in Responsibility.objects.filter(authority_id__in=chunk).select_related("service"):
                responsibility.authority = known[responsibility.authority_id]
                responsibilities[responsibility.pk] = responsibility
                self.responsibilities[(responsibility.authority.identifier, responsibility.service.leika_key)] = responsibility
                self.assigned[id(responsibility)] = set()
            links = Responsibility.regions.through.objects.filter(responsibility_id__in=list(responsibilities))
            for responsibility_id, ars in links.values_list("responsibility_id", "region__ars"):
                self.assigned[id(responsibilities[responsibility_id])].add(ars)
        self.new_authorities: list[Authority] = []
        self.changed_authorities: dict[int, Authority] = {}
        self.new_endpoints: list[Endpoint] = []
        self.deactivated_endpoints: list[Endpoint] = []
        self.new_responsibilities: list[Responsibility] = []
        self.nationwide_now: list[Responsibility] = []
        self.new_links: list[tuple[Responsibility, str]] = []
        # The rules of directory.rules, finding what lines name in what was read above.
        self.lookups = rules.Lookups(
            state=self.states.get,
            region=self._region,
            regions=lambda keys: {ars: self._region(ars) for ars in keys if ars in self.regions},
            leika_service=self._leika_service,
            identifier_taken=lambda identifier: identifier in self.authorities or (
                identifier not in self.read and Authority.objects.filter(identifier=identifier).exists()),
        )

    def _region(self, ars: str) -> Region | None:
        """The region as far as the rules and the writes need it (ARS, state), made once."""
        if ars not in self.regions:
            return None
        if ars not in self._region_objects:
            pk, state_id = self.regions[ars]
            self._region_objects[ars] = Region(pk=pk, ars=ars, state_id=state_id)
        return self._region_objects[ars]

    def _leika_service(self, leika_key: str) -> LeikaService | None:
        if leika_key not in self.leika:
            return None
        if leika_key not in self._services:
            self._services[leika_key] = LeikaService(pk=self.leika[leika_key], leika_key=leika_key)
        return self._services[leika_key]

    # --- validation: the services' rules against the prefetched keys ------------------------

    def validate(self, result: ImportResult, progress) -> None:
        handlers = {"authority": self._authority_line, "endpoint": self._endpoint_line,
                    "responsibility": self._responsibility_line}
        done = 0
        for number, data in self.records:
            try:
                outcome = handlers[data["type"]](data)
            except ValidationError as error:
                result.errors.extend(_messages(number, error))
            else:
                getattr(result, outcome)[data["type"]] += 1
            done += 1
            if progress and done % 1000 == 0:
                progress(1000)
        if progress and done % 1000:
            progress(done % 1000)

    def _record(self, verb: str, action: str, instance, before=None, regions=None) -> None:
        previous = self._last.get(id(instance))
        if previous is not None and previous.frozen is None:
            previous.frozen = copy.copy(instance)
        operation = _Operation(verb, action, instance, before, regions)
        self.operations.append(operation)
        self._last[id(instance)] = operation

    def _before(self, instance, snapshot):
        """The object's data before the change now being made: from the directory, or as an
        earlier line of this file left it."""
        previous = self._last.get(id(instance))
        if previous is None:
            return snapshot(instance)
        if previous.frozen is None:
            previous.frozen = copy.copy(instance)
        return previous

    def _authority_line(self, data: dict) -> str:
        existing = self.authorities.get(data["identifier"])
        if existing is None:
            return self._register_authority(data)
        if existing.state.code != (data["stateCode"] or "").upper():
            raise field_error("state_code", f"{existing.identifier} belongs to {existing.state.code}; an authority "
                                            "does not change its state", Code.INVALID)
        return self._update_authority(existing, data)

    def _register_authority(self, data: dict) -> str:
        fields = rules.check_new_authority(identifier=data["identifier"], name=data["name"],
                                           state_code=data["stateCode"], ars=data["ars"], kind=data["kind"],
                                           lookups=self.lookups)
        authority = Authority(**fields, origin="", created_at=self.now, updated_at=self.now)
        self.authorities[authority.identifier] = authority
        self.new_authorities.append(authority)
        self._record("register_authority", AuditAction.CREATED, authority)
        return "created"

    def _update_authority(self, authority: Authority, data: dict) -> str:
        """A line that changes nothing writes nothing (and is not refused on a mirrored entry)."""
        changes = rules.check_authority_changes(authority, name=data["name"], ars=data["ars"], kind=data["kind"],
                                                lookups=self.lookups)
        if not changes:
            return "unchanged"
        rules.refuse_mirrored(authority)
        before = self._before(authority, authority_snapshot)
        for name, value in changes.items():
            setattr(authority, name, value)
        authority.updated_at = self.now
        if authority.pk is not None:
            self.changed_authorities[authority.pk] = authority
        self._record("update_authority", AuditAction.UPDATED, authority, before)
        return "changed"

    def _authority(self, identifier: str) -> Authority:
        authority = self.authorities.get(identifier)
        if authority is None:
            raise field_error("authority", f"no authority {identifier} in the directory or the file", Code.NOT_FOUND)
        return authority

    def _endpoint_line(self, data: dict) -> str:
        """An endpoint that differs from the active one at the same address replaces it
        (deactivate_endpoint, then register_endpoint, as the services do)."""
        authority = self._authority(data["authority"])
        address = (data["address"] or "").strip()
        same = self.endpoints.get((authority.identifier, data["kind"], address))
        if same is not None and _endpoint_matches(same, data):
            return "unchanged"
        rules.refuse_mirrored(authority, "authority")
        fields = rules.check_new_endpoint(
            authority, kind=data["kind"], address=data["address"], destination_id=data.get("destinationId") or None,
            service_uri=data.get("serviceUri") or "", certificate_pem=data.get("certificatePem") or "", now=self.now,
        )  # the address is not checked for an active endpoint: the one there is replaced
        if same is not None:
            before = self._before(same, audit.snapshot)
            same.active = False
            if same.pk is not None:
                self.deactivated_endpoints.append(same)
            self._record("deactivate_endpoint", AuditAction.UPDATED, same, before)
        endpoint = Endpoint(authority=authority, created_at=self.now, **fields)
        self.endpoints[(authority.identifier, endpoint.kind, endpoint.address)] = endpoint
        self.new_endpoints.append(endpoint)
        self._record("register_endpoint", AuditAction.CREATED, endpoint)
        return "created" if same is None else "changed"

    def _responsibility_line(self, data: dict) -> str:
        """assign_responsibility's rules; regions are added to those assigned."""
        authority = self._authority(data["authority"])
        nationwide = bool(data.get("nationwide"))
        service, found = rules.check_assignment(authority, leika_key=data["leikaKey"], ars=data["ars"],
                                                nationwide=nationwide, lookups=self.lookups)
        regions = [region.ars for region in found]
        key = (authority.identifier, service.leika_key)
        responsibility = self.responsibilities.get(key)
        if responsibility is None:
            rules.refuse_mirrored(authority, "authority")
            responsibility = Responsibility(authority=authority, service=service, nationwide=nationwide,
                                            created_at=self.now)
            self.responsibilities[key] = responsibility
            self.assigned[id(responsibility)] = assigned = set(regions)
            self.new_responsibilities.append(responsibility)
            self.new_links += [(responsibility, ars) for ars in regions]
            self._record("assign_responsibility", AuditAction.CREATED, responsibility, regions=sorted(assigned))
            return "created"
        assigned = self.assigned[id(responsibility)]
        new_regions = [ars for ars in regions if ars not in assigned]
        if not new_regions and not (nationwide and not responsibility.nationwide):
            return "unchanged"
        rules.refuse_mirrored(authority, "authority")
        before = self._before(responsibility, self._responsibility_snapshot_now)
        assigned.update(new_regions)
        self.new_links += [(responsibility, ars) for ars in new_regions]
        if nationwide and not responsibility.nationwide:
            responsibility.nationwide = True
            if responsibility.pk is not None:
                self.nationwide_now.append(responsibility)
        self._record("assign_responsibility", AuditAction.UPDATED, responsibility, before, regions=sorted(assigned))
        return "changed"

    def _responsibility_snapshot_now(self, responsibility: Responsibility) -> dict:
        return responsibility_snapshot(responsibility, self.assigned[id(responsibility)])

    # --- writing ---------------------------------------------------------------------------------

    def write(self) -> None:
        """Authorities by upsert on their identifier; then the rest, which this import alone
        creates under the directory's write lock, in bulk (COPY on PostgreSQL)."""
        Authority.objects.bulk_create(
            self.new_authorities, batch_size=BATCH, update_conflicts=True, unique_fields=["identifier"],
            update_fields=["name", "kind", "region", "updated_at"],
        )
        if self.changed_authorities:
            Authority.objects.bulk_update(list(self.changed_authorities.values()),
                                          ["name", "kind", "region", "updated_at"], batch_size=BATCH)
        for chunk in _chunks([endpoint.pk for endpoint in self.deactivated_endpoints], BATCH):
            Endpoint.objects.filter(pk__in=chunk).update(active=False)
        insert_objects(Endpoint, self.new_endpoints)
        insert_objects(Responsibility, self.new_responsibilities)
        for chunk in _chunks([responsibility.pk for responsibility in self.nationwide_now], BATCH):
            Responsibility.objects.filter(pk__in=chunk).update(nationwide=True)
        insert_rows(Responsibility.regions.through, ["responsibility_id", "region_id"],
                    [(responsibility.pk, self.regions[ars][0]) for responsibility, ars in self.new_links])
        columns, rows = self._audit_rows()
        insert_rows(AuditEntry, columns, rows)
        self.audited = [(type(operation.instance), str(operation.instance.pk), row[-2], row[-1])
                        for operation, row in zip(self.operations, rows)]
        if len(self.operations) >= ANALYZE_AFTER:
            # Fresh planner statistics after a bulk load: without them SQLite walks every
            # responsibility of a service instead of the few links of a region (routing 10× slower).
            with connection.cursor() as cursor:
                for model in (Authority, Endpoint, Responsibility, Responsibility.regions.through):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")

    def _audit_rows(self) -> tuple[list[str], list[tuple]]:
        """One row per change, shaped as fitstore.audit.record writes them, in line order."""
        user, label = audit.actor_of(self.actor)
        token = getattr(self.actor, "authenticated_token", None)
        shared = {"actor_id": user.pk if user else None, "actor_label": label,
                  "token_id": token.pk if token else None, "request_id": current_request_id(), "at": self.now,
                  "note": "", **audit.attribution_of(current_request(), token)}
        for field in AuditEntry._meta.concrete_fields:  # what else the log holds keeps its default
            if not field.primary_key and field.attname not in shared and field.attname not in AUDIT_PER_ROW:
                shared[field.attname] = field.get_default()
        columns = [*shared, *AUDIT_PER_ROW]
        fixed = tuple(shared.values())
        types = {model: content_type.pk for model, content_type in
                 ContentType.objects.get_for_models(Authority, Endpoint, Responsibility).items()}
        rows = []
        for operation in self.operations:
            instance = operation.instance
            before = operation.before
            if isinstance(before, _Operation):
                before = self._snapshot(before)
            rows.append((*fixed, operation.action, operation.verb, types[type(instance)], str(instance.pk),
                         str(operation.frozen or instance)[:200], before, self._snapshot(operation)))
        return columns, rows

    def _snapshot(self, operation: _Operation) -> dict:
        """The object's data as this operation left it (ids known now that it is written)."""
        instance = operation.frozen
        if instance is None:
            instance = operation.instance
        else:
            instance.pk = operation.instance.pk
            for name in ("authority_id", "service_id"):
                if hasattr(instance, name) and getattr(instance, name) is None:
                    setattr(instance, name, getattr(operation.instance, name))
        if isinstance(instance, Authority):
            return authority_snapshot(instance)
        if isinstance(instance, Responsibility):
            return responsibility_snapshot(instance, operation.regions)
        return audit.snapshot(instance)


BATCH = 1000
ANALYZE_AFTER = 5000  # changes; smaller imports leave the statistics to the database's own upkeep
AUDIT_PER_ROW = ("action", "verb", "object_type_id", "object_id", "object_repr", "before", "after")


def insert_objects(model, objects: list) -> None:
    """Insert new objects and give them their ids: on PostgreSQL ids drawn from the table's
    sequence, then COPY; elsewhere bulk_create (which reads the ids back)."""
    if not objects:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objects, batch_size=BATCH)
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [model._meta.db_table, model._meta.pk.column, len(objects)])
        for instance, (pk,) in zip(objects, cursor.fetchall()):
            instance.pk = pk
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    rows = []
    for instance in objects:
        row = [instance.pk]
        for field in fields:
            value = getattr(instance, field.attname)
            if value is None and field.is_relation and field.is_cached(instance):
                related = field.get_cached_value(instance)  # saved after it was assigned
                setattr(instance, field.name, related)  # sets the id, keeps the object
                value = related.pk
            row.append(value)
        rows.append(row)
    insert_rows(model, [model._meta.pk.attname, *(field.attname for field in fields)], rows)


def insert_rows(model, attnames: list[str], rows: list) -> None:
    """Insert rows of plain values (in the order of `attnames`) into the model's table: COPY on
    PostgreSQL, executemany elsewhere. Values are prepared as the fields prepare them."""
    if not rows:
        return
    by_attname = {field.attname: field for field in model._meta.concrete_fields}
    fields = [by_attname[attname] for attname in attnames]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    if connection.vendor == "postgresql":
        from psycopg.types.json import Jsonb

        json_columns = [index for index, field in enumerate(fields) if field.get_internal_type() == "JSONField"]
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                if json_columns:
                    row = list(row)
                    for index in json_columns:
                        if row[index] is not None:
                            row[index] = Jsonb(row[index])
                copy.write_row(row)
        return
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        for chunk in _chunks(rows, BATCH):
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                               [[field.get_db_prep_save(value, connection) for field, value in zip(fields, row)]
                                for row in chunk])


def _endpoint_matches(endpoint: Endpoint, data: dict) -> bool:
    destination = str(endpoint.destination_id) if endpoint.destination_id else ""
    return (destination == (data.get("destinationId") or "").strip().lower()
            and endpoint.service_uri == (data.get("serviceUri") or "").strip()
            and endpoint.certificate_pem.strip() == (data.get("certificatePem") or "").strip())
