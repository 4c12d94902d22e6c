"""GraphQL types of the directory: states, regions, authorities, endpoints, responsibilities,
routes and the change feed."""
from decimal import Decimal

import graphene
from graphene import relay
from graphene.types.generic import GenericScalar

from directory.access import (
    may_read_directory,
    restrict_authorities,
    restrict_directory_changes,
    restrict_endpoints,
    restrict_responsibilities,
    restrict_webhook_subscriptions,
)
from directory.filtersets import AuthorityFilterSet, RegionFilterSet
from directory.models import Authority, Endpoint, Region, Responsibility, State
from fitstore.models import AuditEntry

from ..core.enums import AuthorityKind, ChangeAction, EndpointKind, RegionLevel, WebhookStatus
from ..core.errors import Unauthenticated
from ..core.types import NodeType, describe_fields


def plain_decimal(value: Decimal | None) -> Decimal | None:
    """0.15533270 → 0.1553327: the share as given, without trailing zeros or exponent."""
    if value is None:
        return None
    return Decimal(format(value.normalize(), "f"))


class StateType(NodeType):
    """A federal state (Land)."""

    code = graphene.String(required=True, description="ISO 3166-2:DE code without `DE-`, e.g. BY.")
    ars = graphene.String(required=True, description="Regionalschlüssel of the state, two digits.")
    population = graphene.Int(required=True, description="Population (Destatis GV100AD, 30.11.2023).")
    koenigstein_share = graphene.Decimal(
        year=graphene.Int(description="Year of the key; the latest year when omitted."),
        description="Share in the Königsteiner Schlüssel as a fraction of 1 (0.1553327 = 15.53327 %).",
    )
    koenigstein_year = graphene.Int(description="The latest year for which the Königsteiner Schlüssel is known.")
    region = graphene.Field(lambda: RegionType, description="The state as a region of the ARS hierarchy.")
    accession = graphene.Field(
        "api.licensing.types.AccessionType", required=True, description="The state's accession to the FIT-Store."
    )

    class Meta:
        model = State
        fields = ("id", "code", "name", "ars", "seat", "population", "is_city_state")

    @staticmethod
    def resolve_koenigstein_share(root: State, info, year=None):
        return plain_decimal(root.koenigstein_share(year))

    @staticmethod
    def resolve_koenigstein_year(root: State, info):
        years = [share.year for share in root.koenigstein_shares.all()]
        return max(years) if years else None

    @staticmethod
    def resolve_region(root: State, info):
        return Region.objects.filter(ars=root.ars).first()

    @staticmethod
    def resolve_accession(root: State, info):
        from api.licensing.types import accession_of

        return accession_of(root)


class RegionType(NodeType):
    """A region of the Gemeindeverzeichnis keyed by its Amtlicher Regionalschlüssel (ARS)."""

    ars = graphene.String(required=True, description="Amtlicher Regionalschlüssel, 2/3/5/9/12 digits.")
    level = graphene.Field(RegionLevel, required=True)
    parent = graphene.Field(lambda: RegionType, description="The next enclosing region; null for a state.")
    kind = graphene.String(required=True, description="Kind of region as Destatis names it, e.g. Kreisfreie Stadt.")
    population = graphene.Int(required=True, description="Population; higher levels sum their municipalities.")
    ancestors = graphene.List(
        graphene.NonNull(lambda: RegionType), required=True, description="Enclosing regions, the state first."
    )

    class Meta:
        model = Region
        fields = ("id", "ars", "name", "level", "parent", "state", "kind", "ags", "seat", "population", "postcode")
        filterset_class = RegionFilterSet

    @staticmethod
    def resolve_parent(root: Region, info):
        # Explicit: graphene-django's foreign-key resolver looks the parent up by primary key,
        # but `parent` points at the ARS (to_field).
        return root.parent

    @staticmethod
    def resolve_ancestors(root: Region, info):
        from directory.validators import ars_prefixes

        keys = [key for key in ars_prefixes(root.ars) if key != root.ars]
        return list(Region.objects.filter(ars__in=keys).order_by("ars"))


def require_directory_reader(info) -> None:
    """Authorities, endpoints, routes and the change feed need an account (a token)."""
    if not may_read_directory(info.context.user):
        raise Unauthenticated("Authorities, endpoints, routes and the change feed need a token: send Authorization: Bearer <token>.")


