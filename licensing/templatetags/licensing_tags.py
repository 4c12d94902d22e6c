"""Template tags of the licensing pages: the words and formats they share, and the navigation
entries of coordinators and maintainers.

The reuse panel of an online service page is computed by `licensing.panels` (the page's view asks
for it through the store's extension point) and rendered by the page; no tag here queries for it.
"""
from django import template

from directory.models import State
from fitstore.access import has_role, states_with_role
from fitstore.choices import Role

from ..agreement import euros, percent
from ..words import LEGAL_BASIS_WORDS, STATUS_WORDS

register = template.Library()


@register.filter
def subscription_status(value) -> str:
    """A SubscriptionStatus value in words: "beantragt", "aktiv", "abgelehnt", …"""
    return STATUS_WORDS.get(value, value)


@register.filter
def legal_basis(value) -> str:
    return LEGAL_BASIS_WORDS.get(value, value)


@register.filter(name="euros")
def euros_filter(value) -> str:
    return euros(value) if value is not None else "–"


@register.filter(name="percent")
def percent_filter(value) -> str:
    return percent(value) if value is not None else "–"


@register.inclusion_tag("licensing/_nav.html", takes_context=True)
def licensing_nav(context):
    """Navigation entries for signed-in users with a licensing role: the workspace of each state
    they coordinate and the inbox of the online services they maintain."""
    user = context.get("user")
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    current = (match.view_name, match.kwargs.get("code", "").upper()) if match else ("", "")
    codes = sorted(states_with_role(user, Role.COORDINATOR))
    names = dict(State.objects.filter(code__in=codes).values_list("code", "name")) if len(codes) > 1 else {}
    return {
        "workspaces": [
            {"code": code, "name": names.get(code), "current": current == ("licensing:state_workspace", code)}
            for code in codes
        ],
        "inbox": has_role(user, Role.MAINTAINER),
        "inbox_current": current[0] == "licensing:inbox",
    }
