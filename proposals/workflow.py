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


def allowed(current: str, target: str) -> bool:
    return target in TRANSITIONS.get(current, frozenset())
