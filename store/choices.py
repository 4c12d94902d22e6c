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


class RepositoryMirrorState(models.TextChoices):
    """State of a repository's local mirror (the bare clone the store reads tags from)."""

    PENDING = "PENDING", _("Not fetched yet")
    OK = "OK", _("Fetched")
    FAILED = "FAILED", _("Last fetch failed")


class EfaCriterion(models.TextChoices):
    """The seven implementation criteria for "Einer für Alle" services (BMI key points, August
    2020, Umsetzungskriterien 1–7)."""

    C1 = "C1", _("User-friendly implementation (digitalisation lab method, whole user journeys)")
    C2 = "C2", _("EfA solution with a neutral user interface usable nationwide")
    C3 = "C3", _("Open standard interface to back-end systems, with FIT-Connect")
    C4 = "C4", _("Use of the programme's standards and central basis components")
    C5 = "C5", _("Federal actors actively involved")
    C6 = "C6", _("Technical connection of a significant number of states (at least 9)")
    C7 = "C7", _("Implementation schedule within the effort estimation model's guard rails")


class InterfaceRole(models.TextChoices):
    SENDER = "SENDER", _("Sender")
    RECEIVER = "RECEIVER", _("Receiver")
