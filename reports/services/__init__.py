"""Every change in the monitoring workplace (STYLE.md: one function per business action, `<entity>_<verb>`)."""

from reports.services.annual import (
    annual_review_open,
    annual_review_report_generate,
    annual_review_report_request,
    annual_review_save,
)
from reports.services.exports import export_job_retry, export_job_run, export_job_start, export_jobs_expire
from reports.services.facts import facts_rebuild
from reports.services.plans import implementation_plan_file, plan_reminders_send

__all__ = [
    "annual_review_open", "annual_review_report_generate", "annual_review_report_request", "annual_review_save",
    "export_job_retry", "export_job_run", "export_job_start", "export_jobs_expire", "facts_rebuild",
    "implementation_plan_file", "plan_reminders_send",
]
