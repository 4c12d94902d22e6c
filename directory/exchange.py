"""The directory's exchange format (JSON Lines, ../shared/contract/README.md): one object per
line with the fields of the mutations' inputs and `type` first.

    {"type": "authority", "identifier", "name", "stateCode", "ars", "kind"}
    {"type": "endpoint", "authority", "kind", "address", "destinationId", "serviceUri", "certificatePem"}
    {"type": "responsibility", "authority", "leikaKey", "ars": [...]}   (+ "nationwide": true, federal only)

`export_lines` writes a state's (or the whole) directory in a stable order; `import_lines` is all
or nothing: every line goes through the services inside one transaction, every error is
collected with its line number, and any error rolls everything back. Authorities are upserted by
identifier, endpoints by (authority, kind, address), responsibilities add their regions, so
importing the same file twice changes nothing.
"""
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from graphene.utils.str_converters import to_camel_case

from fitstore.models import AuditEntry

from . import services
from .models import Authority, Endpoint, Responsibility

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
        yield _dumps({"type": "authority", "identifier": authority.identifier, "name": authority.name,
                      "stateCode": authority.state.code, "ars": authority.region_id, "kind": authority.kind})
        for endpoint in authority.endpoints.all():
            yield _dumps({"type": "endpoint", "authority": authority.identifier, "kind": endpoint.kind,
                          "address": endpoint.address,
                          "destinationId": str(endpoint.destination_id) if endpoint.destination_id else "",
                          "serviceUri": endpoint.service_uri, "certificatePem": endpoint.certificate_pem})
        for responsibility in authority.responsibilities.all():
            line = {"type": "responsibility", "authority": authority.identifier,
                    "leikaKey": responsibility.service.leika_key,
                    "ars": sorted(region.ars for region in responsibility.regions.all())}
            if responsibility.nationwide:
                line["nationwide"] = True
            yield _dumps(line)


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(", ", ": "))


@dataclass
class ImportResult:
    lines: int = 0
    created: Counter = field(default_factory=Counter)
    changed: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)  # "line 3: ars: …"

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
    """Import the lines, all or nothing; ImportFailed (naming the line numbers) on any error."""
    result = ImportResult()
    records = parse_lines(lines, result)
    if result.errors:
        raise ImportFailed(result)
    records.sort(key=lambda record: (ORDER[record[1]["type"]], record[0]))
    with transaction.atomic():
        for number, data in records:
            audit_before = _latest_audit_id()
            try:
                with transaction.atomic():  # a savepoint: one bad line does not spoil the others' checks
                    created = _apply(data, actor=actor)
            except ValidationError as error:
                result.errors.extend(_messages(number, error))
            else:
                if created:
                    result.created[data["type"]] += 1
                elif _latest_audit_id() != audit_before:
                    result.changed[data["type"]] += 1
                else:
                    result.unchanged[data["type"]] += 1
            if progress:
                progress(1)
        if result.errors:
            result.errors.sort(key=lambda message: int(message.split(":")[0].split()[1]))
            transaction.set_rollback(True)
    if result.errors:
        raise ImportFailed(result)
    return result


def _latest_audit_id() -> int | None:
    """Whether a line wrote shows in the audit log; the newest id is one index lookup."""
    return AuditEntry.objects.order_by("-id").values_list("id", flat=True).first()


def _messages(number: int, error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [f"line {number}: {to_camel_case(name)}: {' '.join(message for item in items for message in item.messages)}"
                for name, items in error.error_dict.items()]
    return [f"line {number}: {' '.join(error.messages)}"]


def _authority(identifier: str) -> Authority:
    authority = Authority.objects.select_related("state").filter(identifier=identifier).first()
    if authority is None:
        raise ValidationError({"authority": ValidationError(f"no authority {identifier} in the directory or the file",
                                                            code="NOT_FOUND")})
    return authority


def _apply(data: dict, *, actor) -> bool:
    """Write one record through the services; True when it created something."""
    kind = data["type"]
    if kind == "authority":
        existing = Authority.objects.select_related("state").filter(identifier=data["identifier"]).first()
        if existing is None:
            services.register_authority(identifier=data["identifier"], name=data["name"], state_code=data["stateCode"],
                                        ars=data["ars"], kind=data["kind"], actor=actor)
            return True
        if existing.state.code != (data["stateCode"] or "").upper():
            raise ValidationError({"state_code": ValidationError(
                f"{existing.identifier} belongs to {existing.state.code}; an authority does not change its state",
                code="INVALID")})
        services.update_authority(existing, name=data["name"], ars=data["ars"], kind=data["kind"], actor=actor)
        return False
    authority = _authority(data["authority"])
    if kind == "endpoint":
        same = authority.endpoints.filter(kind=data["kind"], address=(data["address"] or "").strip(), active=True).first()
        if same is not None:
            if _endpoint_matches(same, data):
                return False
            services.deactivate_endpoint(same, actor=actor)
        services.register_endpoint(authority, kind=data["kind"], address=data["address"],
                                   destination_id=data.get("destinationId") or None,
                                   service_uri=data.get("serviceUri") or "",
                                   certificate_pem=data.get("certificatePem") or "", actor=actor)
        return same is None
    existed = Responsibility.objects.filter(authority=authority, service__leika_key=data["leikaKey"]).exists()
    services.assign_responsibility(authority, leika_key=data["leikaKey"], ars=data["ars"],
                                   nationwide=bool(data.get("nationwide")), actor=actor)
    return not existed


def _endpoint_matches(endpoint: Endpoint, data: dict) -> bool:
    destination = str(endpoint.destination_id) if endpoint.destination_id else ""
    return (destination == (data.get("destinationId") or "").strip().lower()
            and endpoint.service_uri == (data.get("serviceUri") or "").strip()
            and endpoint.certificate_pem.strip() == (data.get("certificatePem") or "").strip())
