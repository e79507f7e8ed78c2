"""After approval, in the browser: implementation to protection, and a confidential retaliation report."""

import re

import pytest
from playwright.sync_api import expect

from proposals.models import RetaliationReport
from tests.browser.helpers import WIDTHS, act, screenshot, submit, today
from tests.helpers import approved


@pytest.mark.parametrize("width", WIDTHS)
def test_implementation_evaluation_and_protection(live_server, signed_in, org, width):
    proposal = approved(org.proposer_dept)
    detail = f"{live_server.url}/proposals/{proposal.pk}/"
    author = signed_in("proposer.dept")
    head = signed_in("head.dept")

    author.goto(detail)
    act(author, "start", {}, shows="Đề xuất đã chuyển sang triển khai.")
    expect(author.locator("main")).to_contain_text("Đang triển khai")
    act(author, "progress", {"progress-percent": "40", "progress-milestones": "Hoàn thành khảo sát"},
        shows="Đã cập nhật tiến độ.")
    expect(author.locator(".progress-bar")).to_have_text("40%")
    screenshot(author, f"{width}-aftercare-1-progress")

    head.goto(detail)
    act(head, "suspend", {"suspend-reasons": "Chờ bố trí kinh phí"}, shows="Đã ra lệnh tạm dừng.")
    expect(head.locator("main")).to_contain_text("Tạm dừng")
    act(head, "resume", {"resume-reasons": "Đã bố trí kinh phí"}, shows="Đã ra lệnh tiếp tục thực hiện.")
    expect(head.locator("main")).to_contain_text("Đang triển khai")

    author.goto(detail)
    act(author, "progress", {"progress-percent": "100", "progress-milestones": "Vận hành chính thức"},
        shows="Đã cập nhật tiến độ.")
    act(author, "complete", {}, shows="Đã xác nhận hoàn thành triển khai")
    expect(author.locator("main")).to_contain_text("Hoàn thành triển khai")
    act(author, "results_report", {"results_report-summary": "Đạt 70% mục tiêu",
                                    "results_report-results_against_plan": "Chưa đạt chỉ tiêu thời gian"},
        shows="Đã nộp báo cáo kết quả.")
    expect(author.locator("main")).to_contain_text("Đã báo cáo kết quả")

    head.goto(detail)
    act(head, "evaluation_opinion", {
        "evaluation_opinion-document_number": "77-CV/ĐU", "evaluation_opinion-document_date": today(),
        "evaluation_opinion-summary": "Nhất trí đánh giá"}, shows="Đã ghi nhận ý kiến của cấp ủy.")
    act(head, "evaluation", {
        "evaluation-meeting_date": today(), "evaluation-members_present": "5", "evaluation-votes_for": "5",
        "evaluation-votes_against": "0", "evaluation-votes_abstain": "0", "evaluation-head_vote": "for",
        "evaluation-outcome": "partly", "evaluation-damage_description": "Chi phí thuê máy chủ phát sinh",
        "evaluation-damage_amount": "80000000", "evaluation-objective_causes": "Giá thiết bị tăng",
        "evaluation-subjective_causes": "Dự toán chưa sát"},
        checks=("evaluation-damage_caused", "evaluation-followed_plan", "evaluation-pure_motives",
                "evaluation-common_good"), shows="Đã ghi nhận kết quả đánh giá.")
    expect(head.locator("#evaluation")).to_contain_text("Xem xét loại trừ, miễn hoặc giảm nhẹ trách nhiệm")
    screenshot(head, f"{width}-aftercare-2-evaluated")
    act(head, "conclude", {
        "conclude-conclusion_date": today(),
        "conclude-conclusion_text": "Thực hiện đúng phương án, thiệt hại do nguyên nhân khách quan.",
        "conclude-protection_date": today()},
        shows="Đã ban hành kết luận.", signs="Ký và ban hành")
    expect(head.locator("main")).to_contain_text("Đã kết luận")

    author.goto(detail)
    with author.expect_download() as conclusion_pdf:
        author.get_by_role("link", name=re.compile("Kết luận \\(PDF\\)")).click()
    assert open(conclusion_pdf.value.path(), "rb").read(4) == b"%PDF"
    author.get_by_role("link", name=re.compile("Quyết định bảo vệ")).click()
    expect(author).to_have_url(f"{detail}protection/")
    expect(author.locator("main")).to_contain_text("Xem xét loại trừ, miễn hoặc giảm nhẹ trách nhiệm")
    screenshot(author, f"{width}-aftercare-3-protection")
    with author.expect_download() as protection_pdf:
        author.get_by_role("link", name=re.compile("Tải quyết định")).click()
    assert open(protection_pdf.value.path(), "rb").read(4) == b"%PDF"


def test_retaliation_report_reaches_home_affairs_and_the_city_but_not_the_department(
        live_server, signed_in, org):
    proposal = approved(org.proposer_dept)
    author = signed_in("proposer.dept")
    author.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    author.get_by_role("link", name="Gửi phản ánh bảo mật").click()
    author.locator("[name=incident_date]").fill(today())
    author.locator("[name=accused]").fill("Phòng Kế hoạch - Tài chính")
    author.locator("[name=description]").fill("Cố ý chậm cấp kinh phí đã được phê duyệt.")
    submit(author, author.get_by_role("button", name="Gửi phản ánh"))
    expect(author.locator("main")).to_contain_text("Đã tiếp nhận")
    path = f"/proposals/retaliation/{RetaliationReport.objects.get().pk}/"
    detail = f"{live_server.url}{path}"

    for reader in ("homeaffairs", "head.city"):
        page = signed_in(reader)
        page.goto(f"{live_server.url}/proposals/retaliation/")
        page.locator(f"a[href='{path}']").click()
        expect(page).to_have_url(detail)
        expect(page.locator("main")).to_contain_text("Cố ý chậm cấp kinh phí đã được phê duyệt.")
    head = signed_in("head.dept")
    head.goto(f"{live_server.url}/proposals/retaliation/")
    expect(head.locator("main")).to_contain_text("Không có phản ánh nào.")
    response = head.goto(detail)
    assert response.status == 404
