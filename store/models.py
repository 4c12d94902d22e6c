"""Store models: the OZG catalogue (topics, life situations, OZG-Leistungen, LeiKa services)
and the EfA online services that implement them.
"""
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import Lifecycle, MaturityLevel
from .validators import validate_leika_key


class Topic(models.Model):
    """An OZG topic (Themenfeld), e.g. "Familie & Kind"."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LifeSituation(models.Model):
    """A life or business situation (Lebenslage / Geschäftslage) within a topic, e.g. "Geburt"."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=150)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="life_situations")

    class Meta:
        verbose_name = _("life situation")
        verbose_name_plural = _("life situations")
        ordering = ["name"]

    def __str__(self):
        return self.name


class OzgService(models.Model):
    """An OZG-Leistung of the OZG-Umsetzungskatalog (OZG-ID, e.g. 10000 Elterngeld)."""

    ozg_id = models.CharField(_("OZG ID"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=200)
    life_situation = models.ForeignKey(LifeSituation, on_delete=models.PROTECT, related_name="ozg_services")
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="ozg_services")

    class Meta:
        verbose_name = _("OZG service")
        verbose_name_plural = _("OZG services")
        ordering = ["name"]

    def __str__(self):
        return self.name


class LeikaService(models.Model):
    """A service of the Leistungskatalog (LeiKa) within an OZG-Leistung.

    `ref` identifies every catalogue row, also the few that have no LeiKa key ("nicht im LeiKa"):
    the key where there is one, else `OZG<ozg_id>-<n>`.
    """

    ref = models.CharField(_("catalogue reference"), max_length=20, unique=True)
    leika_key = models.CharField(
        _("LeiKa key"), max_length=14, unique=True, null=True, blank=True, validators=[validate_leika_key]
    )
    name = models.CharField(_("name"), max_length=300)
    leika_type = models.CharField(_("LeiKa type"), max_length=10, blank=True)
    ozg_service = models.ForeignKey(
        OzgService, on_delete=models.PROTECT, null=True, blank=True, related_name="leika_services",
        help_text=_("Empty for the few LeiKa services that the OZG catalogue assigns to no OZG service."),
    )
    legal_basis = models.TextField(_("legal basis"), blank=True)
    law_abbreviation = models.CharField(_("law"), max_length=60, blank=True)
    sdg_relevant = models.BooleanField(_("relevant for the Single Digital Gateway"), default=False)

    class Meta:
        verbose_name = _("LeiKa service")
        verbose_name_plural = _("LeiKa services")
        ordering = ["ref"]

    def __str__(self):
        return f"{self.name} ({self.leika_key or _('not in LeiKa')})"


class OnlineService(models.Model):
    """An EfA online service: built and run once by a providing state, reusable by all others."""

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    provider_state = models.ForeignKey(
        "directory.State", on_delete=models.PROTECT, related_name="provided_online_services",
        verbose_name=_("provider state"),
    )
    responsible_ministry = models.CharField(_("responsible federal ministry"), max_length=100, blank=True)
    it_provider = models.CharField(_("IT provider"), max_length=200, blank=True)
    lifecycle = models.CharField(_("lifecycle"), max_length=20, choices=Lifecycle.choices, default=Lifecycle.PLANNED)
    maturity_level = models.PositiveSmallIntegerField(
        _("maturity level"), choices=MaturityLevel.choices, default=MaturityLevel.OFFLINE
    )
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, null=True, blank=True, related_name="online_services")
    life_situations = models.ManyToManyField(LifeSituation, blank=True, related_name="online_services")
    services = models.ManyToManyField(LeikaService, blank=True, related_name="online_services")
    is_demo = models.BooleanField(_("demo entry"), default=False, help_text=_("Example data, not a real service."))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("online service")
        verbose_name_plural = _("online services")
        ordering = ["name"]

    def __str__(self):
        return self.name
