"""FIT-Connect Routing API 2.0, served from the directory, so that existing FIT-Connect clients
can point at us: `GET /fit-connect/v1/routes`, `/areas` and `/info`, as FITKO's specification
defines them (our own description of what we serve: directory/openapi/fit-connect-routing.yaml, served at
/fit-connect/v1/openapi.yaml).

Differences from FITKO's service, by design: areas are our regions (`id` is the region's
number here, `type` its level); routes come from the directory's responsibilities and its
FIT-Connect endpoints; `destinationSignature` is signed with the directory's own key
(fitstore.signing, published at /.well-known/jwks.json), or, for an endpoint mirrored from
another node, is the signature that node made, relayed (docs/federation.md). Like FITKO's service the API is public
and rate-limited per address.
"""
import hashlib
import re
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from fitstore import ratelimit, signing

from .choices import EndpointKind, RegionLevel
from .models import Postcode, Region, Responsibility
from .routing import RoutingInputError, cached_routes

API_VERSION = {"major": 2, "minor": 0, "patch": 0}
ARS_URN = "urn:de:bund:destatis:bevoelkerungsstatistik:schluessel:rs:"
LEIKA_URN = "urn:de:fim:leika:leistung:"
MAX_LIMIT = 500
DEFAULT_LIMIT = 100
PROBLEM = "application/problem+json"
_LEIKA = re.compile(r"^99\d{12}$")
_ARS = re.compile(r"^(\d{2}|\d{3}|\d{5}|\d{9}|\d{12})$")
_AGS = re.compile(r"^(\d{2}|\d{3}|\d{5}|\d{8})$")
_AREA_ID = re.compile(r"^\d{1,18}$")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_SEARCH_TERM = re.compile(r"^(\*?([^*]{2,})\*?)*$")
LEVEL_NAMES = {
    RegionLevel.STATE: "Bundesland",
    RegionLevel.GOVERNMENT_DISTRICT: "Regierungsbezirk",
    RegionLevel.DISTRICT: "Kreis",
    RegionLevel.MUNICIPAL_ASSOCIATION: "Gemeindeverband",
    RegionLevel.MUNICIPALITY: "Gemeinde",
}


class Problem(Exception):
    """An RFC 7807 problem answer."""

    def __init__(self, status: int, title: str, detail: str):
        super().__init__(detail)
        self.status, self.title, self.detail = status, title, detail


def _answer(request, body: dict, status: int = 200, content_type: str = "application/json", decision=None):
    response = JsonResponse(body, status=status, content_type=content_type, json_dumps_params={"ensure_ascii": False})
    for name, value in (decision.headers() if decision else {}).items():
        response[name] = value
    return response


def _problem(request, problem: Problem, decision) -> JsonResponse:
    body = {"type": "about:blank", "title": problem.title, "status": problem.status, "detail": problem.detail,
            "instance": request.build_absolute_uri()}
    return _answer(request, body, problem.status, PROBLEM, decision)


def _api(view, content_type: str = "application/json"):
    """Rate limit, problem answers, and nothing but GET."""
    if not callable(view):
        return lambda function: _api(function, view)

    @csrf_exempt  # read-only; without it an unknown method would get CSRF's 403 instead of 405
    @require_GET
    def wrapped(request):
        decision = ratelimit.hit("api-anonymous", f"address:{ratelimit.client_address(request)}")
        if not decision.allowed:
            return _answer(request, {"title": "Too Many Requests", "status": 429,
                                     "detail": f"Retry after {decision.reset} seconds."}, 429, decision=decision)
        if any(_CONTROL.search(value) for values in request.GET.lists() for value in values[1]):
            return _problem(request, Problem(400, "Bad Request", "Parameters must not contain control characters."),
                            decision)
        try:
            return _answer(request, view(request), content_type=content_type, decision=decision)
        except Problem as problem:
            return _problem(request, problem, decision)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _single(request, name: str, pattern: re.Pattern | None = None, required: bool = False) -> str | None:
    values = request.GET.getlist(name)
    if not values:
        if required:
            raise Problem(400, "Bad Request", f"The parameter {name} is required.")
        return None
    if len(values) > 1:
        raise Problem(400, "Bad Request", f"The parameter {name} may be given once.")
    value = values[0]
    if pattern is not None and not pattern.match(value):
        raise Problem(400, "Bad Request", f"The parameter {name} is malformed: {value!r}.")
    return value


