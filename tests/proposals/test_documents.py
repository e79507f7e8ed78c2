"""Issued documents in the State's administrative format (Decree 30/2020/NĐ-CP, Appendix I), read back from the
PDF: its text structure, and one page when the content is short. `pdftoppm -png` on the files makes them easy to
look at when reviewing a change."""

import os

import pytest
from django.utils import timezone
from pypdf import PdfReader

from proposals import documents, services
from tests.helpers import approve, evaluated, head_of, override, submitted

NATIONAL = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


def pages(field) -> list[list[str]]:
    """Each page's lines of text, with runs of spaces folded; the page numbers of the top margin left out."""
    field.open("rb")
    try:
        data = field.read()
    finally:
        field.close()
    if os.environ.get("PORTAL_DOCUMENTS_DIR"):  # to look at them: pdftoppm -png <file> <prefix>
        with open(os.path.join(os.environ["PORTAL_DOCUMENTS_DIR"], os.path.basename(field.name)), "wb") as out:
            out.write(data)
    import io
    return [[" ".join(line.split()) for line in (page.extract_text() or "").splitlines()
             if line.strip() and not line.strip().isdigit()]
            for page in PdfReader(io.BytesIO(data)).pages]


def test_a_departments_approval_is_one_page_in_the_decree_30_format(org):
    proposal = approve(org.head_dept, submitted(org.proposer_dept))

    [page] = pages(proposal.decision.document)

    # the issuing body under its superior body, the national name and motto each on one line
    assert page[:4] == ["ỦY BAN NHÂN DÂN THÀNH", "PHỐ HỒ CHÍ MINH", "SỞ XÂY DỰNG", "Số: 01/QĐ-SXD"]
    assert page[4:6] == [NATIONAL, MOTTO]
    assert page[6] == f"Thành phố Hồ Chí Minh, {documents.date_line(timezone.localdate())}"
    assert page[7] == "QUYẾT ĐỊNH" and page[8].startswith("Phê duyệt đề xuất đổi mới, sáng tạo")
    assert "GIÁM ĐỐC SỞ XÂY DỰNG" in page and "QUYẾT ĐỊNH:" in page
    assert any(line.startswith("Căn cứ Nghị định số 73/2023/NĐ-CP") for line in page)
    assert [line for line in page if line.startswith("Điều ")][0].startswith("Điều 1. Phê duyệt")
    # recipients, then the signing authority line and the signer's name, at the end of the one page
    closing = page[page.index("Nơi nhận:"):]
    assert closing[-2:] == ["GIÁM ĐỐC", "Trần Thị Giám Đốc"] and "- Lưu: VT." in closing


def test_a_deputy_signs_for_the_chair_on_behalf_of_a_peoples_committee(org):
    # head.city leads the City's decisions as its assigned Vice-Chairman
    proposal = override(org.head_city, submitted(org.proposer_city))

    [page] = pages(proposal.decision.document)

    assert page[0] == "ỦY BAN NHÂN DÂN THÀNH" and "SỞ XÂY DỰNG" not in page  # no superior body above the City
    assert "Số: 01/QĐ-UBND" in page
    assert page[-4:] == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Văn Phó Chủ tịch"]


def test_a_wards_document_names_the_ward_as_its_place(org):
    proposal = submitted(org.proposer_ward)
    services.proposal_reject(actor=head_of(proposal), proposal=proposal, decision_date=timezone.localdate(),
                             reasons="Chưa đủ cơ sở pháp lý")
    proposal.refresh_from_db()

    [page] = pages(proposal.decision.document)

    heading = page[:page.index("Số: 01/QĐ-UBND")]
    assert " ".join(heading) == "ỦY BAN NHÂN DÂN PHƯỜNG BẾN THÀNH"  # a people's committee has no superior line
    assert any(line.startswith("Phường Bến Thành, ngày ") for line in page)
    assert page[-3:] == ["TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Phạm Thị Chủ Tịch"]


def test_conclusion_and_protection_decision_are_one_page_each_and_numbered_in_one_sequence(org):
    proposal = evaluated(org.proposer_dept)
    services.proposal_conclude(actor=head_of(proposal), proposal=proposal, conclusion_date=timezone.localdate(),
                               conclusion_text="Hoàn thành đúng phương án.",
                               protection_date=timezone.localdate(), tier="not_liable")
    proposal.refresh_from_db()

    [conclusion] = pages(proposal.conclusion.document)
    [protection] = pages(proposal.protection.document)

    assert "KẾT LUẬN" in conclusion and "Số: 02/KL-SXD" in conclusion  # 01 was the approval
    assert "Số: 03/QĐ-SXD" in protection
    assert "Căn cứ Điều 11 Nghị định số 73/2023/NĐ-CP ngày 29 tháng 9 năm 2023 của Chính phủ;" in " ".join(protection)
    for page in (conclusion, protection):
        assert page[page.index("Nơi nhận:"):][-2:] == ["GIÁM ĐỐC", "Trần Thị Giám Đốc"]


def test_the_signature_never_stands_alone_on_a_last_page(org):
    reasons = " ".join(["Phương án chưa làm rõ nguồn lực, tiến độ và cách xử lý rủi ro."] * 70)
    proposal = submitted(org.proposer_dept)
    services.proposal_reject(actor=org.head_dept, proposal=proposal, decision_date=timezone.localdate(),
                             reasons=reasons)
    proposal.refresh_from_db()

    document = pages(proposal.decision.document)

    assert len(document) >= 2
    last = document[-1]
    assert any(line.startswith("Điều 3.") for line in last) and last[-2:] == ["GIÁM ĐỐC", "Trần Thị Giám Đốc"]


@pytest.mark.parametrize(("day", "expected"), [
    ((2026, 3, 5), "ngày 05 tháng 3 năm 2026"), ((2026, 1, 12), "ngày 12 tháng 01 năm 2026"),
    ((2026, 2, 9), "ngày 09 tháng 02 năm 2026"), ((2026, 12, 31), "ngày 31 tháng 12 năm 2026"),
])
def test_the_date_line_pads_days_below_10_and_the_first_two_months(day, expected):
    import datetime

    assert documents.date_line(datetime.date(*day)) == expected
