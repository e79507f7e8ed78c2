"""Drafting, submission, routing, withdrawal and transfer. Each function runs in one transaction, locks the row it changes,
checks permission and state, saves, writes the audit event and queues messages through the outbox."""

from __future__ import annotations

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts import permissions as org_roles
from accounts import selectors as org
from accounts.models import OrganisationUnit, User
from proposals import actions, content, events, outbox, permissions, workflow
from proposals.clocks import CLOCK_BY_NAME
from proposals.errors import DomainError, Incomplete, PermissionDenied, RoutingFailed
from proposals.files import attachments_within_limit, checked_upload
from proposals.locks import proposal_lock
from proposals.models import (
    CONTENT_FIELDS,
    Attachment,
    Proposal,
    ProposalRouting,
    ProposalVersion,
    RevisionRequest,
)
from proposals.selectors import submitter_profile
from proposals.services.common import require_text
from proposals.workflow import Status
from routing import calendar
from routing.policy import NoRoutingRule, route
from routing.services import routing_failure_record


def _apply_content(proposal: Proposal, data: dict) -> list[str]:
    changed = []
    for field in CONTENT_FIELDS:
        if field == "involved_units" or field not in data:
            continue
        if getattr(proposal, field) != data[field]:
            setattr(proposal, field, data[field])
            changed.append(field)
    return changed


def _set_involved_units(proposal: Proposal, units) -> bool:
    if units is None:
        return False
    new_ids = {unit.pk for unit in units}
    if new_ids == set(proposal.involved_units.values_list("pk", flat=True)):
        return False
    proposal.involved_units.set(new_ids)
    return True


@transaction.atomic
def proposal_create_draft(*, actor: User, data: dict, creation_token: uuid.UUID | None = None) -> Proposal:
    """Save a new draft. A repeated request with the same form token returns the draft it created."""
    token = creation_token or uuid.uuid4()
    with connection.cursor() as cursor:
        # The same form sent again while its first post is still being saved (a double click, a retry) waits for
        # it here and then finds its draft, rather than running into the unique token.
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"proposal-draft:{actor.pk}:{token}"])
    existing = Proposal.objects.filter(author=actor, creation_token=token).first()
    if existing:
        return existing
    proposal = Proposal(author=actor, creation_token=token, status=Status.DRAFT)
    _apply_content(proposal, data)
    proposal.full_clean(exclude=["reference"], validate_unique=False)
    proposal.save()
    proposal.reference = f"DX-{timezone.localdate().year}-{proposal.pk:06d}"
    proposal.save(update_fields=["reference"])
    _set_involved_units(proposal, data.get("involved_units"))
    events.proposal_created(proposal=proposal, actor=actor)
    return proposal


@transaction.atomic
def proposal_update_content(*, actor: User, proposal: Proposal, data: dict) -> Proposal:
    proposal = proposal_lock(proposal)
    actions.require("edit", actor=actor, proposal=proposal)
    changed = _apply_content(proposal, data)
    if _set_involved_units(proposal, data.get("involved_units")):
        changed.append("involved_units")
    if changed:
        proposal.full_clean(validate_unique=False)
        proposal.save()
        events.proposal_edited(proposal=proposal, actor=actor, changed=changed)
    return proposal


@transaction.atomic
def attachment_add(*, actor: User, proposal: Proposal, upload: UploadedFile) -> Attachment:
    proposal = proposal_lock(proposal)
    actions.require("edit", actor=actor, proposal=proposal)
    checked = checked_upload(upload)
    attachments_within_limit(proposal, adding=upload.size)
    attachment = Attachment(
        proposal=proposal, original_name=checked.name, content_type=checked.content_type,
        size=upload.size, uploaded_by=actor,
    )
    attachment.file.save(checked.storage_name, upload, save=False)
    try:
        attachment.save()
        events.attachment_added(proposal=proposal, actor=actor, name=checked.name, attachment_id=attachment.pk)
    except Exception:
        # The row was not recorded, so the stored file would be an orphan nobody can reach.
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, actor: User, proposal: Proposal, attachment: Attachment) -> None:
    """Files that were part of a submitted version stay: only drafts lose attachments."""
    proposal = proposal_lock(proposal)
    actions.require("attachment_remove", actor=actor, proposal=proposal)
    if attachment.proposal_id != proposal.pk:
        raise DomainError(_("Chỉ gỡ được tệp của đề xuất đang ở trạng thái nháp."), code="not_this_proposal")
    name = attachment.original_name
    stored = attachment.file.name
    attachment.delete()
    events.attachment_removed(proposal=proposal, actor=actor, name=name)
    transaction.on_commit(lambda: attachment.file.storage.delete(stored))