def _paging(request) -> tuple[int, int]:
    offset = _single(request, "offset", re.compile(r"^\d{1,9}$")) or "0"
    limit = _single(request, "limit", re.compile(r"^\d{1,9}$")) or str(DEFAULT_LIMIT)
    offset, limit = int(offset), int(limit)
    if not 1 <= limit <= MAX_LIMIT:
        raise Problem(400, "Bad Request", f"The parameter limit must lie between 1 and {MAX_LIMIT}.")
    if offset > 2_147_483_647:
        raise Problem(400, "Bad Request", "The parameter offset is too large.")
    return offset, limit


def _area_ars(request) -> str | None:
    """The ARS of the area asked for; None for a well-formed key that names no region."""
    given = {name: request.GET.get(name) for name in ("ars", "ags", "areaId") if name in request.GET}
    if len(given) != 1:
        raise Problem(400, "Bad Request", "Give exactly one of the parameters ars, ags and areaId.")
    ars = _single(request, "ars", _ARS)
    if ars is not None:
        return ars
    ags = _single(request, "ags", _AGS)
    if ags is not None:
        if len(ags) < 8:  # states, government districts and districts have the same key in both
            return ags
        region = Region.objects.filter(ags=ags).only("ars").first()
        return region.ars if region else None
    area_id = _single(request, "areaId", _AREA_ID)
    region = Region.objects.filter(pk=int(area_id)).only("ars").first()
    return region.ars if region else None


def destination_payload(endpoint, leika_key: str, area_ars: list[str]) -> dict:
    """FITKO's signed addressing information of a FIT-Connect endpoint for a LeiKa service in the
    areas of the responsibility (ARS; "0" for nationwide)."""
    return {
        "submissionHost": urlsplit(endpoint.address).hostname or "",
        "iss": settings.DIRECTORY_ISSUER,
        "services": [{"gebietIDs": [ARS_URN + ars for ars in area_ars], "leistungIDs": [LEIKA_URN + leika_key]}],
        "destinationId": str(endpoint.destination_id),
        "iat": int(endpoint.created_at.timestamp()),
        "jti": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{endpoint.pk}/{leika_key}/{','.join(area_ars)}")),
    }


def destination_signature(endpoint, leika_key: str, area_ars: list[str], key: signing.Key | None = None) -> str | None:
    """The `destinationSignature` of a route. A local endpoint's is signed here with the current
    key (cached: a signature depends only on what it signs and the key); a mirrored endpoint's is
    the one its source signed and the mirror relays (`Endpoint.relayed_signatures`; a mirror never
    signs in its source's name), None when the source sent none."""
    if endpoint.origin:
        return (endpoint.relayed_signatures or {}).get(leika_key)
    key = key or signing.current_key()
    payload = destination_payload(endpoint, leika_key, area_ars)
    digest = hashlib.sha256(repr(sorted(payload.items())).encode() + key.kid.encode()).hexdigest()
    cache_key = f"fitconnect:signature:{digest}"
    token = cache.get(cache_key)
    if token is None:
        token = signing.sign(payload, key=key)
        cache.set(cache_key, token, timeout=24 * 3600)
    return token


def responsibility_areas(ars: list[str]) -> list[str]:
    """The areas a responsibility names in a signature: its regions' ARS, or "0" for nationwide."""
    return sorted(ars) or ["0"]


