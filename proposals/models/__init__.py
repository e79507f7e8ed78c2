"""The proposals app's models, one module per subject; import them from here (`from proposals.models import X`).

- `proposal`: the proposal, its versions, routing history, attachments, audit trail and outbox;
- `decisions`: revision requests, Party opinions, leadership meetings, the decision, notes;
- `object_permissions`: django-guardian's object permissions on proposals;
- `aftercare`: implementation, the results report, evaluation, conclusion, protection, rewards;
- `confidential`: retaliation reports and the log of who opened a confidential record;
- `search`: the lexicon that widens a misspelt search word;
- `storage`: the private storage of the documents.
"""

from proposals.models.aftercare import (
    Conclusion,
    Evaluation,
    ImplementationOrder,
    Implementer,
    ProgressUpdate,
    ProtectionDecision,
    ResultsReport,
    Reward,
)
from proposals.models.confidential import ConfidentialAccess, RetaliationReport, RetaliationStep
from proposals.models.decisions import Decision, Meeting, Note, PartyOpinion, RevisionRequest, Stage
from proposals.models.numbering import DocumentCounter
from proposals.models.object_permissions import ProposalGroupObjectPermission, ProposalUserObjectPermission
from proposals.models.proposal import (
    CONTENT_FIELDS,
    Attachment,
    NoticeKind,
    OutboxMessage,
    Proposal,
    ProposalEvent,
    ProposalRouting,
    ProposalVersion,
    Topic,
)
from proposals.models.search import SearchWord
from proposals.models.storage import PrivateStorage, document_path, private_storage
from proposals.protection import Outcome, ProtectionTier

__all__ = [
    # the proposal
    "CONTENT_FIELDS",
    "Attachment",
    "NoticeKind",
    "OutboxMessage",
    "Proposal",
    "ProposalEvent",
    "ProposalRouting",
    "ProposalVersion",
    "Topic",
    # decisions
    "Decision",
    "DocumentCounter",
    "Meeting",
    "Note",
    "PartyOpinion",
    "RevisionRequest",
    "Stage",
    # object permissions
    "ProposalGroupObjectPermission",
    "ProposalUserObjectPermission",
    # after approval
    "Conclusion",
    "Evaluation",
    "ImplementationOrder",
    "Implementer",
    "Outcome",
    "ProgressUpdate",
    "ProtectionDecision",
    "ProtectionTier",
    "ResultsReport",
    "Reward",
    # confidential records
    "ConfidentialAccess",
    "RetaliationReport",
    "RetaliationStep",
    # search
    "SearchWord",
    # storage
    "PrivateStorage",
    "document_path",
    "private_storage",
]
