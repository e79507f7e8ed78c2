"""The root of the portal's domain errors; each has a stable code that tests assert on.

It lives in the lowest app so that routing and proposals share one hierarchy. A subclass names its code
at class level (`code = "not_allowed"`); a plain DomainError names it where it is raised:
`raise DomainError(_("…"), code="decision_number_taken")`. Codes are snake_case English and never
change once tests and callers rely on them; the message is for people and may be reworded."""

from __future__ import annotations

from django.utils.translation import gettext as _


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str | None = None, *, code: str | None = None):
        self.message = message or self.default_message()
        if code is not None:
            self.code = code
        super().__init__(self.message)

    def default_message(self) -> str:
        return _("Không thể thực hiện thao tác này.")


class PasswordResetThrottled(DomainError):
    code = "password_reset_throttled"

    def __init__(self, *, minutes: int):
        self.minutes = minutes
        super().__init__(_("Địa chỉ này, hoặc máy bạn đang dùng, đã yêu cầu đặt lại mật khẩu quá nhiều lần trong một "
                           "giờ qua. Hãy thử lại sau %(minutes)s phút.") % {"minutes": minutes})