@_api
def routes_view(request):
    """GET /routes?leikaKey=…&(ars|ags|areaId)=…&offset=&limit="""
    leika_key = _single(request, "leikaKey", _LEIKA, required=True)
    ars = _area_ars(request)
    offset, limit = _paging(request)
    try:
        found = cached_routes(leika_key, ars) if ars else []
    except RoutingInputError:
        # Well-formed (the patterns above passed) but unknown to the catalogue or the
        # Gemeindeverzeichnis: like a search, nothing is found (the spec has no 404 here).
        found = []
    authority_ids = [route.authority.pk for route in found]
    areas = {}
    for responsibility in (Responsibility.objects.filter(authority_id__in=authority_ids, service__leika_key=leika_key)
                           .prefetch_related("regions")):
        areas[responsibility.authority_id] = responsibility_areas([region.ars for region in responsibility.regions.all()])
    key = signing.current_key() if any(not route.authority.origin for route in found) else None
    result = []
    for route in found:
        for endpoint in route.endpoints:
            if endpoint.kind != EndpointKind.FIT_CONNECT or endpoint.destination_id is None:
                continue
            signature = destination_signature(endpoint, leika_key, areas.get(route.authority.pk, [route.region.ars]),
                                              key)
            if signature is None:  # mirrored without its source's signature: unusable for a client
                continue
            result.append({
                "destinationId": str(endpoint.destination_id),
                "destinationSignature": signature,
                "destinationName": route.authority.name,
                "destinationShortName": route.authority.name[:100],
                "origin": "FIT-Store",
            })
    page = result[offset:offset + limit]
    return {"count": len(page), "offset": offset, "totalCount": len(result), "routes": page}


@_api(PROBLEM)  # FITKO's specification declares this media type for the 200 answer of /areas
def areas_view(request):
    """GET /areas?areaSearchexpression=…[&areaSearchexpression=…]&offset=&limit= — by name or postcode,
    `*` as wildcard at either end of a term."""
    terms = request.GET.getlist("areaSearchexpression")
    if not terms or len(terms) > 10:
        raise Problem(400, "Bad Request", "Give between 1 and 10 areaSearchexpression parameters.")
    if any(not _SEARCH_TERM.match(term) or not term.strip("*") for term in terms):
        raise Problem(400, "Bad Request", "Each areaSearchexpression needs two or more characters besides *.")
    offset, limit = _paging(request)
    query = Region.objects.all()
    for term in terms:
        core = term.strip("*")
        if core.isdigit():  # a postcode: the municipalities it serves (data/regions/postcodes.csv)
            lookup = "code__startswith" if term.endswith("*") else "code"
            query = query.filter(pk__in=Postcode.regions.through.objects.filter(**{f"postcode__{lookup}": core})
                                 .values("region_id"))
            continue
        if term.startswith("*") and term.endswith("*"):
            condition = Q(name__icontains=core)
        elif term.endswith("*"):
            condition = Q(name__istartswith=core) | Q(name__icontains=" " + core)
        elif term.startswith("*"):
            condition = Q(name__iendswith=core)
        else:
            condition = Q(name__iexact=core) | Q(name__istartswith=core + ",") | Q(name__icontains=" " + core)
        query = query.filter(condition)
    total = query.count()
    page = query.order_by("name", "ars").values("pk", "name", "level")[offset:offset + limit]
    areas = [{"id": str(row["pk"]), "name": row["name"], "type": LEVEL_NAMES.get(row["level"], row["level"])}
             for row in page]
    return {"count": len(areas), "offset": offset, "totalCount": total, "areas": areas}


@_api
def info_view(request):
    """GET /info — the version of the Routing API served."""
    return {"version": API_VERSION}


OPENAPI = Path(__file__).resolve().parent / "openapi" / "fit-connect-routing.yaml"


@require_GET
def openapi_view(request):
    """Our OpenAPI description of the routing endpoints."""
    return HttpResponse(OPENAPI.read_bytes(), content_type="application/yaml")