class CertificateType(graphene.ObjectType):
    """The X.509 certificate of an endpoint (OSCI/XTA), as parsed when it was registered."""

    class Meta:
        name = "Certificate"

    fingerprint_sha256 = graphene.String(source="certificate_fingerprint_sha256", required=True, description="SHA-256 fingerprint, 64 lowercase hex digits.")
    not_before = graphene.DateTime(source="certificate_not_before", required=True)
    not_after = graphene.DateTime(source="certificate_not_after", required=True)
    subject = graphene.String(source="certificate_subject", required=True, description="Subject as an RFC 4514 string.")
    issuer = graphene.String(source="certificate_issuer", required=True, description="Issuer as an RFC 4514 string.")
    serial_number = graphene.String(source="certificate_serial", required=True, description="Serial number in lowercase hex.")
    pem = graphene.String(source="certificate_pem", required=True, description="The certificate in PEM.")


class EndpointType(NodeType):
    """A technical address of an authority: FIT-Connect destination, OSCI/XTA (DVDV), REST or e-mail."""

    kind = graphene.Field(EndpointKind, required=True)
    address = graphene.String(required=True, description="https:// URL; for EMAIL an e-mail address.")
    destination_id = graphene.UUID(description="FIT-Connect destination ID; set for FIT_CONNECT.")
    service_uri = graphene.String(description="Service URI (e.g. of the XTA service); null when none.")
    certificate = graphene.Field(CertificateType, description="The X.509 certificate; null when none was given.")

    class Meta:
        model = Endpoint
        fields = ("id", "authority", "kind", "address", "destination_id", "service_uri", "valid_from", "valid_until",
                  "active")

    @classmethod
    def get_queryset(cls, queryset, info):
        return restrict_endpoints(queryset, info.context.user)

    @staticmethod
    def resolve_service_uri(root: Endpoint, info):
        return root.service_uri or None

    @staticmethod
    def resolve_certificate(root: Endpoint, info):
        return root if root.certificate_fingerprint_sha256 else None


class AuthorityType(NodeType):
    """An authority (Behörde) that receives applications, known by its DVDV-style identifier."""

    identifier = graphene.String(required=True, description="prefix:key, e.g. wgb:010540880000.")
    kind = graphene.Field(AuthorityKind, required=True)
    state = graphene.Field(StateType, required=True)
    region = graphene.Field(RegionType, required=True, description="The region of the authority's seat.")
    endpoints = graphene.List(graphene.NonNull(EndpointType), required=True, description="The active endpoints.")
    responsibilities = graphene.List(graphene.NonNull(lambda: ResponsibilityType), required=True)

    class Meta:
        model = Authority
        fields = ("id", "identifier", "name", "kind", "state", "region", "active", "origin", "created_at", "updated_at")
        filterset_class = AuthorityFilterSet

    @classmethod
    def get_queryset(cls, queryset, info):
        return restrict_authorities(queryset, info.context.user).select_related("state", "region")

    @staticmethod
    def resolve_region(root: Authority, info):
        return root.region  # explicit: the foreign key points at the ARS (to_field)

    @staticmethod
    def resolve_endpoints(root: Authority, info):
        prefetched = getattr(root, "active_endpoints", None)
        if prefetched is not None:
            return prefetched
        return root.endpoints.filter(active=True).order_by("kind", "id")

    @staticmethod
    def resolve_responsibilities(root: Authority, info):
        return root.responsibilities.select_related("service").prefetch_related("regions").order_by("service__ref")


class ResponsibilityType(NodeType):
    """An authority's responsibility (Zuständigkeit) for a LeiKa service in regions."""

    leika_key = graphene.String(required=True, description="LeiKa key of the service.")
    regions = graphene.List(graphene.NonNull(RegionType), required=True)
    nationwide = graphene.Boolean(required=True, description="Responsible for all of Germany (federal level).")

    class Meta:
        model = Responsibility
        fields = ("id", "authority", "service", "regions", "nationwide")

    @classmethod
    def get_queryset(cls, queryset, info):
        return restrict_responsibilities(queryset, info.context.user)

    @staticmethod
    def resolve_leika_key(root: Responsibility, info):
        return root.service.leika_key

    @staticmethod
    def resolve_regions(root: Responsibility, info):
        return sorted(root.regions.all(), key=lambda region: region.ars)


class RouteType(graphene.ObjectType):
    """Who receives applications for a service in a region, and where (an answer of `routes`)."""

    class Meta:
        name = "Route"

    leika_key = graphene.String(required=True)
    region = graphene.Field(RegionType, required=True, description="The region asked for.")
    level = graphene.Field(RegionLevel, required=True, description="The level at which the responsibility was found.")
    authority = graphene.Field(AuthorityType, required=True)
    endpoints = graphene.List(
        graphene.NonNull(EndpointType), required=True,
        description="The authority's usable endpoints: active, valid now, certificate not expired.",
    )
    online_service = graphene.Field(
        "api.store.types.OnlineServiceType",
        description="The EfA online service through which the region's state offers the service; null when none.",
    )