#: What a resubmission changes on the proposal row, and what a first submission changes besides.
RESUBMISSION_FIELDS = ("status", "current_version", "review_due_date", "review_days_remaining", "updated_at")
SUBMISSION_FIELDS = (*RESUBMISSION_FIELDS, "submitted_at", "submitter_post_title", "submitter_unit",
                     "submitter_category", "submitter_managing_authority", "submitter_is_decree73_subject",
                     "deciding_authority", "routing_reason")


def proposal_submit(*, actor: User, proposal: Proposal) -> Proposal:
    """Submit a draft (routing it) or resubmit a returned proposal (a new version).

    When no rule can route it, the refusal is recorded for administrators in its own transaction,
    so the record survives while the draft stays exactly as it was.
    """
    try:
        return _submit(actor=actor, proposal=proposal)
    except NoRoutingRule as refusal:
        routing_failure_record(
            submitter=actor, proposal_reference=proposal.reference or str(proposal.pk),
            profile=getattr(refusal, "profile", None), message=refusal.message,
        )
        raise RoutingFailed(refusal.message) from refusal


@transaction.atomic
def _submit(*, actor: User, proposal: Proposal) -> Proposal:
    proposal = proposal_lock(proposal)
    actions.require("submit", actor=actor, proposal=proposal)
    errors = content.completeness_errors(content.values_of(proposal))
    if errors:
        raise Incomplete(errors)
    previous = proposal.status
    now = timezone.now()
    first_submission = proposal.submitted_at is None
    if first_submission:
        profile = submitter_profile(proposal=proposal, user=actor)
        try:
            decision = route(profile)
        except NoRoutingRule as refusal:
            refusal.profile = profile
            raise
        post = profile.post
        proposal.submitted_at = now
        proposal.submitter_post_title = post.title
        proposal.submitter_unit = post.unit
        proposal.submitter_category = post.category
        proposal.submitter_managing_authority = post.managing_authority
        proposal.submitter_is_decree73_subject = post.is_decree73_subject
        proposal.deciding_authority = decision.authority
        with translation.override("vi"):  # the record's language; pages render it in the reader's
            stored_reason = decision.reason
        proposal.routing_reason = stored_reason
    proposal.status = Status.SUBMITTED
    proposal.current_version += 1
    today = timezone.localdate(now)
    if first_submission:
        proposal.review_due_date = CLOCK_BY_NAME["review"].due_from(today)
    else:
        # A resubmission answers the open revision request; a paused review clock resumes.
        RevisionRequest.objects.filter(proposal=proposal, answered_at__isnull=True).update(answered_at=now)
        if proposal.review_days_remaining is not None:
            proposal.review_due_date = calendar.add_working_days(today, proposal.review_days_remaining)
            proposal.review_days_remaining = None
    # No full_clean here: the content was validated when it was saved (every edit runs it), submission sets
    # only values the portal computed, and the database's constraints guard the rest. Only those values are
    # written: rewriting the plan's kilobytes would re-index the whole search document for nothing.
    proposal.save(update_fields=SUBMISSION_FIELDS if first_submission else RESUBMISSION_FIELDS)
    ProposalVersion.objects.create(
        proposal=proposal, number=proposal.current_version, content=content.snapshot(proposal), created_by=actor,
    )
    submitted = events.proposal_submitted(
        proposal=proposal, actor=actor, previous=previous, version=proposal.current_version)
    if first_submission:
        ProposalRouting.objects.create(
            proposal=proposal, kind=ProposalRouting.Kind.ROUTED, authority=decision.authority,
            rule=decision.rule, headed_authority=decision.headed, reason=stored_reason, actor=actor,
        )
        deciders = permissions.grant_deciders(
            proposal, org.authority_members_current(authority=decision.authority).values_list("pk", flat=True))
        routed = events.proposal_routed(
            proposal=proposal, actor=actor, rule_id=decision.rule.pk, rule_name=decision.rule.name)
        outbox.queue(event=routed, recipient_ids=deciders)
        # The author's receipt (notifications.messages): the submission's own event, worded for its author.
        outbox.queue(event=submitted, recipient_ids=[proposal.author_id], to_actor=True)
    else:
        outbox.queue(event=submitted, recipient_ids=[*permissions.decider_ids(proposal), proposal.author_id],
                     to_actor=True)
    return proposal


