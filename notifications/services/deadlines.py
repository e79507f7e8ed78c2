"""The daily deadline scan (DOMAIN.md "The procedure and its clocks").

For every running clock of the table (`proposals.clocks`):
- two working days before it ends, the people who must act are reminded (`reminder`);
- on the first working day after it ended, the head of the deciding authority is told (`head`);
- three working days after it ended, the authority above and Home Affairs are told (`above`) and the
  authority above may from then on read the proposal.
Each reminder and escalation is a ProposalEvent (REMINDED / ESCALATED) in the proposal's history and
goes out through the outbox. Its details name the clock, the due date and the level; the scan writes
each (clock, due date, level) once, so it can run any number of times a day, and a clock that restarts
(a new due date after a resubmission) is watched afresh. A scan that did not run for some days catches up.
"""

from __future__ import annotations

import datetime
import logging

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import selectors as org
from accounts.models import HOME_AFFAIRS_GROUP, User
from proposals import events, outbox, permissions
from proposals.clocks import AUTHOR, CLOCKS, Clock
from proposals.locks import proposal_lock
from proposals.models import Proposal, ProposalEvent
from routing.calendar import WorkingCalendar, add_working_days

logger = logging.getLogger(__name__)
Kind = ProposalEvent.Kind

#: Working days before the end of a clock on which the reminder goes out.
REMIND_BEFORE = 2
#: Working days after the end of a clock on which the authority above and Home Affairs are told.
ESCALATE_ABOVE_AFTER = 3

REMINDER, HEAD, ABOVE = "reminder", "head", "above"


def _working_days_after(calendar: WorkingCalendar, start: datetime.date, end: datetime.date, cap: int) -> int:
    """Working days after `start` up to and including `end`, counting no further than `cap`."""
    count, day = 0, start
    while day < end and count < cap:
        day += datetime.timedelta(days=1)
        if calendar.is_working_day(day):
            count += 1
    return count


def levels_due(calendar: WorkingCalendar, *, today: datetime.date, due: datetime.date) -> list[str]:
    if today <= due:
        left = _working_days_after(calendar, today, due, REMIND_BEFORE + 1)
        return [REMINDER] if left <= REMIND_BEFORE else []
    late = _working_days_after(calendar, due, today, ESCALATE_ABOVE_AFTER)
    return [level for level, after in ((HEAD, 1), (ABOVE, ESCALATE_ABOVE_AFTER)) if late >= after]


def _home_affairs() -> list[User]:
    group = Group.objects.filter(name=HOME_AFFAIRS_GROUP).first()
    return list(group.user_set.filter(is_active=True)) if group else []


def _recipients(proposal: Proposal, clock: Clock, level: str,
                today: datetime.date) -> tuple[list[int], str, list[User]]:
    """The people to tell, a sentence for the proposal's history naming them, and who must be let read it."""
    authority = proposal.deciding_authority
    if level == REMINDER:
        if clock.responsible == AUTHOR:
            said = _("Nhắc người đề xuất %(name)s.") % {"name": proposal.author.get_full_name()}
            return [proposal.author_id], said, []
        return permissions.decider_ids(proposal), _("Nhắc các thành viên %(authority)s.") % {"authority": authority}, []
    if level == HEAD:
        head = org.authority_head_current(authority=authority, on=today)
        if head is not None:
            return [head.pk], _("Báo cáo người đứng đầu %(authority)s.") % {"authority": authority}, []
        said = _("%(authority)s chưa có người đứng đầu; báo các thành viên.") % {"authority": authority}
        return permissions.decider_ids(proposal), said, []
    above = authority.authority_above()
    above_members = list(org.authority_members_current(authority=above, on=today)) if above else []
    home_affairs = _home_affairs()
    if above:
        said = _("Báo cáo %(above)s và Sở Nội vụ.") % {"above": above}
    else:
        said = _("Báo cáo Sở Nội vụ.")
    # The authority above needs to read the proposal to act on it; Home Affairs sees every proposal already.
    return [u.pk for u in above_members] + [u.pk for u in home_affairs], said, above_members


def _already(proposal_id: int, clock: str, due: datetime.date, level: str) -> bool:
    return ProposalEvent.objects.filter(
        proposal_id=proposal_id, kind__in=(Kind.REMINDED, Kind.ESCALATED),
        details__clock=clock, details__due_date=due.isoformat(), details__level=level,
    ).exists()


@transaction.atomic
def _record(*, proposal_id: int, clock: Clock, due: datetime.date, level: str,
            today: datetime.date) -> ProposalEvent | None:
    # Lock the proposal so that two scans (or a scan and a decision) do not both write, then re-check
    # on the locked row: the state or the due date may have changed since the candidates were read.
    proposal = proposal_lock(proposal_id, related=("author", "deciding_authority__parent"))
    if proposal.status not in clock.states or getattr(proposal, clock.due_field) != due:
        return None
    if _already(proposal.pk, clock.name, due, level):
        return None
    recipient_ids, said, viewers = _recipients(proposal, clock, level, today)
    permissions.grant_viewers(proposal, [u for u in viewers if u.pk != proposal.author_id])
    if level == REMINDER:
        reason = _("Sắp đến %(clock)s (%(due)s).") % {"clock": clock.deadline, "due": due.strftime("%d/%m/%Y")}
    else:
        reason = _("Đã quá %(clock)s (%(due)s).") % {"clock": clock.deadline, "due": due.strftime("%d/%m/%Y")}
    event = events.record(
        proposal=proposal, actor=None, kind=Kind.REMINDED if level == REMINDER else Kind.ESCALATED,
        details={"clock": clock.name, "due_date": due.isoformat(), "level": level,
                 "reason": f"{reason} {said}", "recipients": sorted(set(recipient_ids))},
    )
    outbox.queue(event=event, recipient_ids=recipient_ids)
    return event


def deadline_scan(*, today: datetime.date | None = None) -> list[ProposalEvent]:
    """Write the reminders and escalations due on `today` (default: the local date); returns them.

    `today` is an argument so that tests and catch-up runs can name the day instead of patching time.
    """
    today = today or timezone.localdate()
    horizon = add_working_days(today, REMIND_BEFORE)
    candidates: list[tuple[Clock, int, datetime.date]] = []
    for clock in CLOCKS:
        rows = Proposal.objects.filter(
            status__in=clock.states, **{f"{clock.due_field}__isnull": False, f"{clock.due_field}__lte": horizon},
        ).values_list("pk", clock.due_field)
        candidates += [(clock, pk, due) for pk, due in rows]
    if not candidates:
        return []
    done = set(
        (proposal_id, d.get("clock"), d.get("due_date"), d.get("level"))
        for proposal_id, d in ProposalEvent.objects.filter(
            proposal_id__in={pk for _clock, pk, _due in candidates}, kind__in=(Kind.REMINDED, Kind.ESCALATED),
        ).values_list("proposal_id", "details")
    )
    earliest = min(due for _clock, _pk, due in candidates)
    calendar = WorkingCalendar(min(earliest, today), max(horizon, today) + datetime.timedelta(days=1))
    written = []
    for clock, proposal_id, due in candidates:
        for level in levels_due(calendar, today=today, due=due):
            if (proposal_id, clock.name, due.isoformat(), level) in done:
                continue
            try:
                event = _record(proposal_id=proposal_id, clock=clock, due=due, level=level, today=today)
            except Exception:
                logger.exception("Deadline scan: proposal %s, clock %s, level %s failed", proposal_id, clock.name, level)
                continue
            if event is not None:
                written.append(event)
    return written
