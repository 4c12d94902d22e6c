"""Enums of licensing (values = GraphQL names)."""
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessionStatus(models.TextChoices):
    NONE = "NONE", _("Not joined")
    SIGNED = "SIGNED", _("Joined")
    WITHDRAWN = "WITHDRAWN", _("Withdrawn")


class SubscriptionStatus(models.TextChoices):
    REQUESTED = "REQUESTED", _("Requested")
    ACTIVE = "ACTIVE", _("Active")
    CONNECTED = "CONNECTED", _("Connected")
    DECLINED = "DECLINED", _("Declined")
    TERMINATED = "TERMINATED", _("Terminated")


class LegalBasis(models.TextChoices):
    FIT_STORE = "FIT_STORE", _("FIT-Store")
    ADMINISTRATIVE_AGREEMENT = "ADMINISTRATIVE_AGREEMENT", _("Administrative agreement")


class AllocationKey(models.TextChoices):
    KOENIGSTEIN = "KOENIGSTEIN", _("Königsteiner Schlüssel")
    PER_CAPITA = "PER_CAPITA", _("Per capita")
    EQUAL = "EQUAL", _("Equal shares")
    IT_PLR_2023_35 = "IT_PLR_2023_35", _("IT-Planungsrat decision 2023/35")


class OperatingModel(models.TextChoices):
    CENTRAL = "CENTRAL", _("Central operation by the provider")
    SELF_HOSTED = "SELF_HOSTED", _("Self-hosted by the reusing state")