@transaction.atomic
def proposal_withdraw(*, actor: User, proposal: Proposal, reason: str = "") -> Proposal:
    proposal = proposal_lock(proposal)
    actions.require("withdraw", actor=actor, proposal=proposal)
    previous = proposal.status
    proposal.status = Status.WITHDRAWN
    proposal.save(update_fields=["status", "updated_at"])
    event = events.proposal_withdrawn(proposal=proposal, actor=actor, previous=previous, reason=reason)
    outbox.queue(event=event, recipient_ids=permissions.decider_ids(proposal))
    return proposal


@transaction.atomic
def proposal_delete_draft(*, actor: User, proposal: Proposal) -> Proposal:
    """Delete a draft its author never sent: its content and files are erased and nobody sees it any more. The row
    and its events stay, because the audit trail is append-only (proposals.audit); they say only that a draft
    existed and was deleted."""
    proposal = proposal_lock(proposal)
    actions.require("delete", actor=actor, proposal=proposal)
    attachments = list(proposal.attachments.all())
    for field in CONTENT_FIELDS:
        if field == "involved_units":
            proposal.involved_units.clear()
            continue
        model_field = Proposal._meta.get_field(field)
        setattr(proposal, field, None if model_field.null else model_field.get_default())
    proposal.title = ""
    proposal.deleted_at = timezone.now()
    # A form still open in another tab would otherwise find this draft again by its token, and edit nothing.
    proposal.creation_token = uuid.uuid4()
    proposal.save()
    stored = [attachment.file.name for attachment in attachments]
    Attachment.objects.filter(pk__in=[attachment.pk for attachment in attachments]).delete()
    storage = Attachment._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in stored])
    events.draft_deleted(proposal=proposal, actor=actor, attachments=len(attachments))
    return proposal


@transaction.atomic
def proposal_transfer(*, actor: User, proposal: Proposal, authority: OrganisationUnit, reason: str,
                      reorganisation: bool = False) -> Proposal:
    """Move a proposal to another authority; the access of the old authority's members moves with it.

    `reorganisation`: the authority ended in a reorganisation (proposals.services.reorganisation), whose author
    (Home Affairs, an administrator) moves the proposals it was to decide to its successor."""
    proposal = proposal_lock(proposal)
    if reorganisation:
        if not org_roles.can_import_organisation(actor):
            raise PermissionDenied()
        if proposal.status not in workflow.TRANSFERABLE:
            raise DomainError(_("Chỉ chuyển được đề xuất chưa có quyết định."), code="not_transferable")
    else:
        actions.require("transfer", actor=actor, proposal=proposal)
    reason = require_text(reason, _("Hãy nêu lý do chuyển."), code="reason_missing")
    if authority.pk == proposal.deciding_authority_id:
        raise DomainError(_("Đề xuất đang thuộc thẩm quyền của cơ quan này."), code="same_authority")
    if not authority.is_authority or not authority.is_valid_on(timezone.localdate()):
        raise DomainError(_("Chỉ chuyển được tới cơ quan có thẩm quyền đang hoạt động."), code="not_an_authority")
    if org.user_heads_authority(user_id=proposal.author_id, authority=authority):
        # Decree 73, Art. 7(4): nobody decides on their own proposal, nor does the body they lead.
        raise DomainError(_("%(author)s đứng đầu %(authority)s: cơ quan do chính người đề xuất đứng đầu không được "
                            "quyết định đề xuất này (Nghị định 73/2023/NĐ-CP, Điều 7 khoản 4). Hãy chọn cơ quan cấp "
                            "trên.") % {"author": proposal.author.get_full_name(), "authority": authority.name},
                          code="authority_led_by_author")
    members = list(org.authority_members_current(authority=authority))
    if not [m for m in members if m.pk != proposal.author_id]:
        raise DomainError(_("Cơ quan này chưa có thành viên nào có thể quyết định đề xuất."),
                          code="authority_without_members")
    source_name = proposal.deciding_authority.name
    ProposalRouting.objects.filter(proposal=proposal, is_current=True).update(is_current=False)
    ProposalRouting.objects.create(
        proposal=proposal, kind=ProposalRouting.Kind.TRANSFERRED, authority=authority, reason=reason, actor=actor,
    )
    proposal.deciding_authority = authority
    proposal.routing_reason = (_("Chuyển từ %(source)s: %(reason)s") % {"source": source_name, "reason": reason})[:400]
    proposal.save(update_fields=["deciding_authority", "routing_reason", "updated_at"])
    permissions.revoke_deciders(proposal)
    deciders = permissions.grant_deciders(proposal, [member.pk for member in members])
    event = events.proposal_transferred(proposal=proposal, actor=actor, source_name=source_name, reason=reason)
    outbox.queue(event=event, recipient_ids=[*deciders, proposal.author_id])
    return proposal
