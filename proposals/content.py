"""The proposal plan as data: completeness rules, snapshots for versions, and comparison."""

from __future__ import annotations

import datetime
import difflib
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from proposals.models import CONTENT_FIELDS, Proposal

#: Fields a plan must fill before it can be submitted (Decree 73, Art. 7(2)).
REQUIRED_TO_SUBMIT = (
    "title", "topic", "necessity", "bottleneck", "objectives", "content_solutions", "scope", "implementers",
    "start_date", "end_date", "resources", "budget_amount", "feasibility", "positive_impact",
    "negative_impact", "expected_results", "risks", "worst_case", "risk_handling",
)
CONDITIONS = ("cond_removes_bottleneck", "cond_common_good", "cond_urgent_no_harm", "cond_within_authority")
#: The plan's sections, in the order of the form and of the page that checks it before sending.
SECTIONS = (
    (gettext_lazy("1. Thông tin chung"), ("title", "topic", "summary")),
    (gettext_lazy("2. Sự cần thiết và điểm nghẽn"), ("necessity", "bottleneck")),
    (gettext_lazy("3. Mục tiêu, nội dung và giải pháp"), ("objectives", "content_solutions", "scope")),
    (gettext_lazy("4. Tổ chức thực hiện"), ("implementers", "start_date", "end_date", "timeline_description")),
    (gettext_lazy("5. Nguồn lực"), ("resources", "budget_amount", "budget_source")),
    (gettext_lazy("6. Tính khả thi và tác động"), ("feasibility", "positive_impact", "negative_impact",
                                                   "expected_results")),
    (gettext_lazy("7. Rủi ro"), ("risks", "worst_case", "risk_handling")),
    (gettext_lazy("8. Tự đánh giá các điều kiện"), CONDITIONS),
    (gettext_lazy("9. Đơn vị liên quan và tài liệu"), ("involved_units", "attachments")),
    (gettext_lazy("10. Cam kết"), ("commitment",)),
)


def section_fields(number: int) -> tuple[str, ...]:
    """The fields of section `number` (counted from 1, as the guided form's pages are)."""
    return SECTIONS[number - 1][1]


def section_of(field: str) -> int:
    """The number of the section that asks for `field`."""
    for number, (_title, fields) in enumerate(SECTIONS, start=1):
        if field in fields:
            return number
    raise KeyError(field)


def completeness_problems(values: dict) -> list[dict]:
    """`completeness_errors` as a list in the form's order, each problem with its field's label and section, for a
    summary that links every problem to the page that asks for it."""
    order = {field: index for index, (_title, fields) in enumerate(SECTIONS) for field in fields}
    return [{"field": field, "label": field_label(field), "section": section_of(field), "message": message}
            for field, messages in sorted(completeness_errors(values).items(), key=lambda item: order[item[0]])
            for message in messages]


def sections_filled(values: dict) -> list[bool]:
    """For each section, whether it has everything a submission needs from it."""
    missing = completeness_errors(values)
    return [not any(field in missing for field in fields) for _title, fields in SECTIONS]


def completeness_errors(values: dict) -> dict[str, list[str]]:
    """Problems that stop a plan from being submitted, by field; `values` maps field names to values."""
    errors: dict[str, list[str]] = {}

    def add(field, message):
        errors.setdefault(field, []).append(message)

    for field in REQUIRED_TO_SUBMIT:
        value = values.get(field)
        if value is None or (isinstance(value, str) and not value.strip()):
            add(field, _("Mục này bắt buộc khi gửi đề xuất."))
    for field in CONDITIONS:
        if not values.get(field):
            add(field, _("Đề xuất phải đáp ứng điều kiện này; hãy tự đánh giá và xác nhận."))
    if not values.get("commitment"):
        add("commitment", _("Người đề xuất phải cam kết trước khi gửi."))
    amount = values.get("budget_amount")
    if amount and amount > 0 and not (values.get("budget_source") or "").strip():
        add("budget_source", _("Hãy nêu nguồn kinh phí khi có kinh phí dự kiến."))
    start, end = values.get("start_date"), values.get("end_date")
    if start and end and end < start:
        add("end_date", _("Ngày kết thúc phải sau ngày bắt đầu."))
    return errors


def values_of(proposal: Proposal) -> dict:
    values = {field: getattr(proposal, field) for field in CONTENT_FIELDS if field != "involved_units"}
    values["topic"] = proposal.topic
    return values


def _plain(value):
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return str(value)
    return value


def snapshot(proposal: Proposal) -> dict:
    data = {field: _plain(getattr(proposal, field)) for field in CONTENT_FIELDS
            if field not in {"topic", "involved_units"}}
    data["topic"] = proposal.topic.name if proposal.topic_id else ""
    data["involved_units"] = sorted(unit.name for unit in proposal.involved_units.all())
    data["attachments"] = [
        {"id": a.pk, "name": a.original_name, "size": a.size} for a in proposal.attachments.all()
    ]
    return data


def field_label(field: str) -> str:
    if field == "attachments":
        return _("Tệp đính kèm")
    return str(Proposal._meta.get_field(field).verbose_name).capitalize()


def as_text(value) -> str:
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    if isinstance(value, list):
        return "\n".join(item["name"] if isinstance(item, dict) else str(item) for item in value)
    return "" if value is None else str(value)


def compare(old: dict, new: dict) -> list[dict]:
    """Fields that differ between two snapshots, with a line diff for each."""
    changes = []
    for field in [*CONTENT_FIELDS, "attachments"]:
        before, after = as_text(old.get(field)), as_text(new.get(field))
        if before == after:
            continue
        lines = list(difflib.ndiff(before.splitlines() or [""], after.splitlines() or [""]))
        changes.append({
            "field": field, "label": field_label(field), "before": before, "after": after,
            "lines": [(line[:1], line[2:]) for line in lines if not line.startswith("?")],
        })
    return changes
