"""A proposal's status and open deadline as lists show them, on every row: tags rather than included templates,
which cost a template render each (a page of fifty rows rendered a hundred of them)."""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from proposals.workflow import Status

register = template.Library()

#: Bootstrap's colour for each status; the others are light.
STATUS_STYLES = {
    Status.DRAFT: "text-bg-secondary",
    Status.SUBMITTED: "text-bg-primary",
    Status.RETURNED: "text-bg-warning",
    **dict.fromkeys((Status.APPROVED, Status.IMPLEMENTING, Status.COMPLETED, Status.CONCLUDED, Status.CLOSED),
                    "text-bg-success"),
    **dict.fromkeys((Status.REJECTED, Status.TERMINATED), "text-bg-danger"),
}


@register.simple_tag
def status_badge(proposal) -> str:
    return format_html('<span class="badge status-badge {}">{}</span>',
                       STATUS_STYLES.get(proposal.status, "text-bg-light border"), proposal.get_status_display())


@register.simple_tag(takes_context=True)
def open_deadline(context, proposal) -> str:
    """The clock running now and its due date, marked when it has passed (`today` of the context, which the
    signed-in pages' context processor sets)."""
    clock = proposal.open_clock
    if clock is None:
        return mark_safe('<span class="text-muted">—</span>')
    due = date_format(clock["due"], "d/m/Y")
    if clock["due"] < (context.get("today") or timezone.localdate()):
        return format_html('<span class="overdue">{}: {} — {}</span>', clock["label"], due, gettext("quá hạn"))
    return format_html("<span>{}: {}</span>", clock["label"], due)
