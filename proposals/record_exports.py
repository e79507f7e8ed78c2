"""An official's record as PDF and XLSX (evidence for annual ratings)."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING

from proposals.documents import _pdf


def _text(value) -> str:
    return "" if value is None else str(value)


def record_xlsx(record: dict) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Đề xuất")
    shows_protection = record["shows_protection"]
    header = [_("Số hiệu"), _("Tên đề xuất"), _("Cơ quan quyết định"), _("Ngày phê duyệt"), _("Căn cứ phê duyệt"),
              _("Trạng thái"), _("Kết quả đánh giá"), *([_("Mức bảo vệ")] if shows_protection else [])]
    sheet.append(header)
    for proposal in record["proposals"]:
        evaluation = getattr(proposal, "evaluation", None)
        protection = getattr(proposal, "protection", None)
        _append_text(sheet, [
            proposal.reference, proposal.title, _text(proposal.deciding_authority),
            proposal.decided_at.strftime("%d/%m/%Y") if proposal.decided_at else "",
            proposal.get_approval_basis_display(), proposal.get_status_display(),
            evaluation.get_outcome_display() if evaluation else "",
            *([protection.get_tier_display() if protection else ""] if shows_protection else []),
        ])
    rewards = workbook.create_sheet(_("Khen thưởng"))
    rewards.append([_("Đề xuất"), _("Hình thức"), _("Nội dung"), _("Kết quả"), _("Ghi chú")])
    for reward in record["rewards"]:
        _append_text(rewards, [reward.proposal.reference, reward.get_kind_display(), reward.description,
                               reward.get_result_display(), reward.result_note])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _append_text(sheet, values) -> None:
    """User text stays text: a title such as "=HYPERLINK(...)" must never become a formula."""
    sheet.append([str(v) for v in values])
    for cell in sheet[sheet.max_row]:
        cell.data_type = TYPE_STRING


def record_pdf(record: dict) -> bytes:
    return _pdf("proposals/documents/record.html", record)
