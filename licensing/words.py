"""The words the licensing pages use for statuses and legal bases, as the states' staff say them."""
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .choices import LegalBasis, SubscriptionStatus

# The procedure's statuses (status badges in words).
STATUS_WORDS = {
    SubscriptionStatus.REQUESTED: pgettext_lazy("subscription status", "requested"),
    SubscriptionStatus.ACTIVE: pgettext_lazy("subscription status", "active"),
    SubscriptionStatus.DECLINED: pgettext_lazy("subscription status", "declined"),
    SubscriptionStatus.CONNECTED: pgettext_lazy("subscription status", "connected"),
    SubscriptionStatus.TERMINATED: pgettext_lazy("subscription status", "terminated"),
}
LEGAL_BASIS_WORDS = {
    LegalBasis.FIT_STORE: pgettext_lazy("legal basis", "FIT-Store framework agreement"),
    LegalBasis.ADMINISTRATIVE_AGREEMENT: pgettext_lazy("legal basis", "Administrative agreement"),
}
# What the map of reusing states says about a state, strongest first.
MAP_STATUSES = {
    "provider": _("provides the service"),
    "connected": pgettext_lazy("subscription status", "connected"),
    "active": pgettext_lazy("subscription status", "active"),
    "requested": pgettext_lazy("subscription status", "requested"),
    "none": _("no reuse"),
}


def status_word(status: str) -> str:
    """The word for a subscription status in a sentence ("active"), never its code."""
    return str(STATUS_WORDS.get(status) or SubscriptionStatus(status).label)


def legal_basis_word(legal_basis: str) -> str:
    """The words for a legal basis in a sentence ("FIT-Store framework agreement"), never its code."""
    return str(LEGAL_BASIS_WORDS.get(legal_basis) or LegalBasis(legal_basis).label)
