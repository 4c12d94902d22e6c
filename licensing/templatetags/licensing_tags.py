"""Template tags through which other apps' pages show licensing information."""
from django import template

register = template.Library()


@register.inclusion_tag("licensing/_reuse_panel.html", takes_context=True)
def reuse_panel(context, online_service):
    """The reuse section of an online service page: terms, reusing states, cost shares, request."""
    return {"online_service": online_service, "request": context.get("request"), "user": context.get("user")}