DIRECTORY_MODELS = (Authority, Endpoint, Responsibility)


def directory_content_types() -> dict[int, str]:
    """Content type id → GraphQL type name of the directory's models (cached by Django)."""
    from django.contrib.contenttypes.models import ContentType

    return {ct.pk: model.__name__ for model, ct in ContentType.objects.get_for_models(*DIRECTORY_MODELS).items()}


class DirectoryChangeType(NodeType):
    """One committed write to an authority, endpoint or responsibility (from the audit log)."""

    object_type = graphene.String(required=True, description="Authority, Endpoint or Responsibility.")
    object_id = graphene.ID(required=True, description="Global ID of the object (it may since have been deleted).")
    action = graphene.Field(ChangeAction, required=True)
    data = GenericScalar(
        description="The object as it is now, in the directory exchange format (JSON Lines record with `type`; "
                    "endpoints add `key`, `validFrom`, `validUntil`, `active`; authorities `active`); for a deleted "
                    "responsibility its key (authority, leikaKey); null when the object has since been deleted. "
                    "What a mirror (sync_directory) applies.",
    )
    destination_signatures = GenericScalar(
        description="The FIT-Connect `destinationSignature`s this node serves for the object as it is now, which a "
                    "mirror relays unchanged: for an endpoint by LeiKa key, for a responsibility by endpoint `key`; "
                    "null for other objects. Filled in `directoryChanges` pages.",
    )

    class Meta:
        model = AuditEntry
        name = "DirectoryChange"
        fields = ("id", "at", "action")

    @classmethod
    def signed_fields(cls, entry: AuditEntry) -> dict:
        """The fields of a change as a page of `directoryChanges` serves and signs them
        (directory.federation.feed.SIGNED_FIELDS), from the resolvers below."""
        return {"objectType": cls.resolve_object_type(entry, None), "objectId": cls.resolve_object_id(entry, None),
                "action": cls.resolve_action(entry, None), "at": entry.at.isoformat(),
                "data": cls.resolve_data(entry, None),
                "destinationSignatures": cls.resolve_destination_signatures(entry, None)}

    @classmethod
    def get_queryset(cls, queryset, info):
        # Only the audit entries of the directory's models are changes of the feed.
        return restrict_directory_changes(queryset, info.context.user).filter(
            object_type_id__in=list(directory_content_types()))

    @staticmethod
    def resolve_object_type(root: AuditEntry, info):
        return directory_content_types()[root.object_type_id]

    @staticmethod
    def resolve_object_id(root: AuditEntry, info):
        return relay.Node.to_global_id(directory_content_types()[root.object_type_id], root.object_id)

    @staticmethod
    def resolve_action(root: AuditEntry, info):
        return root.action

    @staticmethod
    def resolve_data(root: AuditEntry, info):
        if not hasattr(root, "change_data"):
            from directory.federation.feed import change_records

            root.change_data = change_records([root])[root.id][1]
        return root.change_data

    @staticmethod
    def resolve_destination_signatures(root: AuditEntry, info):
        return getattr(root, "destination_signatures", None)


class DirectoryChangeConnection(relay.Connection):
    """The change feed: cursors are the audit log's ids, stable and resumable."""

    signature = graphene.String(
        description="JWS (PS512, compact) by this node's directory key (/.well-known/jwks.json) over this page: the "
                    "question (`after`, `state`), `endCursor`, `hasNextPage` and the SHA-256 of the edges' cursor, "
                    "objectType, objectId, action, at, data and destinationSignatures in canonical JSON; valid for "
                    "minutes. Mirrors refuse a page whose signature does not hold (docs/federation.md).",
    )

    class Meta:
        node = DirectoryChangeType
        name = "DirectoryChangeConnection"


class DirectoryRouteServicesType(graphene.ObjectType):
    """What routing reads of reuse, for mirrors: the online services that implement LeiKa services
    and the states connected to them, so that a mirror's routes name the same online service."""

    class Meta:
        name = "DirectoryRouteServices"

    digest = graphene.String(required=True, description="SHA-256 of `onlineServices` in canonical JSON.")
    online_services = GenericScalar(
        description="[{slug, name, providerState, leikaKeys, connectedStates}] by slug; null when the digest equals "
                    "the one given as `known` (nothing to copy).",
    )
    signature = graphene.String(
        required=True, description="JWS (PS512, compact) by this node's directory key over `digest`; valid for minutes.",
    )


