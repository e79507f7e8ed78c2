"""The words of each message, by proposal event kind or, for a message about no proposal, by notice kind.
Recipients are chosen by the services that queue the message; this module only says what happened, in
Vietnamese (through gettext), and where to look."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.models import Category
from proposals.clocks import CLOCK_BY_NAME
from proposals.models import NoticeKind, OutboxMessage, ProposalEvent

Kind = ProposalEvent.Kind

CATEGORY_OF_KIND: dict[str, str] = {
    Kind.ROUTED: Category.ASSIGNED,
    Kind.TRANSFERRED: Category.ASSIGNED,
    Kind.RESUBMITTED: Category.ASSIGNED,
    Kind.SUBMITTED: Category.ASSIGNED,
    Kind.WITHDRAWN: Category.ASSIGNED,
    Kind.RETURNED: Category.DECISION,
    Kind.APPROVED: Category.DECISION,
    Kind.REJECTED: Category.DECISION,
    Kind.IMPLEMENTATION_STARTED: Category.IMPLEMENTATION,
    Kind.PROGRESS: Category.IMPLEMENTATION,
    Kind.SUSPENDED: Category.IMPLEMENTATION,
    Kind.RESUMED: Category.IMPLEMENTATION,
    Kind.TERMINATED: Category.IMPLEMENTATION,
    Kind.COMPLETED: Category.IMPLEMENTATION,
    Kind.REPORTED: Category.EVALUATION,
    Kind.EVALUATED: Category.EVALUATION,
    Kind.CONCLUDED: Category.EVALUATION,
    Kind.REWARD: Category.EVALUATION,
    Kind.CLOSED: Category.EVALUATION,
    Kind.COMMENTED: Category.COMMENT,
    Kind.REMINDED: Category.DEADLINE,
    Kind.ESCALATED: Category.DEADLINE,
}

@dataclass(frozen=True)
class Message:
    category: str
    title: str
    body: str


def category_of(kind: str) -> str:
    return CATEGORY_OF_KIND.get(kind, Category.OTHER)


def _deadline(clock_name: str | None) -> str:
    """A clock's deadline as a sentence names it (`proposals.clocks`); empty for a clock no longer declared."""
    clock = CLOCK_BY_NAME.get(clock_name)
    return str(clock.deadline) if clock else ""


def _day(value: str | datetime.date | None) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value)
    return value.strftime("%d/%m/%Y")


#: Events whose message to the proposal's author is a receipt: what was sent, to whom, and by when it is decided.
RECEIPT_KINDS = frozenset({Kind.SUBMITTED, Kind.RESUBMITTED})


