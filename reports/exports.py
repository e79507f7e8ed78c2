"""Proposal lists as XLSX and CSV, with the same filters as the page they come from: CSV streamed to the browser
row by row, either format written to a file by a background export job (reports.services.exports)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from django.utils.translation import gettext as _

from proposals.models import Decision, Proposal
from proposals.workflow import Status
from reports import selectors
from reports.spreadsheets import csv_stream, csv_write, xlsx_write


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


def write_proposals(file, *, fmt: str, scope: selectors.Scope, filters: selectors.ReportFilters,
                    progress: Callable[[int], None] | None = None, every: int = 1000) -> int:
    """Write the filtered list into `file` as XLSX or CSV; `progress(rows written)` is called every `every` rows.
    Returns the number of rows written."""
    counted = _Counted(_rows(selectors.proposal_export_rows(scope=scope, filters=filters)), progress, every)
    if fmt == "xlsx":
        xlsx_write(file, title=_("Đề xuất"), headers=headers(), rows=counted)
    elif fmt == "csv":
        csv_write(file, headers=headers(), rows=counted)
    else:
        raise ValueError(fmt)
    return counted.count


class _Counted:
    """The rows, counted as they are consumed."""

    def __init__(self, rows: Iterable[tuple], progress: Callable[[int], None] | None, every: int):
        self.rows, self.progress, self.every, self.count = rows, progress, every, 0

    def __iter__(self) -> Iterator[tuple]:
        for row in self.rows:
            yield row
            self.count += 1
            if self.progress and self.count % self.every == 0:
                self.progress(self.count)


def proposals_csv(*, scope: selectors.Scope, filters: selectors.ReportFilters) -> Iterator[bytes]:
    rows = _rows(selectors.proposal_export_rows(scope=scope, filters=filters))
    return csv_stream(headers=headers(), rows=rows)
