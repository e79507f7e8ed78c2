"""Errors of the proposal workflow."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.errors import DomainError

__all__ = ["DomainError", "InvalidTransition", "PermissionDenied", "NotAuthorityMember", "NoCurrentPost", "Incomplete", "RoutingFailed"]


class InvalidTransition(DomainError):
    code = "invalid_transition"

    def __init__(self, *, current: str, target: str):
        from proposals.workflow import Status  # local: workflow imports this module

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
