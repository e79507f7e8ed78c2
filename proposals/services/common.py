"""What several services share: stored uploads, required texts and dates, and the meeting of the leadership
(for the decision and again for the evaluation) with its vote rule."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from proposals.errors import DomainError
from proposals.files import checked_upload
from proposals.models import Meeting, Proposal


def store_upload(field, upload: UploadedFile | None) -> str:
    """Save a checked upload into a file field (without saving the row); returns the name to show."""
    if upload is None:
        return ""
    checked = checked_upload(upload)
    field.save(checked.storage_name, upload, save=False)
    return checked.name


def require_text(value: str, message: str, *, code: str) -> str:
    if not (value or "").strip():
        raise DomainError(message, code=code)
    return value.strip()


def require_not_future(day: datetime.date, message: str) -> None:
    if day > timezone.localdate():
        raise DomainError(message, code="date_in_future")


def vote_passes(*, votes_for: int, votes_against: int, votes_abstain: int, head_vote: str) -> bool:
    """More than half of the votes cast pass it; an exact half goes the way the head voted."""
    cast = votes_for + votes_against + votes_abstain
    if cast == 0:
        return False
    if votes_for * 2 == cast:
        return head_vote == Meeting.Vote.FOR
    return votes_for * 2 > cast


def meeting_create(*, actor: User, proposal: Proposal, stage: str, meeting_date: datetime.date,
                   members_present: int, votes_for: int, votes_against: int, votes_abstain: int, head_vote: str,
                   author_present: bool = False, minutes: UploadedFile | None = None) -> Meeting:
    """Record a meeting of the leadership and its vote: before the decision, and again to evaluate the results.

    The caller holds the proposal's lock and has checked the action; this checks the meeting itself."""
    require_not_future(meeting_date, _("Ngày họp không thể ở tương lai."))
    voters = members_present - (1 if author_present else 0)
    cast = votes_for + votes_against + votes_abstain
    if cast > voters:
        raise DomainError(
            _("Tổng số phiếu (%(cast)s) vượt quá số thành viên được biểu quyết (%(voters)s); người đề xuất "
              "là thành viên dự họp không biểu quyết.") % {"cast": cast, "voters": max(voters, 0)},
            code="too_many_votes")
    meeting = Meeting(
        proposal=proposal, stage=stage, meeting_date=meeting_date, members_present=members_present,
        author_present=author_present, votes_for=votes_for, votes_against=votes_against,
        votes_abstain=votes_abstain, head_vote=head_vote, recorded_by=actor,
        passed=vote_passes(votes_for=votes_for, votes_against=votes_against, votes_abstain=votes_abstain,
                           head_vote=head_vote),
    )
    meeting.minutes_name = store_upload(meeting.minutes, minutes)
    meeting.full_clean()
    meeting.save()
    return meeting
