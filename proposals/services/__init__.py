"""Every change to a proposal (STYLE.md: one function per business action, `<entity>_<verb>`)."""

from proposals.services.aftercare import (
    evaluation_record,
    implementation_start,
    implementer_add,
    progress_post,
    proposal_close,
    proposal_complete,
    proposal_conclude,
    proposal_resume,
    proposal_suspend,
    proposal_terminate,
    protection_open,
    protections_shown,
    results_report_file,
    retaliation_report_advance,
    retaliation_report_file,
    retaliation_report_open,
    reward_recommend,
    reward_settle,
)
from proposals.services.decisions import (
    meeting_record,
    note_add,
    party_opinion_record,
    proposal_approve,
    proposal_approve_by_head,
    proposal_reject,
    proposal_return_for_revision,
)
from proposals.services.submission import (
    attachment_add,
    attachment_remove,
    proposal_create_draft,
    proposal_delete_draft,
    proposal_submit,
    proposal_transfer,
    proposal_update_content,
    proposal_withdraw,
)

__all__ = [
    "evaluation_record", "implementation_start", "implementer_add", "progress_post", "proposal_close",
    "proposal_complete", "proposal_conclude", "proposal_resume", "proposal_suspend", "proposal_terminate",
    "protection_open", "protections_shown", "results_report_file", "retaliation_report_advance", "retaliation_report_file",
    "retaliation_report_open", "reward_recommend", "reward_settle",
    "attachment_add", "attachment_remove", "meeting_record", "note_add", "party_opinion_record",
    "proposal_approve", "proposal_approve_by_head", "proposal_create_draft", "proposal_delete_draft", "proposal_reject",
    "proposal_return_for_revision", "proposal_submit", "proposal_transfer", "proposal_update_content",
    "proposal_withdraw",
]
