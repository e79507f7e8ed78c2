"""Every change in the monitoring workplace (STYLE.md: one function per business action, `<entity>_<verb>`)."""

from reports.services.annual import (
    annual_review_open,
    annual_review_report_generate,
    annual_review_report_request,
    annual_review_save,
)
from reports.services.facts import facts_rebuild
from reports.services.plans import implementation_plan_file, plan_reminders_send

__all__ = [
    "annual_review_open", "annual_review_report_generate", "annual_review_report_request", "annual_review_save",
    "facts_rebuild",
    "implementation_plan_file", "plan_reminders_send",
]
