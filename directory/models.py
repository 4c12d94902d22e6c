"""Directory models: states, their Königsteiner Schlüssel, regions (reference data), and the
directory proper: authorities (Behörden), their technical addresses (endpoints, as DVDV and
FIT-Connect keep them) and their responsibilities (Zuständigkeiten) for LeiKa services in regions.

Writes to authorities, endpoints and responsibilities go through `directory.services`.
"""
import re
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AuthorityKind, EndpointKind, RegionLevel, TrustBasis, WebhookStatus
from .validators import validate_ars, validate_authority_identifier


DEMO_IDENTIFIER_PREFIX = "demo:"  # the demo directory's authorities (directory/demo.py)
_STATE_CODE = re.compile(r"[A-Za-z]{2}")  # ASCII letters only (no "ß" that upper-cases to "SS")


class StateQuerySet(models.QuerySet):
    def by_code(self, code) -> "State | None":
        """The state with this code (BY, NW, …: ISO 3166-2:DE without `DE-`), case and
        surrounding spaces ignored; None when the code is not given, not two letters, or unknown.
        At most one query (none for a malformed code): callers say what a missing state means."""
        if not isinstance(code, str):
            return None
        code = code.strip()
        if not _STATE_CODE.fullmatch(code):
            return None
        return self.filter(code=code.upper()).first()


class State(models.Model):
    """A federal state (Land), known by its code (ISO 3166-2:DE without `DE-`) and its ARS."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    ars = models.CharField(_("ARS"), max_length=2, unique=True, validators=[validate_ars])
    seat = models.CharField(_("seat of government"), max_length=100, blank=True)
    population = models.PositiveBigIntegerField(_("population"), default=0)
    area_ha = models.PositiveBigIntegerField(_("area (ha)"), default=0)
    is_city_state = models.BooleanField(_("city state"), default=False)

    objects = StateQuerySet.as_manager()

    class Meta:
        verbose_name = _("state")
        verbose_name_plural = _("states")
        ordering = ["ars"]

    def __str__(self):
        return self.name

    def koenigstein_share(self, year: int | None = None) -> Decimal | None:
        """The share of the whole (0.1553327 for 15.53327 %) for `year`, else the latest year."""
        shares = self.koenigstein_shares.all()  # prefetched by list views
        chosen = [s for s in shares if year is None or s.year == year]
        if not chosen:
            return None
        return max(chosen, key=lambda s: s.year).share


class KoenigsteinShare(models.Model):
    """A state's share in the Königsteiner Schlüssel of one year (GWK), as a fraction of 1."""

    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="koenigstein_shares")
    year = models.PositiveSmallIntegerField(_("year"))
    share = models.DecimalField(_("share"), max_digits=9, decimal_places=8)

    class Meta:
        verbose_name = _("Königsteiner Schlüssel share")
        verbose_name_plural = _("Königsteiner Schlüssel")
        ordering = ["-year", "state__ars"]
        constraints = [models.UniqueConstraint(fields=["state", "year"], name="unique_koenigstein_share_per_year")]

    def __str__(self):
        return f"{self.state.code} {self.year}: {self.share}"