class DirectoryChangeSubscriptionType(NodeType):
    """A gateway's webhook subscription to the directory's changes (signed POSTs, in order, with retries)."""

    callback_url = graphene.String(required=True, description="Where the changes are POSTed (https).")
    state = graphene.Field(StateType, description="Only this state's changes; null: all.")
    status = graphene.Field(WebhookStatus, required=True,
                            description="ACTIVE, or FAILING once a delivery was dropped after its retries (until the "
                                        "next one arrives).")
    last_delivered_at = graphene.DateTime(description="When a change was last delivered; null: never.")
    last_error = graphene.String(description="Why the last attempt failed; null when it did not.")
    pending_deliveries = graphene.Int(required=True, description="Changes queued and not yet delivered.")
    last_delivered_cursor = graphene.String(
        description="Cursor (directoryChanges) of the last change delivered; after a dropped delivery, read the feed "
                    "from here to fill the gap."
    )

    class Meta:
        from directory.models import WebhookSubscription

        model = WebhookSubscription
        name = "DirectoryChangeSubscription"
        interfaces = (relay.Node,)
        fields = ("id", "callback_url", "state", "status", "created_at", "last_delivered_at", "last_error")

    @classmethod
    def get_queryset(cls, queryset, info):
        return restrict_webhook_subscriptions(queryset, info.context.user)

    @staticmethod
    def resolve_status(root, info):
        return str(root.status)

    @staticmethod
    def resolve_last_error(root, info):
        return root.last_error or None

    @staticmethod
    def resolve_pending_deliveries(root, info):
        from directory.federation.webhooks import pending_count

        return pending_count(root)

    @staticmethod
    def resolve_last_delivered_cursor(root, info):
        return str(root.last_delivered_change) if root.last_delivered_change else None


# --- Descriptions of the derived model fields -------------------------------------------------
describe_fields(
    StateType,
    name="Name of the state (Land), e.g. Bayern.",
    seat="Seat of the state government (Landeshauptstadt), e.g. München.",
    is_city_state="True for the city states (Stadtstaaten) Berlin, Hamburg and Bremen.",
)
describe_fields(
    RegionType,
    name="Name of the region (Gebiet), e.g. a municipality or district.",
    level="Administrative level of the region (state, district, municipality …).",
    state="The state (Land) the region belongs to.",
    ags="Official municipality key (Amtlicher Gemeindeschlüssel, AGS).",
    seat="Seat of the region's administration.",
    postcode="Postcode (Postleitzahl) of the region's seat.",
)
describe_fields(
    CertificateType,
    not_before="Start of the certificate's validity (ISO 8601 date-time, UTC).",
    not_after="End of the certificate's validity (ISO 8601 date-time, UTC).",
)
describe_fields(
    EndpointType,
    authority="The authority (Behörde) this endpoint delivers to.",
    kind="Transport channel of the endpoint (FIT-Connect, OSCI/XTA, e-mail …).",
    valid_from="Start of validity; null: valid since registration.",
    valid_until="End of validity; null: open-ended.",
    active="False once deactivated; inactive endpoints are not used for routing.",
)
describe_fields(
    AuthorityType,
    name="Official name of the authority (Behörde).",
    kind="What kind of authority it is.",
    state="The state (Land) the authority belongs to.",
    active="False once deactivated; inactive authorities are not used for routing.",
    created_at="When the authority was registered (ISO 8601 date-time, UTC).",
    updated_at="When the authority was last changed (ISO 8601 date-time, UTC).",
    responsibilities="Its responsibilities (Zuständigkeiten): which LeiKa services it handles in which regions.",
)
describe_fields(
    ResponsibilityType,
    authority="The responsible authority (zuständige Behörde).",
    service="The LeiKa service the authority is responsible for.",
    regions="The regions (Gebiete) in which the authority is responsible for the service.",
)
describe_fields(
    RouteType,
    leika_key="LeiKa key of the service routed (14 digits starting with 99).",
    authority="The authority responsible (zuständige Behörde) for the service in the region.",
)
describe_fields(
    DirectoryChangeType,
    at="When the change happened (ISO 8601 date-time, UTC).",
    action="What the write did to the object: CREATED, UPDATED or DELETED.",
)
describe_fields(
    DirectoryChangeSubscriptionType,
    created_at="When the subscription was made (ISO 8601 date-time, UTC).",
)
