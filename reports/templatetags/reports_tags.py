from django import template
from django.template.defaultfilters import floatformat

from reports import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def reports_nav_target(context) -> str:
    """'dashboard', 'plans' or '' — which monitoring page the navigation bar offers to the signed-in person."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None:
        return ""
    cached = getattr(request, "_reports_nav_target", None)
    if cached is None:
        cached = request._reports_nav_target = selectors.reports_nav_target(user=user) or ""
    return cached


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{floatformat(value, -1)}%"


@register.filter
def money(value) -> str:
    """Whole đồng with dots between thousands, as Vietnamese documents write amounts (1.250.000)."""
    if value in (None, ""):
        return "—"
    return f"{int(value):,}".replace(",", ".")
