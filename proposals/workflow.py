"""The proposal's states and the moves between them, declared once (DESIGN.md "The proposal's lifecycle").

The actions that move a proposal between states (proposals.actions) take their states from this table; the
services guard with those actions and the proposal page offers them, so neither restates a state.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi, chờ xem xét")
    RETURNED = "returned", _("Trả lại để bổ sung")
    APPROVED = "approved", _("Đã phê duyệt")
    REJECTED = "rejected", _("Không phê duyệt")
    WITHDRAWN = "withdrawn", _("Đã rút")
    IMPLEMENTING = "implementing", _("Đang triển khai")
    SUSPENDED = "suspended", _("Tạm dừng")
    TERMINATED = "terminated", _("Chấm dứt")
    COMPLETED = "completed", _("Hoàn thành triển khai")
    REPORTED = "reported", _("Đã báo cáo kết quả")
    EVALUATED = "evaluated", _("Đã đánh giá")
    CONCLUDED = "concluded", _("Đã kết luận")
    CLOSED = "closed", _("Đã đóng")


TRANSITIONS: dict[str, frozenset[str]] = {
    Status.DRAFT: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
    Status.SUBMITTED: frozenset({Status.RETURNED, Status.APPROVED, Status.REJECTED, Status.WITHDRAWN}),
    Status.RETURNED: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
    Status.APPROVED: frozenset({Status.IMPLEMENTING}),
    Status.REJECTED: frozenset(),
    Status.WITHDRAWN: frozenset(),
    Status.IMPLEMENTING: frozenset({Status.SUSPENDED, Status.TERMINATED, Status.COMPLETED}),
    Status.SUSPENDED: frozenset({Status.IMPLEMENTING, Status.TERMINATED}),
    Status.TERMINATED: frozenset({Status.REPORTED}),
    Status.COMPLETED: frozenset({Status.REPORTED}),
    Status.REPORTED: frozenset({Status.EVALUATED}),
    Status.EVALUATED: frozenset({Status.CONCLUDED}),
    Status.CONCLUDED: frozenset({Status.CLOSED}),
    Status.CLOSED: frozenset(),
}

#: States in which the deciding authority still has to decide (the review inbox).
AWAITING_DECISION = frozenset({Status.SUBMITTED})
#: States in which the deciding authority has work to do or to follow (the review inbox's default view).
AUTHORITY_INBOX = frozenset({Status.SUBMITTED, Status.RETURNED, Status.COMPLETED, Status.TERMINATED,
                             Status.REPORTED, Status.EVALUATED})
# The clock that runs in each state: `proposals.clocks`.
#: States in which the proposal can move to another authority.
TRANSFERABLE = frozenset({Status.SUBMITTED, Status.RETURNED})
#: States in which the author may still change the content.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})


#: The lifecycle as a person follows it, step by step, with the states in which each step is the current one
#: (the step indicator at the top of the proposal page).
LIFECYCLE = (
    ("draft", _("Soạn thảo"), frozenset({Status.DRAFT})),
    ("review", _("Xem xét"), frozenset({Status.SUBMITTED, Status.RETURNED})),
    ("decision", _("Quyết định"), frozenset({Status.APPROVED, Status.REJECTED})),
    ("implementation", _("Triển khai"), frozenset({Status.IMPLEMENTING, Status.SUSPENDED, Status.COMPLETED,
                                                    Status.TERMINATED})),
    ("report", _("Báo cáo kết quả"), frozenset({Status.REPORTED})),
    ("evaluation", _("Đánh giá"), frozenset({Status.EVALUATED})),
    ("conclusion", _("Kết luận"), frozenset({Status.CONCLUDED})),
    ("closed", _("Đóng hồ sơ"), frozenset({Status.CLOSED})),
)
#: States that end the lifecycle early: the steps after the current one will not happen.
ENDED_EARLY = frozenset({Status.REJECTED, Status.WITHDRAWN})


def lifecycle_steps(status: str, *, was_submitted: bool) -> list[dict]:
    """Each step of the lifecycle with where the proposal stands: done, current, upcoming, or skipped (it ended
    before). A withdrawn proposal stands where it was withdrawn: at drafting, or under review once sent."""
    if status == Status.WITHDRAWN:
        current = "review" if was_submitted else "draft"
    else:
        current = next(key for key, _label, states in LIFECYCLE if status in states)
    steps, reached = [], False
    for key, label, _states in LIFECYCLE:
        if key == current:
            state, reached = "current", True
        elif not reached:
            state = "done"
        else:
            state = "skipped" if status in ENDED_EARLY else "upcoming"
        steps.append({"key": key, "label": label, "state": state})
    return steps


def allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())
