"""Errors of the monitoring workplace, in the portal's one domain error hierarchy."""

from __future__ import annotations

from django.utils.translation import gettext as _

from accounts.errors import DomainError

__all__ = ["DomainError", "NotAllowed"]


class NotAllowed(DomainError):
    code = "not_allowed"

    def default_message(self) -> str:
        return _("Bạn không có quyền thực hiện thao tác này.")