def compose(event: ProposalEvent, *, recipient_id: int | None = None) -> Message:
    """Title and body of the message about `event`: the same for every recipient of that event, except the
    receipt its author gets for a submission."""
    proposal = event.proposal
    if event.kind in RECEIPT_KINDS and recipient_id is not None and recipient_id == proposal.author_id:
        return _receipt(event)
    details = event.details or {}
    ref = proposal.reference or ""
    names = {
        "ref": ref, "title": proposal.title,
        "actor": event.actor.get_full_name() if event.actor_id else _("Hệ thống"),
        "author": proposal.author.get_full_name(),
        # The authority the event named, when it stored one (a later transfer does not reword it).
        "authority": details.get("authority") or (
            proposal.deciding_authority.name if proposal.deciding_authority_id else ""),
        "reason": details.get("reason", ""), "number": details.get("number", ""),
        "date": _day(details.get("date")),
    }
    kind = event.kind
    if kind == Kind.ROUTED:
        title = _("Đề xuất mới cần xem xét: %(ref)s") % names
        body = _("Đề xuất “%(title)s” của %(author)s đã được gửi tới %(authority)s để xem xét, quyết định.") % names
        if proposal.review_due_date:
            body += " " + _("Hạn xem xét: %(due)s.") % {"due": _day(proposal.review_due_date)}
    elif kind == Kind.TRANSFERRED:
        names.update(source=details.get("from", ""), target=details.get("to", names["authority"]))
        title = _("Đề xuất %(ref)s được chuyển tới %(target)s") % names
        body = _("Đề xuất “%(title)s” đã được chuyển từ %(source)s tới %(target)s để xem xét, quyết định. "
                 "Lý do: %(reason)s") % names
    elif kind in (Kind.RESUBMITTED, Kind.SUBMITTED):
        title = _("Đề xuất đã được bổ sung và gửi lại: %(ref)s") % names
        body = _("%(author)s đã bổ sung và gửi lại đề xuất “%(title)s” (phiên bản %(version)s).") % {
            **names, "version": details.get("version", proposal.current_version)}
    elif kind == Kind.WITHDRAWN:
        title = _("Người đề xuất đã rút đề xuất %(ref)s") % names
        body = _("%(author)s đã rút đề xuất “%(title)s”.") % names
        if names["reason"]:
            body += " " + _("Lý do: %(reason)s") % names
    elif kind == Kind.RETURNED:
        title = _("Đề xuất %(ref)s được trả lại để bổ sung") % names
        body = _("%(authority)s đề nghị bổ sung đề xuất “%(title)s”: %(reason)s") % names
    elif kind == Kind.APPROVED:
        title = _("Đề xuất %(ref)s đã được phê duyệt") % names
        body = _("%(authority)s đã phê duyệt đề xuất “%(title)s” (quyết định số %(number)s ngày %(date)s).") % names
    elif kind == Kind.REJECTED:
        title = _("Đề xuất %(ref)s không được phê duyệt") % names
        body = _("%(authority)s không phê duyệt đề xuất “%(title)s” (quyết định số %(number)s ngày %(date)s). "
                 "Lý do: %(reason)s") % names
    elif kind == Kind.COMMENTED:
        title = _("Trao đổi mới về đề xuất %(ref)s") % names
        body = _("%(actor)s đã gửi một trao đổi về đề xuất “%(title)s”.") % names
    elif kind == Kind.SUSPENDED:
        title = _("Lệnh tạm dừng triển khai đề xuất %(ref)s") % names
        body = _("%(authority)s yêu cầu tạm dừng triển khai đề xuất “%(title)s”.") % names
    elif kind == Kind.RESUMED:
        title = _("Lệnh tiếp tục triển khai đề xuất %(ref)s") % names
        body = _("%(authority)s yêu cầu tiếp tục triển khai đề xuất “%(title)s”.") % names
    elif kind == Kind.TERMINATED:
        title = _("Lệnh chấm dứt triển khai đề xuất %(ref)s") % names
        body = _("%(authority)s yêu cầu chấm dứt triển khai đề xuất “%(title)s”. "
                 "Người đề xuất nộp báo cáo kết quả theo thời hạn quy định.") % names
    elif kind == Kind.CONCLUDED and "protection_id" in details:
        title = _("Kết luận và quyết định bảo vệ đối với đề xuất %(ref)s") % names
        body = _("%(authority)s đã ban hành kết luận đánh giá và quyết định bảo vệ đối với đề xuất “%(title)s”.") % names
    elif kind == Kind.CONCLUDED:
        title = _("Kết luận đánh giá đề xuất %(ref)s") % names
        body = _("%(authority)s đã ban hành kết luận đánh giá kết quả thực hiện đề xuất “%(title)s”.") % names
    elif kind == Kind.REMINDED:
        names.update(clock=_deadline(details.get("clock")), due=_day(details.get("due_date")))
        title = _("Nhắc hạn: đề xuất %(ref)s") % names
        body = _("Đề xuất “%(title)s” sắp đến %(clock)s: %(due)s.") % names
    elif kind == Kind.ESCALATED:
        names.update(clock=_deadline(details.get("clock")), due=_day(details.get("due_date")))
        title = _("Quá hạn: đề xuất %(ref)s") % names
        body = _("Đề xuất “%(title)s” của %(authority)s đã quá %(clock)s (%(due)s) mà chưa được xử lý.") % names
        if details.get("level") == "above":
            # Sent to the authority above and Home Affairs: say what is expected of them.
            body += " " + _("Đề nghị theo dõi, đôn đốc %(authority)s xử lý theo quy định; bạn đã được cấp quyền "
                            "xem hồ sơ đề xuất.") % names
    else:
        title = _("%(event)s: đề xuất %(ref)s") % {"event": event.get_kind_display(), "ref": ref}
        body = _("Đề xuất “%(title)s” có cập nhật mới: %(event)s.") % {
            "title": proposal.title, "event": event.get_kind_display()}
    return Message(category=category_of(kind), title=title[:300], body=body)


