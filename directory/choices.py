"""Enums of the directory, shared by models, filters and the API (values = GraphQL names)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class RegionLevel(models.TextChoices):
    """Levels of the Amtlicher Regionalschlüssel (ARS), by canonical key length."""

    FEDERAL = "FEDERAL", _("Federation")
    STATE = "STATE", _("State")
    GOVERNMENT_DISTRICT = "GOVERNMENT_DISTRICT", _("Government district")
    DISTRICT = "DISTRICT", _("District")
    MUNICIPAL_ASSOCIATION = "MUNICIPAL_ASSOCIATION", _("Municipal association")
    MUNICIPALITY = "MUNICIPALITY", _("Municipality")


# Canonical ARS length of each level (FIT-Connect routing API): 2, 3, 5, 9, 12 digits.
ARS_LENGTHS = {
    RegionLevel.STATE: 2,
    RegionLevel.GOVERNMENT_DISTRICT: 3,
    RegionLevel.DISTRICT: 5,
    RegionLevel.MUNICIPAL_ASSOCIATION: 9,
    RegionLevel.MUNICIPALITY: 12,
}
LEVEL_BY_ARS_LENGTH = {length: level for level, length in ARS_LENGTHS.items()}


class AuthorityKind(models.TextChoices):
    FEDERAL = "FEDERAL", _("Federal authority")
    STATE = "STATE", _("State authority")
    DISTRICT = "DISTRICT", _("District authority")
    MUNICIPAL = "MUNICIPAL", _("Municipal authority")
    OTHER = "OTHER", _("Other body")


class EndpointKind(models.TextChoices):
    FIT_CONNECT = "FIT_CONNECT", _("FIT-Connect destination")
    OSCI_XTA = "OSCI_XTA", _("OSCI/XTA (DVDV)")
    REST = "REST", _("REST interface")
    EMAIL = "EMAIL", _("E-mail")


class WebhookStatus(models.TextChoices):
    """Whether deliveries to a webhook arrive (ACTIVE) or the last one was dropped after its retries (FAILING)."""

    ACTIVE = "ACTIVE", _("active")
    FAILING = "FAILING", _("failing")


class TrustBasis(models.TextChoices):
    """Why a mirror trusts a source's keys (directory.federation.trust)."""

    ANCHOR = "ANCHOR", _("trust anchor handed over out of band")
    CONFIRMED = "CONFIRMED", _("published key set confirmed by the operator")
    ROTATED = "ROTATED", _("key set signed by a key trusted before")
