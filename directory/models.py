"""Directory models of the foundation: states, their Königsteiner Schlüssel, and regions.

Authorities, endpoints and responsibilities build on these (see the directory issue).
"""
from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from .choices import RegionLevel
from .validators import validate_ars


class State(models.Model):
    """A federal state (Land), known by its code (ISO 3166-2:DE without `DE-`) and its ARS."""

    code = models.CharField(_("code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)
    ars = models.CharField(_("ARS"), max_length=2, unique=True, validators=[validate_ars])
    seat = models.CharField(_("seat of government"), max_length=100, blank=True)
    population = models.PositiveBigIntegerField(_("population"), default=0)
    area_ha = models.PositiveBigIntegerField(_("area (ha)"), default=0)
    is_city_state = models.BooleanField(_("city state"), default=False)

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
