"""The annual review report as PDF (WeasyPrint, charts as inline SVG) and XLSX (openpyxl)."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from proposals.documents import CITY_PLACE, Letterhead, date_line
from proposals.numbering import DocumentType
from reports.charts import bar_chart_svg
from reports.spreadsheets import set_text


def annual_review_letterhead(figures: dict) -> Letterhead:
    """The Department of Home Affairs reports to the City (Decree 30 format). The portal drafts the report: its
    number is left blank for the Department's clerk to give when the report is signed and issued."""
    return Letterhead(superior="ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", body="SỞ NỘI VỤ",
                      number="\u2007" * 6 + f"/{DocumentType.REPORT}-SNV", place=CITY_PLACE,
                      date=date_line(figures["today"]))


def annual_review_pdf(*, review, figures: dict) -> bytes:
    from weasyprint import HTML  # imported lazily: loading Pango costs time at start-up

    with translation.override("vi"):
        charts = {
            "status": bar_chart_svg([(str(row["label"]), row["count"]) for row in figures["by_status"]],
                                    title=_("Đề xuất theo trạng thái")),
            "authority": bar_chart_svg([(str(row["label"]), row["total"]) for row in figures["by_authority"][:25]],
                                       title=_("Đề xuất theo cơ quan quyết định")),
            "month": bar_chart_svg([(row["label"], row["total"]) for row in figures["by_period"]["months"]],
                                   title=_("Đề xuất theo tháng")),
            "outcomes": bar_chart_svg([(str(row["label"]), row["count"]) for row in figures["aftercare"]["outcomes"]],
                                      title=_("Kết quả đánh giá")),
            "tiers": bar_chart_svg([(str(row["label"]), row["count"]) for row in figures["aftercare"]["tiers"]],
                                   title=_("Quyết định bảo vệ theo mức")),
            "rewards": bar_chart_svg([(str(row["label"]), row["total"]) for row in figures["rewards"]["rows"]],
                                     title=_("Đề nghị khen thưởng theo hình thức")),
        }
        html = render_to_string("reports/documents/annual_review.html", {
            "review": review, "figures": figures, "charts": charts, "letterhead": annual_review_letterhead(figures),
        })
    return HTML(string=html).write_pdf()


def _sheet(workbook, title: str, headers: list[str], rows: list[list]):
    sheet = workbook.create_sheet(title=title[:31])
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=1, column=column)
        set_text(cell, header)
        cell.font = Font(bold=True)
    for row_index, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            set_text(sheet.cell(row=row_index, column=column), value)
    for column in sheet.columns:
        width = max((len(str(cell.value or "")) for cell in column), default=10)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)
    return sheet


def _breakdown(rows: list[dict]) -> list[list]:
    return [[str(row["label"]), row["total"], row["approved"], row["rejected"], row["override"], row["pending"],
             row["review_late"], row["overdue"]] for row in rows]