class Region(models.Model):
    """A region of the Gemeindeverzeichnis (Destatis GV100AD) keyed by its ARS.

    `parent` points at the next enclosing region that exists: a district in a state without
    government districts hangs directly below the state.
    """

    ars = models.CharField(_("ARS"), max_length=12, unique=True, validators=[validate_ars])
    name = models.CharField(_("name"), max_length=200)
    level = models.CharField(_("level"), max_length=24, choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey(
        "self", to_field="ars", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="regions")
    kind = models.CharField(_("kind"), max_length=100, blank=True, help_text=_("e.g. Kreisfreie Stadt"))
    ags = models.CharField(_("AGS"), max_length=8, blank=True)
    seat = models.CharField(_("seat"), max_length=100, blank=True)
    population = models.PositiveBigIntegerField(_("population"), default=0)
    postcode = models.CharField(_("postcode"), max_length=5, blank=True)

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["ars"]

    def __str__(self):
        return f"{self.name} ({self.ars})"


class Postcode(models.Model):
    """A postcode (Postleitzahl) and the municipalities it serves: a postcode can span several
    municipalities and a municipality has many postcodes. `places` names the places of a postcode
    that the source knows but could not assign to a municipality (data/regions/postcodes.csv)."""

    code = models.CharField(_("postcode"), max_length=5, unique=True)
    regions = models.ManyToManyField(Region, blank=True, related_name="postcodes", verbose_name=_("municipalities"))
    places = models.CharField(_("places"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")
        ordering = ["code"]

    def __str__(self):
        return self.code


class Authority(models.Model):
    """An authority (Behörde) that receives applications, known by a DVDV-style identifier."""

    identifier = models.CharField(
        _("identifier"), max_length=121, unique=True, validators=[validate_authority_identifier],
        help_text=_("prefix:key, e.g. wgb:010540880000"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=AuthorityKind.choices)
    state = models.ForeignKey(State, on_delete=models.PROTECT, related_name="authorities", verbose_name=_("state"))
    region = models.ForeignKey(
        Region, to_field="ars", on_delete=models.PROTECT, related_name="seated_authorities",
        verbose_name=_("seat region"),
    )
    active = models.BooleanField(_("active"), default=True)
    origin = models.CharField(
        _("origin"), max_length=200, blank=True, help_text=_("The node this entry is mirrored from; empty for local entries."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("authority")
        verbose_name_plural = _("authorities")
        ordering = ["identifier"]
        constraints = [
            models.CheckConstraint(name="authority_kind_known", condition=Q(kind__in=AuthorityKind.values)),
        ]
        indexes = [models.Index(fields=["state", "active"], name="authority_state_active")]

    def __str__(self):
        return f"{self.name} ({self.identifier})"

    @property
    def is_demo(self) -> bool:
        """An invented authority of the demo directory (data/demo/directory.jsonl): its identifier's prefix is `demo`."""
        return self.identifier.startswith(DEMO_IDENTIFIER_PREFIX)


class EndpointQuerySet(models.QuerySet):
    def usable(self, now=None):
        """`Endpoint.is_usable(now)` in SQL: active, inside their validity window, with a
        certificate (where given) not expired."""
        now = now or timezone.now()
        return self.filter(active=True).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=now),
            Q(valid_until__isnull=True) | Q(valid_until__gt=now),
            Q(certificate_not_after__isnull=True) | Q(certificate_not_after__gt=now),
        )


class Endpoint(models.Model):
    """A technical address of an authority: a FIT-Connect destination, an OSCI/XTA address with
    its certificate (DVDV), a REST interface or an e-mail address."""

    authority = models.ForeignKey(Authority, on_delete=models.CASCADE, related_name="endpoints", verbose_name=_("authority"))
    kind = models.CharField(_("kind"), max_length=16, choices=EndpointKind.choices)
    address = models.CharField(_("address"), max_length=500, help_text=_("https:// URL; for e-mail an address."))
    destination_id = models.UUIDField(_("FIT-Connect destination ID"), null=True, blank=True)
    service_uri = models.CharField(_("service URI"), max_length=500, blank=True)
    certificate_pem = models.TextField(_("certificate (PEM)"), blank=True)
    certificate_subject = models.CharField(_("certificate subject"), max_length=500, blank=True)
    certificate_issuer = models.CharField(_("certificate issuer"), max_length=500, blank=True)
    certificate_serial = models.CharField(_("certificate serial number"), max_length=64, blank=True)
    certificate_not_before = models.DateTimeField(_("certificate valid from"), null=True, blank=True)
    certificate_not_after = models.DateTimeField(_("certificate valid until"), null=True, blank=True)
    certificate_fingerprint_sha256 = models.CharField(_("certificate SHA-256 fingerprint"), max_length=64, blank=True)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    origin = models.CharField(
        _("origin"), max_length=200, blank=True, help_text=_("The node this entry is mirrored from; empty for local entries."),
    )
    origin_key = models.CharField(
        _("key at the origin"), max_length=64, blank=True, help_text=_("The endpoint's id on the node it is mirrored from."),
    )
    relayed_signatures = models.JSONField(
        _("relayed signatures"), default=dict, blank=True,
        help_text=_("Of a mirrored FIT-Connect endpoint: its source's destinationSignature per LeiKa key, served "
                    "unchanged by this node's routing API."),
    )

    objects = EndpointQuerySet.as_manager()
    audit_exclude = ("certificate_pem", "relayed_signatures")  # the fingerprint identifies it in the log

    class Meta:
        verbose_name = _("endpoint")
        verbose_name_plural = _("endpoints")
        ordering = ["authority", "kind", "id"]
        constraints = [
            models.CheckConstraint(name="endpoint_kind_known", condition=Q(kind__in=EndpointKind.values)),
            models.CheckConstraint(
                name="fit_connect_endpoint_has_destination",
                condition=~Q(kind=EndpointKind.FIT_CONNECT) | Q(destination_id__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["authority", "kind", "address"], condition=Q(active=True), name="unique_active_endpoint",
            ),
        ]
        indexes = [
            models.Index(fields=["authority", "active"], name="endpoint_authority_active"),
            models.Index(fields=["origin", "origin_key"], name="endpoint_origin_key"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.address}"

    def ends_at(self):
        """When the endpoint stops being usable on its own: the end of its validity or of its
        certificate, whichever comes first; None when neither ends."""
        return min((moment for moment in (self.valid_until, self.certificate_not_after) if moment is not None),
                   default=None)

    def is_usable(self, now) -> bool:
        """Whether routing hands the endpoint out at `now`: active, its validity begun and not
        ended, its certificate (where it has one) not expired. EndpointQuerySet.usable is the same
        rule in SQL."""
        ends = self.ends_at()
        return (self.active and (self.valid_from is None or self.valid_from <= now)
                and (ends is None or ends > now))

    def changes_after(self, now):
        """The next moment after `now` at which `is_usable` may change on its own; None when none."""
        return min((moment for moment in (self.valid_from, self.valid_until, self.certificate_not_after)
                    if moment is not None and moment > now), default=None)


class Responsibility(models.Model):
    """An authority's responsibility (Zuständigkeit) for a LeiKa service in regions: for each
    region, every place inside it unless a more specific responsibility exists there.
    `nationwide` is the federal level (all of Germany)."""

    authority = models.ForeignKey(
        Authority, on_delete=models.CASCADE, related_name="responsibilities", verbose_name=_("authority")
    )
    service = models.ForeignKey(
        "store.LeikaService", on_delete=models.PROTECT, related_name="responsibilities", verbose_name=_("LeiKa service")
    )
    regions = models.ManyToManyField(Region, blank=True, related_name="responsibilities", verbose_name=_("regions"))
    nationwide = models.BooleanField(_("nationwide"), default=False)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["authority", "service"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "service"], name="one_responsibility_per_authority_and_service"),
        ]
        # Routing filters by service, then joins the regions by ARS (unique index on Region.ars).
        indexes = [models.Index(fields=["service", "nationwide"], name="responsibility_service")]

    def __str__(self):
        return f"{self.authority.identifier} · {self.service.leika_key}"


# --- federation: mirrors of another node's directory, webhook subscriptions ----------------------

class MirrorState(models.Model):
    """Where this node's mirror of another node's directory stands: the source, the part of it
    mirrored (a state, or all) and the cursor of the last change applied (directoryChanges)."""

    source = models.CharField(_("source"), max_length=200, help_text=_("Base URL of the source node."))
    state_code = models.CharField(_("state"), max_length=2, blank=True, help_text=_("Empty: the whole directory."))
    cursor = models.CharField(_("cursor"), max_length=64, blank=True)
    changes_applied = models.PositiveBigIntegerField(_("changes applied"), default=0)
    last_synced_at = models.DateTimeField(_("last synced at"), null=True, blank=True)
    signing_kid = models.CharField(_("signing key"), max_length=64, blank=True,
                                   help_text=_("The source's key that signed the last page applied."))
    renewal_until = models.CharField(
        _("renew signatures up to"), max_length=64, blank=True,
        help_text=_("While the source's signing key changed: the cursor up to which the relayed signatures are "
                    "read again; empty when none are due."))
    renewal_cursor = models.CharField(_("renewal cursor"), max_length=64, blank=True)
    route_services_digest = models.CharField(_("route services digest"), max_length=64, blank=True)
    last_refusal = models.TextField(_("last refusal"), blank=True)
    last_refused_at = models.DateTimeField(_("last refused at"), null=True, blank=True)

    class Meta:
        verbose_name = _("mirror")
        verbose_name_plural = _("mirrors")
        constraints = [models.UniqueConstraint(fields=["source", "state_code"], name="one_mirror_state_per_source")]

    def __str__(self):
        return f"{self.source} ({self.state_code or '*'}) @ {self.cursor or '-'}"


class TrustedKeySet(models.Model):
    """The keys this node trusts to have signed what a source node serves (its change feed, its
    route services, its routing answers, its digest), and why (directory.federation.trust)."""

    source = models.CharField(_("source"), max_length=200, unique=True, help_text=_("Base URL of the source node."))
    keys = models.JSONField(_("keys"), help_text=_("The trusted public keys (JWK)."))
    basis = models.CharField(_("basis"), max_length=16, choices=TrustBasis.choices)
    anchor_sha256 = models.CharField(_("trust anchor (SHA-256)"), max_length=64, blank=True,
                                     help_text=_("Of the anchor file last applied."))
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("trusted key set")
        verbose_name_plural = _("trusted key sets")
        constraints = [models.CheckConstraint(name="trust_basis_known", condition=Q(basis__in=TrustBasis.values))]

    def __str__(self):
        return f"{self.source} ({len(self.keys)} keys, {self.get_basis_display()})"


class MirroredConnectionQuerySet(models.QuerySet):
    def exists_for(self, state) -> models.Exists:
        """An expression, per online service (OuterRef "pk"), true when `state` (or its pk) is
        connected to it at a source this node mirrors."""
        return models.Exists(self.filter(online_service=models.OuterRef("pk"), state=state))

    def state_codes(self, online_services) -> dict[int, set[str]]:
        """Online service id → codes of the states connected to it at a mirrored source."""
        found: dict[int, set[str]] = {}
        for online_service_id, code in self.filter(online_service__in=online_services).values_list(
                "online_service_id", "state__code"):
            found.setdefault(online_service_id, set()).add(code)
        return found


class MirroredConnection(models.Model):
    """A state's CONNECTED subscription to an online service at a source node, as this node
    mirrors it: what routing reads of reuse to name a route's online service
    (`store.extensions.ReuseQueries.online_service_for`) as the source does."""

    origin = models.CharField(_("origin"), max_length=200, help_text=_("Base URL of the source node."))
    state = models.ForeignKey(State, on_delete=models.CASCADE, related_name="+", verbose_name=_("state"))
    online_service = models.ForeignKey("store.OnlineService", on_delete=models.CASCADE, related_name="+",
                                       verbose_name=_("online service"))

    objects = MirroredConnectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("mirrored connection")
        verbose_name_plural = _("mirrored connections")
        constraints = [models.UniqueConstraint(fields=["origin", "state", "online_service"],
                                               name="one_mirrored_connection")]
        indexes = [models.Index(fields=["state", "online_service"], name="mirrored_connection_state")]

    def __str__(self):
        return f"{self.state.code} → {self.online_service.slug} ({self.origin})"


class WebhookSubscription(models.Model):
    """A gateway's subscription to the directory's changes, delivered as signed POSTs to its
    callback URL (all changes, or one state's). `cursor` is the last change queued for it."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhook_subscriptions")
    callback_url = models.CharField(_("callback URL"), max_length=500)
    state = models.ForeignKey(State, on_delete=models.CASCADE, null=True, blank=True, related_name="+",
                              verbose_name=_("state"))
    secret = models.CharField(_("signing secret"), max_length=64, editable=False)
    status = models.CharField(_("status"), max_length=16, choices=WebhookStatus.choices, default=WebhookStatus.ACTIVE)
    cursor = models.BigIntegerField(_("last change queued"), default=0)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    last_delivered_at = models.DateTimeField(_("last delivered at"), null=True, blank=True)
    last_delivered_change = models.BigIntegerField(_("last change delivered"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)

    audit_exclude = ("secret",)

    class Meta:
        verbose_name = _("webhook subscription")
        verbose_name_plural = _("webhook subscriptions")
        ordering = ["id"]

    def __str__(self):
        return f"{self.callback_url} ({self.state.code if self.state_id else '*'})"


class DeliveryStatus(models.TextChoices):
    PENDING = "PENDING", _("pending")
    DELIVERED = "DELIVERED", _("delivered")
    DROPPED = "DROPPED", _("dropped")


class WebhookDelivery(models.Model):
    """One change to deliver to one subscription (the delivery queue), with its attempts."""

    subscription = models.ForeignKey(WebhookSubscription, on_delete=models.CASCADE, related_name="deliveries")
    change_id = models.BigIntegerField(_("change"), help_text=_("Cursor of the change in directoryChanges."))
    delivery_id = models.UUIDField(_("delivery id"), unique=True)
    payload = models.JSONField(_("payload"))
    status = models.CharField(_("status"), max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), default=timezone.now)
    last_status_code = models.PositiveIntegerField(_("last HTTP status"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        ordering = ["subscription", "change_id"]
        constraints = [models.UniqueConstraint(fields=["subscription", "change_id"], name="one_delivery_per_change")]
        indexes = [models.Index(fields=["subscription", "status", "change_id"], name="delivery_queue")]

    def __str__(self):
        return f"{self.delivery_id} → {self.subscription_id} ({self.status})"
