"""Enums of the store (values = GraphQL names)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class Lifecycle(models.TextChoices):
    PLANNED = "PLANNED", _("Planned")
    IN_DEVELOPMENT = "IN_DEVELOPMENT", _("In development")
    PILOT = "PILOT", _("Pilot")
    AVAILABLE = "AVAILABLE", _("Available")
    RETIRED = "RETIRED", _("Retired")


class MaturityLevel(models.IntegerChoices):
    """OZG maturity model (Reifegrad) 0–4."""

    OFFLINE = 0, _("0 – offline")
    INFORMATION = 1, _("1 – information online")
    FORM = 2, _("2 – form online")
    ONLINE = 3, _("3 – online service incl. notification")
    ONCE_ONLY = 4, _("4 – once only")
