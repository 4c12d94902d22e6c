"""Licensing models: the framework agreement and states' accession to it, the reuse terms of
online services, subscriptions (the FIT-Store procedure of "Nachnutzung") and their events.

Writes go through `licensing.services`; cost sharing is computed in `licensing.costs`.
"""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import AccessionStatus, AllocationKey, LegalBasis, OperatingModel, SubscriptionStatus

# The subscriptions that count as open: at most one per state and online service.
OPEN_STATUSES = (SubscriptionStatus.REQUESTED, SubscriptionStatus.ACTIVE, SubscriptionStatus.CONNECTED)
# The subscriptions that share costs (the reuse contract is concluded).
PAYING_STATUSES = (SubscriptionStatus.ACTIVE, SubscriptionStatus.CONNECTED)
# The subscriptions everyone may see (without their details): the concluded reuses, which the public
# map and the cost shares show anyway (licensing.access.restrict_subscriptions).
PUBLIC_STATUSES = PAYING_STATUSES
# Every other status belongs to the parties (the subscribing state's and the providing state's
# coordinators, the online service's maintainers) and the operators: requests (REQUESTED, and
# AWAITING_SIGNATURES where the procedure has it), declines and ended reuses. Derived from the
# choices, so that a status added later is party-only until it is made public on purpose.
PARTY_ONLY_STATUSES = tuple(status for status in SubscriptionStatus if status not in PUBLIC_STATUSES)


class FrameworkAgreement(models.Model):
    """A version of the FIT-Store framework agreement (Rahmenvereinbarung) that states join."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("text"))
    sha256 = models.CharField(_("SHA-256 of the text"), max_length=64, editable=False)
    effective_from = models.DateField(_("effective from"))

    class Meta:
        verbose_name = _("framework agreement")
        verbose_name_plural = _("framework agreements")
        ordering = ["-effective_from"]

    def __str__(self):
        return f"{self.title} {self.version}"

    @classmethod
    def current(cls, on=None):
        """The version in force on `on` (today by default): the latest that has taken effect."""
        on = on or timezone.localdate()
        return cls.objects.filter(effective_from__lte=on).order_by("-effective_from", "-id").first()


class Accession(models.Model):
    """A state's accession to the FIT-Store (Beitritt); absent means status NONE.

    One row per state: joining again after a withdrawal signs the same row anew (the audit log
    keeps every earlier signature and withdrawal).
    """

    state = models.OneToOneField("directory.State", on_delete=models.PROTECT, related_name="accession")
    agreement = models.ForeignKey(FrameworkAgreement, on_delete=models.PROTECT, related_name="accessions")
    status = models.CharField(
        _("status"), max_length=12, choices=AccessionStatus.choices, default=AccessionStatus.SIGNED
    )
    signatory = models.CharField(_("signatory"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"))
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        verbose_name = _("accession")
        verbose_name_plural = _("accessions")
        constraints = [
            models.CheckConstraint(
                name="accession_status_is_signed_or_withdrawn",
                condition=models.Q(status__in=[AccessionStatus.SIGNED, AccessionStatus.WITHDRAWN]),
            )
        ]

    def __str__(self):
        return f"{self.state} · {self.get_status_display()}"

    @property
    def is_signed(self) -> bool:
        return self.status == AccessionStatus.SIGNED


class ReuseTerms(models.Model):
    """The terms on which an online service may be reused (Nachnutzungsbedingungen): costs in
    euros, how they are shared, the licence, who operates it and the allowed legal bases."""

    online_service = models.OneToOneField("store.OnlineService", on_delete=models.CASCADE, related_name="terms")
    annual_cost = models.DecimalField(_("annual cost (EUR)"), max_digits=14, decimal_places=2)
    one_time_cost = models.DecimalField(_("one-time cost (EUR)"), max_digits=14, decimal_places=2)
    allocation_key = models.CharField(_("allocation key"), max_length=20, choices=AllocationKey.choices)
    license = models.CharField(_("licence (SPDX expression)"), max_length=200)
    operating_model = models.CharField(_("operating model"), max_length=12, choices=OperatingModel.choices)
    legal_bases = models.JSONField(
        _("allowed legal bases"), default=list, help_text=_("LegalBasis values, e.g. [\"FIT_STORE\"].")
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)

    class Meta:
        verbose_name = _("reuse terms")
        verbose_name_plural = _("reuse terms")
        constraints = [
            models.CheckConstraint(name="reuse_terms_annual_cost_not_negative", condition=Q(annual_cost__gte=0)),
            models.CheckConstraint(name="reuse_terms_one_time_cost_not_negative", condition=Q(one_time_cost__gte=0)),
            models.CheckConstraint(
                name="reuse_terms_allocation_key_known", condition=Q(allocation_key__in=AllocationKey.values)
            ),
            models.CheckConstraint(
                name="reuse_terms_operating_model_known", condition=Q(operating_model__in=OperatingModel.values)
            ),
        ]

    def __str__(self):
        return f"{self.online_service} · {self.get_allocation_key_display()}"

    def allows(self, legal_basis: str) -> bool:
        return legal_basis in self.legal_bases


class SubscriptionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def paying(self):
        """Subscriptions whose reuse contract is concluded: they share the costs."""
        return self.filter(status__in=PAYING_STATUSES)


class Subscription(models.Model):
    """A state's reuse of an online service through the FIT-Store procedure (Nachnutzung):
    REQUESTED → ACTIVE or DECLINED → CONNECTED → TERMINATED."""

    state = models.ForeignKey("directory.State", on_delete=models.PROTECT, related_name="subscriptions")
    online_service = models.ForeignKey("store.OnlineService", on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(
        _("status"), max_length=12, choices=SubscriptionStatus.choices, default=SubscriptionStatus.REQUESTED
    )
    legal_basis = models.CharField(_("legal basis"), max_length=30, choices=LegalBasis.choices)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed or declined at"), null=True, blank=True)
    connected_at = models.DateTimeField(_("connected at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # The database, not only the service, keeps one open subscription per state and
            # service: concurrent requests on PostgreSQL end in exactly one.
            models.UniqueConstraint(
                fields=["state", "online_service"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_subscription_per_state_and_service",
            ),
            models.CheckConstraint(name="subscription_status_known", condition=Q(status__in=SubscriptionStatus.values)),
            models.CheckConstraint(name="subscription_legal_basis_known", condition=Q(legal_basis__in=LegalBasis.values)),
        ]
        indexes = [models.Index(fields=["online_service", "status"])]

    def __str__(self):
        return f"{self.state.code} · {self.online_service.slug} · {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_paying(self) -> bool:
        """The reuse contract is concluded: the state shares the costs (as `objects.paying()`)."""
        return self.status in PAYING_STATUSES

    @property
    def is_public(self) -> bool:
        """Everyone may see that this subscription exists (PUBLIC_STATUSES; licensing.access)."""
        return self.status in PUBLIC_STATUSES


class SubscriptionEvent(models.Model):
    """One step of a subscription's procedure: from which status to which, by whom, why, when."""

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(
        _("from status"), max_length=12, choices=SubscriptionStatus.choices, blank=True,
        help_text=_("Empty for the request that created the subscription."),
    )
    to_status = models.CharField(_("to status"), max_length=12, choices=SubscriptionStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    actor_label = models.CharField(_("actor"), max_length=150)
    note = models.TextField(_("note"), blank=True)
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        verbose_name = _("subscription event")
        verbose_name_plural = _("subscription events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.subscription} {self.from_status or '—'} → {self.to_status}"
