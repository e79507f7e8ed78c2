"""Errors of the proposal workflow. Tests assert on `code`, never on the wording."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.errors import DomainError
from proposals.workflow import Status

__all__ = [
    "DomainError", "ActionUnavailable", "AlreadyDecided", "InvalidState", "InvalidTransition", "PermissionDenied",
    "NotAuthorityMember", "NotHead", "NotImplementer", "EvaluatesOwnWork", "NoCurrentPost", "Incomplete", "RoutingFailed",
    "SigningFailed",
]


class ActionUnavailable(DomainError):
    """The action cannot be taken now: the proposal's state, or a condition of the action, refuses it
    (proposals.actions). The page does not offer what raises this."""

    code = "action_unavailable"


class InvalidState(ActionUnavailable):
    code = "invalid_state"

    def __init__(self, message: str | None = None, *, status: str = ""):
        super().__init__(message or _("Đề xuất đang ở trạng thái “%(status)s”; không thể thực hiện thao tác này.")
                         % {"status": status})


class AlreadyDecided(InvalidState):
    code = "already_decided"

    def __init__(self, *, status: str):
        super().__init__(_("Đề xuất đã được quyết định (%(status)s); không thể quyết định lại.") % {"status": status})


class InvalidTransition(ActionUnavailable):
    code = "invalid_transition"

    def __init__(self, *, current: str, target: str):
        self.current, self.target = current, target
        super().__init__(
            _("Đề xuất đang ở trạng thái “%(current)s”, không thể chuyển sang “%(target)s”.")
            % {"current": Status(current).label, "target": Status(target).label}
        )


class PermissionDenied(DomainError):
    code = "permission_denied"

    def default_message(self) -> str:
        return _("Bạn không có quyền thực hiện thao tác này với đề xuất.")


class NotAuthorityMember(PermissionDenied):
    code = "not_authority_member"

    def default_message(self) -> str:
        return _("Bạn không thuộc cơ quan có thẩm quyền quyết định đề xuất này.")


class NotHead(PermissionDenied):
    code = "not_head"

    def default_message(self) -> str:
        return _("Chỉ người đứng đầu cơ quan có thẩm quyền mới ký quyết định này.")


class NotImplementer(PermissionDenied):
    code = "not_implementer"

    def default_message(self) -> str:
        return _("Chỉ người đề xuất và người được giao thực hiện mới thực hiện được thao tác này.")


class EvaluatesOwnWork(PermissionDenied):
    code = "evaluates_own_work"

    def default_message(self) -> str:
        return _("Người thực hiện không đánh giá kết quả công việc của mình.")


class NoCurrentPost(DomainError):
    code = "no_current_post"

    def default_message(self) -> str:
        return _("Bạn chưa có chức vụ hiện hành trên Cổng nên chưa thể gửi đề xuất. Hãy liên hệ quản trị viên.")


class Incomplete(DomainError):
    code = "incomplete"

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(_("Đề xuất chưa đầy đủ; hãy bổ sung các mục được đánh dấu."))


class RoutingFailed(DomainError):
    code = "routing_failed"


class SigningFailed(DomainError):
    """The issuing body has a certificate that cannot be opened (a wrong passphrase, a damaged file): nothing is
    issued, rather than a document without the signature its body is configured to give."""

    code = "signing_failed"

    def __init__(self, *, authority: str):
        super().__init__(_("Chưa ban hành được văn bản: không mở được chứng thư số của %(authority)s (sai mật khẩu hoặc "
                           "tệp hỏng). Hãy báo quản trị hệ thống; chưa có gì được lưu.") % {"authority": authority})
