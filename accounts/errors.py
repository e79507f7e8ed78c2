"""The root of the portal's domain errors; each has a stable code that tests assert on.

It lives in the lowest app so that routing and proposals share one hierarchy."""

from __future__ import annotations

from django.utils.translation import gettext as _


class DomainError(Exception):
    code = "domain_error"

    def __init__(self, message: str | None = None):
        self.message = message or self.default_message()
        super().__init__(self.message)

    def default_message(self) -> str:
        return _("Không thể thực hiện thao tác này.")