def annual_review_xlsx(*, review, figures: dict) -> bytes:
    with translation.override("vi"):
        summary = figures["summary"]
        workbook = Workbook()
        workbook.remove(workbook.active)
        breakdown = [_("Nhóm"), _("Tổng số"), _("Phê duyệt"), _("Không phê duyệt"),
                     _("Người đứng đầu tự quyết định"), _("Chưa quyết định"), _("Quyết định trễ hạn"),
                     _("Đang quá hạn")]
        _sheet(workbook, _("Tổng hợp"), [_("Chỉ tiêu"), _("Giá trị")], [
            [_("Năm"), figures["year"]],
            [_("Số đề xuất đăng ký"), summary["total"]],
            [_("Đã quyết định"), summary["decided"]],
            [_("Phê duyệt"), summary["approved"]],
            [_("Không phê duyệt"), summary["rejected"]],
            [_("Người đứng đầu tự quyết định phê duyệt"), summary["override"]],
            [_("Tỷ lệ phê duyệt (%)"), summary["approval_rate"]],
            [_("Tỷ lệ không phê duyệt (%)"), summary["rejection_rate"]],
            [_("Tỷ lệ người đứng đầu tự quyết định trên số phê duyệt (%)"), summary["override_rate"]],
            [_("Đang quá hạn (mọi thời hạn)"), summary["overdue"]],
            [_("Đơn vị đã nộp kế hoạch thực hiện"), figures["plans"]["filed"]],
            [_("Số đơn vị phải nộp kế hoạch"), figures["plans"]["units"]],
            [_("Đơn vị chưa đăng ký đề xuất nào"), len(figures["units_without_proposals"])],
        ])
        _sheet(workbook, _("Thời hạn"), [_("Thời hạn"), _("Đúng hạn"), _("Trễ hạn"), _("Đang quá hạn"),
                                         _("Đang trong hạn"), _("Tỷ lệ đúng hạn (%)")],
               [[str(c["label"]), c["on_time"], c["late"], c["overdue"], c["pending"], c["on_time_rate"]]
                for c in summary["clocks"]])
        _sheet(workbook, _("Theo trạng thái"), [_("Trạng thái"), _("Số đề xuất")],
               [[str(row["label"]), row["count"]] for row in figures["by_status"]])
        aftercare = figures["aftercare"]
        _sheet(workbook, _("Đánh giá và bảo vệ"), [_("Chỉ tiêu"), _("Số đề xuất")], [
            *[[_("Kết quả đánh giá: %(label)s") % {"label": row["label"]}, row["count"]]
              for row in aftercare["outcomes"]],
            [_("Đã đánh giá"), aftercare["evaluated"]],
            [_("Gây thiệt hại"), aftercare["damage"]],
            [_("Giá trị thiệt hại ước tính (đồng)"), aftercare["damage_amount"]],
            *[[_("Mức bảo vệ: %(label)s") % {"label": row["label"]}, row["count"]] for row in aftercare["tiers"]],
            [_("Quyết định bảo vệ"), aftercare["protected"]],
            [_("Quyết định có mức khác mức theo đánh giá"), aftercare["tier_differs"]],
        ])
        rewards = figures["rewards"]
        _sheet(workbook, _("Khen thưởng"),
               [_("Hình thức"), *[str(label) for _key, label in rewards["results"]], _("Tổng số")],
               [*[[str(row["label"]), *[row[key] for key, _label in rewards["results"]], row["total"]]
                  for row in rewards["rows"]],
                [_("Cộng"), *[rewards["totals"][key] for key, _label in rewards["results"]], rewards["totals"]["total"]]])
        if figures.get("retaliation") is not None:
            _sheet(workbook, _("Phản ánh trù dập"), [_("Tình trạng"), _("Số phản ánh")],
                   [*[[str(row["label"]), row["count"]] for row in figures["retaliation"]["rows"]],
                    [_("Tổng số"), figures["retaliation"]["total"]]])
        _sheet(workbook, _("Theo cơ quan"), breakdown, _breakdown(figures["by_authority"]))
        _sheet(workbook, _("Theo loại cơ quan"), breakdown, _breakdown(figures["by_kind"]))
        _sheet(workbook, _("Theo lĩnh vực"), breakdown, _breakdown(figures["by_topic"]))
        _sheet(workbook, _("Theo tháng"), breakdown, _breakdown(figures["by_period"]["months"]))
        _sheet(workbook, _("Theo quý"), breakdown, _breakdown(figures["by_period"]["quarters"]))
        _sheet(workbook, _("Chưa đăng ký đề xuất"), [_("Đơn vị"), _("Loại đơn vị")],
               [[unit.name, unit.get_kind_display()] for unit in figures["units_without_proposals"]])
        _sheet(workbook, _("Chưa nộp kế hoạch"), [_("Đơn vị"), _("Loại đơn vị")],
               [[unit.name, unit.get_kind_display()] for unit in figures["units_without_plan"]])
        assessment = _sheet(workbook, _("Đánh giá"), [_("Nội dung"), _("Đánh giá của Sở Nội vụ")], [
            [_("Kết quả đạt được"), review.results],
            [_("Bài học kinh nghiệm"), review.lessons],
            [_("Hạn chế, tồn tại"), review.shortcomings],
            [_("Giải pháp khắc phục"), review.corrective_measures],
        ])
        assessment.column_dimensions["B"].width = 100
        for row in assessment.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