def _receipt(event: ProposalEvent) -> Message:
    proposal = event.proposal
    names = {"ref": proposal.reference or "", "title": proposal.title,
             "authority": proposal.deciding_authority.name if proposal.deciding_authority_id else "",
             "version": (event.details or {}).get("version", proposal.current_version)}
    if event.kind == Kind.SUBMITTED:
        title = _("Đã gửi đề xuất %(ref)s") % names
        body = _("Đề xuất “%(title)s” của bạn đã được gửi tới %(authority)s để xem xét, quyết định.") % names
    else:
        title = _("Đã gửi lại đề xuất %(ref)s") % names
        body = _("Phiên bản %(version)s của đề xuất “%(title)s” đã được gửi lại tới %(authority)s.") % names
    if proposal.review_due_date:
        body += " " + _("Hạn xem xét: %(due)s.") % {"due": _day(proposal.review_due_date)}
    body += " " + _("Bạn sẽ nhận được thông báo khi cơ quan có thẩm quyền trả lời.")
    return Message(category=Category.RECEIPT, title=title[:300], body=body)


def compose_confidential() -> Message:
    """A message about a retaliation report (an outbox row without a proposal event). The report is
    confidential, so neither the text nor the e-mail says anything about it: the person signs in to read it."""
    return Message(
        category=Category.RETALIATION,
        title=_("Có cập nhật về một phản ánh bị cản trở, trù dập"),
        body=_("Có cập nhật về một phản ánh bị cản trở, trù dập mà bạn đã gửi hoặc được giao xử lý. "
               "Vì thông tin được bảo mật, hãy đăng nhập Cổng để xem."),
    )


def compose_notice(*, kind: str, payload: dict) -> Message:
    """A message about no proposal (an outbox row with a notice kind), from the facts its sender stored:
    the year and the unit whose head or secretariat is told."""
    if kind == NoticeKind.AUDIT_BROKEN:
        title = _("Nhật ký kiểm tra bị sửa đổi: bảng %(table)s, dòng %(row)s") % payload
        body = _("Bước kiểm tra hằng đêm phát hiện chuỗi niêm phong của bảng %(table)s không khớp từ dòng %(row)s "
                 "(%(reason)s). Dữ liệu nhật ký có thể đã bị sửa hoặc xoá ngoài cổng; đề nghị báo ngay bộ phận "
                 "quản trị hệ thống và lưu giữ bản sao lưu cơ sở dữ liệu.") % payload
        return Message(category=Category.OTHER, title=title[:300], body=body)
    names = {"year": payload["year"], "unit": payload["unit"]}
    if kind == NoticeKind.ANNUAL_REVIEW:
        title = _("Tổng kết năm %(year)s: nộp kế hoạch thực hiện đề xuất đổi mới, sáng tạo") % names
        body = _("Cổng đã mở đợt tổng kết việc thực hiện đề xuất đổi mới, sáng tạo năm %(year)s. Đề nghị "
                 "%(unit)s rà soát, nộp kế hoạch thực hiện và báo cáo kết quả năm %(year)s cho Sở Nội vụ.") % names
    elif kind == NoticeKind.PLAN_REMINDER:
        title = _("Nhắc nộp kế hoạch thực hiện năm %(year)s") % names
        body = _("Sở Nội vụ chưa nhận được kế hoạch thực hiện năm %(year)s về khuyến khích, bảo vệ cán bộ năng "
                 "động, sáng tạo (Nghị định 73/2023/NĐ-CP) của %(unit)s. Đề nghị đơn vị nộp kế hoạch trên Cổng "
                 "đề xuất đổi mới, sáng tạo.") % names
    else:
        raise ValueError(f"unknown notice kind {kind!r}")
    return Message(category=Category.ANNUAL_REVIEW, title=title[:300], body=body)


def compose_for(message: OutboxMessage) -> Message:
    """The words of an outbox message, in the active language, from what its sender stored: the proposal event,
    the retaliation step, or the notice's kind and facts."""
    if message.event_id is not None:
        return compose(message.event, recipient_id=message.recipient_id)
    if message.retaliation_step_id is not None:
        return compose_confidential()
    return compose_notice(kind=message.kind, payload=message.payload)


def in_reader_language(notification) -> Message:
    """A notification as its reader reads it. Its stored title and body are the words it was delivered with (and
    e-mailed in), in the portal's language; a reader in another language gets them worded again from what its
    outbox message stored, with the same facts."""
    message = notification.outbox_message
    if message is None or translation.get_language() == settings.LANGUAGE_CODE:
        return Message(category=notification.category, title=notification.title, body=notification.body)
    return compose_for(message)
