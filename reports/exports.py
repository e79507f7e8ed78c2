"""Proposal lists as XLSX and CSV, with the same filters as the page they come from."""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext as _

from proposals.models import Decision, Proposal
from proposals.workflow import Status
from reports import selectors
from reports.spreadsheets import csv_stream, xlsx_stream


def headers() -> list[str]:
    return [
        _("Số hiệu"), _("Tên đề xuất"), _("Lĩnh vực"), _("Người đề xuất"), _("Chức vụ khi gửi"),
        _("Đơn vị khi gửi"), _("Cơ quan quyết định"), _("Trạng thái"), _("Ngày gửi"), _("Hạn xem xét"),
        _("Ngày quyết định"), _("Quyết định"), _("Căn cứ phê duyệt"), _("Kinh phí dự kiến (đồng)"),
    ]


def _rows(rows) -> Iterator[tuple]:
    statuses = dict(Status.choices)
    kinds = dict(Decision.Kind.choices)
    bases = dict(Proposal.ApprovalBasis.choices)
    status_at = selectors.EXPORT_FIELDS.index("status")
    kind_at = selectors.EXPORT_FIELDS.index("decision__kind")
    basis_at = selectors.EXPORT_FIELDS.index("approval_basis")
    for row in rows:
        row = list(row)
        row[status_at] = str(statuses.get(row[status_at], row[status_at]))
        row[kind_at] = str(kinds.get(row[kind_at], row[kind_at] or ""))
        row[basis_at] = str(bases.get(row[basis_at], row[basis_at] or ""))
        yield tuple(row)


def proposals_xlsx(*, scope: selectors.Scope, filters: selectors.ReportFilters) -> Iterator[bytes]:
    rows = _rows(selectors.proposal_export_rows(scope=scope, filters=filters))
    return xlsx_stream(title=_("Đề xuất"), headers=headers(), rows=rows)


def proposals_csv(*, scope: selectors.Scope, filters: selectors.ReportFilters) -> Iterator[bytes]:
    rows = _rows(selectors.proposal_export_rows(scope=scope, filters=filters))
    return csv_stream(headers=headers(), rows=rows)
