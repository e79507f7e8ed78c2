"""The daily deadline scan (DOMAIN.md "The procedure and its clocks").

For every running clock of the table (`proposals.clocks`):
- two working days before it ends, the people who must act are reminded (`reminder`);
- on the first working day after it ended, the head of the deciding authority is told (`head`);
- three working days after it ended, the authority above and Home Affairs are told (`above`) and the
  authority above may from then on read the proposal.
Each reminder and escalation is a ProposalEvent (REMINDED / ESCALATED) in the proposal's history and
goes out through the outbox. Its details name the clock, the due date and the level; the scan writes
each (clock, due date, level) once, so it can run any number of times a day, and a clock that restarts
(a new due date after a resubmission) is watched afresh. A scan that did not run for some days catches up:
each escalation a missed day would have written is written once, on the next run.

The scan works on sets, not rows (issue 11: a day's share at city scale, or a missed week, within minutes): one
query per clock finds the proposals with something due, and then, per batch of BATCH proposals and in one
transaction, a fixed number of statements lock them, re-read what is already written, look up every recipient
and insert the events, the grants and the outbox messages in bulk. A batch locks its proposals with
`FOR NO KEY UPDATE SKIP LOCKED` so that it never waits behind a decision in progress; the proposals another
transaction held are taken again at the end with a waiting lock, and every check (state, due date, already
written) is made on the locked rows, as a transition would.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import CharField, Exists, F, Func, OuterRef, Value
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import selectors as org
from accounts.models import HOME_AFFAIRS_GROUP
from proposals import events, outbox, permissions
from proposals.clocks import AUTHOR, CLOCKS, Clock
from proposals.models import Proposal, ProposalEvent
from proposals.selectors import LIST_DEFERRED
from routing.calendar import WorkingCalendar, add_working_days

logger = logging.getLogger(__name__)
Kind = ProposalEvent.Kind

#: Working days before the end of a clock on which the reminder goes out.
REMIND_BEFORE = 2
#: Working days after the end of a clock on which the authority above and Home Affairs are told.
ESCALATE_ABOVE_AFTER = 3

REMINDER, HEAD, ABOVE = "reminder", "head", "above"
LEVELS = (REMINDER, HEAD, ABOVE)

#: Proposals locked and written per transaction: a day's share at city scale is then a few dozen statements,
#: and no decision waits on a scan's locks for more than a moment.
BATCH = 500


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


def _home_affairs_ids() -> list[int]:
    group = Group.objects.filter(name=HOME_AFFAIRS_GROUP).first()
    return list(group.user_set.filter(is_active=True).values_list("pk", flat=True)) if group else []


@dataclass(frozen=True)
class _Due:
    """Levels of one clock of one proposal that are due today, as read before the lock."""

    clock: Clock
    due: datetime.date
    levels: tuple[str, ...]


def _escalated(clock: Clock, level: str) -> Exists:
    """An escalation of `level` is written for the clock's current due date (compared as the ISO text the
    events keep)."""
    return Exists(
        ProposalEvent.objects.filter(proposal_id=OuterRef("pk"), kind=Kind.ESCALATED)
        .alias(clock_name=KT("details__clock"), level=KT("details__level"), due_on=KT("details__due_date"))
        .filter(clock_name=clock.name, level=level, due_on=OuterRef("due_text"))
    )


def _candidates(clock: Clock, horizon: datetime.date) -> list[tuple[int, datetime.date]]:
    """(proposal id, due date) of the proposals whose clock ends by `horizon`, leaving out those whose clock has
    had both escalations already: past them nothing more is ever due, so the scan's work grows with what is due,
    not with the history of every late proposal."""
    due_text = Func(F(clock.due_field), Value("YYYY-MM-DD"), function="to_char", output_field=CharField())
    return list(
        Proposal.objects.filter(status__in=clock.states, **{f"{clock.due_field}__lte": horizon})
        .alias(due_text=due_text)
        .exclude(_escalated(clock, HEAD) & _escalated(clock, ABOVE))
        .values_list("pk", clock.due_field)
    )


def deadline_scan(*, today: datetime.date | None = None) -> list[ProposalEvent]:
    """Write the reminders and escalations due on `today` (default: the local date); returns them.

    `today` is an argument so that tests and catch-up runs can name the day instead of patching time.
    """
    today = today or timezone.localdate()
    horizon = add_working_days(today, REMIND_BEFORE)
    rows = [(clock, pk, due) for clock in CLOCKS for pk, due in _candidates(clock, horizon)]
    if not rows:
        return []
    earliest = min(due for _clock, _pk, due in rows)
    calendar = WorkingCalendar(min(earliest, today), max(horizon, today) + datetime.timedelta(days=1))
    due: dict[int, list[_Due]] = {}
    for clock, pk, due_date in rows:
        levels = levels_due(calendar, today=today, due=due_date)
        if levels:
            due.setdefault(pk, []).append(_Due(clock=clock, due=due_date, levels=tuple(levels)))
    if not due:
        return []
    home_affairs = _home_affairs_ids()
    written: list[ProposalEvent] = []
    held: list[int] = []
    for batch in _batches(sorted(due)):
        batch_written, batch_held = _write_safely(batch, due, today=today, home_affairs=home_affairs,
                                                  skip_locked=True)
        written += batch_written
        held += batch_held
    # Proposals a decision (or another scan) held a moment ago: wait for it now, then check again.
    for batch in _batches(held):
        written += _write_safely(batch, due, today=today, home_affairs=home_affairs, skip_locked=False)[0]
    clock_order = {clock.name: index for index, clock in enumerate(CLOCKS)}
    written.sort(key=lambda event: (clock_order[event.details["clock"]], event.proposal_id,
                                    LEVELS.index(event.details["level"])))
    return written


def _batches(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), BATCH):
        yield ids[start:start + BATCH]


def _write_safely(ids: list[int], due: dict[int, list[_Due]], *, today: datetime.date, home_affairs: list[int],
                  skip_locked: bool) -> tuple[list[ProposalEvent], list[int]]:
    """One batch; when it fails, each of its proposals alone, so that one bad row delays only itself."""
    try:
        return _write_batch(ids, due, today=today, home_affairs=home_affairs, skip_locked=skip_locked)
    except Exception:
        if len(ids) == 1:
            logger.exception("Deadline scan: proposal %s failed", ids[0])
            return [], []
    written: list[ProposalEvent] = []
    held: list[int] = []
    for pk in ids:
        one_written, one_held = _write_safely([pk], due, today=today, home_affairs=home_affairs,
                                              skip_locked=skip_locked)
        written += one_written
        held += one_held
    return written, held


@transaction.atomic
def _write_batch(ids: list[int], due: dict[int, list[_Due]], *, today: datetime.date, home_affairs: list[int],
                 skip_locked: bool) -> tuple[list[ProposalEvent], list[int]]:
    """Lock the batch, re-check on the locked rows, and write what is still due. Returns the events written and
    the proposals skipped because another transaction held them."""
    # The lock of proposals.locks.proposal_lock, for many rows: it serialises with every transition while still
    # letting others insert rows that point at the proposal.
    proposals = list(
        Proposal.objects.select_for_update(no_key=True, of=("self",), skip_locked=skip_locked)
        .select_related("author", "deciding_authority").defer(*LIST_DEFERRED)
        .filter(pk__in=ids).order_by("pk")
    )
    held = sorted(set(ids) - {proposal.pk for proposal in proposals}) if skip_locked else []
    done = set(
        ProposalEvent.objects.filter(proposal_id__in=[p.pk for p in proposals], kind__in=(Kind.REMINDED, Kind.ESCALATED))
        .annotate(clock_name=KT("details__clock"), due_on=KT("details__due_date"), level=KT("details__level"))
        .values_list("proposal_id", "clock_name", "due_on", "level")
    )
    # What is still due once the state and the due date are read under the lock.
    todo = [
        (proposal, item.clock, item.due, level)
        for proposal in proposals
        for item in due[proposal.pk]
        if proposal.status in item.clock.states and getattr(proposal, item.clock.due_field) == item.due
        for level in item.levels
        if (proposal.pk, item.clock.name, item.due.isoformat(), level) not in done
    ]
    if not todo:
        return [], held
    people = _People(todo, today=today)
    new_events, recipients, viewers = [], [], set()
    for proposal, clock, due_date, level in todo:
        recipient_ids, said, viewer_ids = people.recipients(proposal, clock, level, home_affairs)
        viewers |= {(proposal.pk, pk) for pk in viewer_ids if pk != proposal.author_id}
        when = due_date.strftime("%d/%m/%Y")
        if level == REMINDER:
            reason = _("Sắp đến %(clock)s (%(due)s).") % {"clock": clock.deadline, "due": when}
        else:
            reason = _("Đã quá %(clock)s (%(due)s).") % {"clock": clock.deadline, "due": when}
        new_events.append(ProposalEvent(
            proposal=proposal, actor=None, kind=Kind.REMINDED if level == REMINDER else Kind.ESCALATED,
            details={"clock": clock.name, "due_date": due_date.isoformat(), "level": level,
                     "reason": f"{reason} {said}", "recipients": sorted(set(recipient_ids))},
        ))
        recipients.append(recipient_ids)
    # The authority above needs to read the proposal to act on it; Home Affairs sees every proposal already.
    permissions.grant_viewers_many(viewers)
    written = events.record_many(new_events)
    outbox.queue_many(zip(written, recipients, strict=True))
    return written, held


class _People:
    """Everyone a batch's messages go to, read with one query per kind of person for the whole batch."""

    def __init__(self, todo: list[tuple], *, today: datetime.date):
        authorities = {proposal.deciding_authority_id: proposal.deciding_authority for proposal, *_rest in todo}
        self.heads = org.authority_heads_current_many(authority_ids=authorities, on=today)
        above_of = {proposal.deciding_authority_id for proposal, _clock, _due, level in todo if level == ABOVE}
        self.above = org.authorities_above_many(authorities=[authorities[pk] for pk in sorted(above_of)])
        self.above_members = org.authority_member_ids_current_many(
            authority_ids={unit.pk for unit in self.above.values() if unit is not None}, on=today)
        need_deciders = {
            proposal.pk for proposal, clock, _due, level in todo
            if (level == REMINDER and clock.responsible != AUTHOR)
            or (level == HEAD and proposal.deciding_authority_id not in self.heads)
        }
        self.deciders = permissions.decider_ids_many(need_deciders) if need_deciders else {}

    def recipients(self, proposal: Proposal, clock: Clock, level: str,
                   home_affairs: list[int]) -> tuple[list[int], str, list[int]]:
        """The people to tell, a sentence for the proposal's history naming them, and who must be let read it."""
        authority = proposal.deciding_authority
        if level == REMINDER:
            if clock.responsible == AUTHOR:
                said = _("Nhắc người đề xuất %(name)s.") % {"name": proposal.author.get_full_name()}
                return [proposal.author_id], said, []
            said = _("Nhắc các thành viên %(authority)s.") % {"authority": authority}
            return self.deciders.get(proposal.pk, []), said, []
        if level == HEAD:
            head = self.heads.get(authority.pk)
            if head is not None:
                return [head], _("Báo cáo người đứng đầu %(authority)s.") % {"authority": authority}, []
            said = _("%(authority)s chưa có người đứng đầu; báo các thành viên.") % {"authority": authority}
            return self.deciders.get(proposal.pk, []), said, []
        above = self.above.get(authority.pk)
        above_members = self.above_members.get(above.pk, []) if above else []
        if above:
            said = _("Báo cáo %(above)s và Sở Nội vụ.") % {"above": above}
        else:
            said = _("Báo cáo Sở Nội vụ.")
        return [*above_members, *home_affairs], said, above_members
