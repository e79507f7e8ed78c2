"""Proposal lists as XLSX and CSV, with the same filters as the page they come from: CSV streamed to the browser
row by row, either format written to a file by a background export job (reports.services.exports)."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Iterator

from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from proposals.clocks import CLOCKS, Lateness, running_clock
from proposals.models import Decision, Proposal
from proposals.workflow import Status
from reports import selectors
from reports.spreadsheets import csv_stream, csv_write, xlsx_write


def headers() -> list[str]:
    """The drill-down list's columns in the order of the screen; what the screen shows beneath a cell (the topic
    under the title, the post and unit under the proposer, the decision under its date) has a column of its own
    right after it."""
    return [
        _("Số hiệu"), _("Tên đề xuất"), _("Lĩnh vực"), _("Người đề xuất"), _("Chức vụ khi gửi"),
        _("Đơn vị khi gửi"), _("Cơ quan quyết định"), _("Trạng thái"), _("Ngày gửi"), _("Bước đang chạy"),
        _("Hạn của bước"), _("Quá hạn (ngày làm việc)"), _("Ngày quyết định"), _("Quyết định"),
        _("Căn cứ phê duyệt"), _("Kinh phí dự kiến (đồng)"),
    ]


def _rows(rows, today: datetime.date | None = None) -> Iterator[tuple]:
    statuses = dict(Status.choices)
    kinds = dict(Decision.Kind.choices)
    bases = dict(Proposal.ApprovalBasis.choices)
    labels = {clock.name: str(clock.label) for clock in CLOCKS}
    lateness = Lateness(today or timezone.localdate())
    due_fields = [clock.due_field for clock in CLOCKS]
    english = translation.get_language() == "en"
    for row in rows:
        values = dict(zip(selectors.EXPORT_FIELDS, row, strict=True))
        topic = values["topic__name_en"] if english and values["topic__name_en"] else values["topic__name"]
        running = running_clock(values["status"], {field: values[field] for field in due_fields}, lateness)
        yield (
            values["reference"], values["title"], topic, values["author__full_name"],
            values["submitter_post_title"], values["submitter_unit__name"], values["deciding_authority__name"],
            str(statuses.get(values["status"], values["status"])), values["submitted_at"],
            labels[running["name"]] if running else "", running["due"] if running else None,
            running["late"] if running else None,
            values["decision__decision_date"], str(kinds.get(values["decision__kind"], values["decision__kind"] or "")),
            str(bases.get(values["approval_basis"], values["approval_basis"] or "")), values["budget_amount"],
        )


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


def file_stem(filters: selectors.ReportFilters, *, at: datetime.datetime | None = None) -> str:
    """A file name (without its extension) that says what the export holds: the proposals of which authority (or
    all), which period, the figure it stands behind or the words searched, and when it was made; ASCII, so every
    mail client and file system keeps it, e.g. "de-xuat_so-xay-dung_01-01-2026_31-12-2026_qua-han_20261201-0930"."""
    parts = ["de-xuat", _slug(filters.authority.name) if filters.authority else "tat-ca-co-quan",
             filters.date_from.strftime("%d-%m-%Y"), filters.date_to.strftime("%d-%m-%Y")]
    parts += [_slug(value) for value in (filters.kind, filters.topic.name if filters.topic else "", filters.status,
                                          filters.decided, filters.clock, filters.compliance, filters.outcome,
                                          filters.damage, filters.tier, filters.reward_kind, filters.reward_result,
                                          filters.retaliation) if value]
    if filters.text:
        parts.append("tim-" + _slug(filters.text)[:40].strip("-"))
    parts.append(timezone.localtime(at).strftime("%Y%m%d-%H%M"))
    return "_".join(part for part in parts if part)[:180]


def _slug(value: str) -> str:
    # slugify drops what has no ASCII decomposition; "đ" is the one Vietnamese letter without one.
    return slugify(str(value).replace("đ", "d").replace("Đ", "D"))


def proposals_csv(*, scope: selectors.Scope, filters: selectors.ReportFilters) -> Iterator[bytes]:
    rows = _rows(selectors.proposal_export_rows(scope=scope, filters=filters))
    return csv_stream(headers=headers(), rows=rows)
