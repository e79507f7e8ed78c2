"""The whole way of a proposal in the browser: filed by proposer.dept, decided by head.dept."""

import re

import pytest
from playwright.sync_api import Page, expect

from proposals import content
from proposals.models import Proposal
from tests.browser.helpers import (
    PLAN,
    expect_message,
    file_through_the_guided_form,
    open_action,
    screenshot,
    sign,
    submit,
    today,
)
from tests.helpers import submitted

@pytest.mark.parametrize("width", ["desktop", "phone"])
def test_a_proposal_is_filed_returned_revised_voted_and_approved(live_server, signed_in, org, width):
    # the official files the proposal through the form
    author = signed_in("proposer.dept")
    author.goto(f"{live_server.url}/proposals/new/")
    file_through_the_guided_form(author, width)
    # the whole plan comes back to be checked, with who will decide it and why, before anything is sent
    expect(author.locator("#routing-preview")).to_contain_text(
        "Gửi Giám đốc Sở Xây dựng vì người đề xuất thuộc diện Sở Xây dựng quản lý")
    expect(author.locator("main")).to_contain_text(PLAN["necessity"])
    screenshot(author, f"{width}-filing-1-check-your-answers")
    submit(author, author.get_by_role("button", name="Gửi đề xuất"))
    expect(author.locator("#sent-panel")).to_contain_text("Đã gửi đề xuất")
    screenshot(author, f"{width}-filing-2-sent")
    expect(author.locator("main")).to_contain_text("Gửi Giám đốc Sở Xây dựng vì người đề xuất thuộc diện Sở Xây dựng quản lý")
    proposal = Proposal.objects.get(title=PLAN["title"])
    detail = f"{live_server.url}/proposals/{proposal.pk}/"

    # it reaches the director of Sở Xây dựng and no other reviewer
    for other in ("head.city", "head.ward"):
        reviewer = signed_in(other)
        reviewer.goto(f"{live_server.url}/review/")
        expect(reviewer.locator("main")).not_to_contain_text(PLAN["title"])
        assert reviewer.goto(detail).status == 404

    # the director sees it waiting on the home page, finds it in the inbox and asks for more information
    head = signed_in("head.dept")
    head.goto(f"{live_server.url}/")
    expect(head.locator("#waiting-to-decide")).to_contain_text(PLAN["title"])
    screenshot(head, f"{width}-deciding-1-home")
    head.goto(f"{live_server.url}/review/")
    head.get_by_role("link", name=PLAN["title"]).click()
    expect(head).to_have_url(detail)
    open_action(head, "Yêu cầu bổ sung thông tin")
    head.locator("[name=return-message]").fill("Bổ sung dự toán chi tiết theo từng quý")
    submit(head, head.get_by_role("button", name="Trả lại để bổ sung"))
    expect(head.locator("main")).to_contain_text("Trả lại để bổ sung")

    # the author revises and resubmits
    author.goto(detail)
    expect(author.locator("main")).to_contain_text("Bổ sung dự toán chi tiết theo từng quý")
    submit(author, author.get_by_role("link", name="Sửa"))
    expect(author).to_have_url(re.compile(r"/edit/1/$"))
    expect(author.locator("#revision-request")).to_contain_text("Bổ sung dự toán chi tiết theo từng quý")
    screenshot(author, f"{width}-filing-3-returned")
    submit(author, author.locator('.step-progress a[data-step-link="5"]'))  # nothing changed: a plain link
    expect(author.locator("h1")).to_contain_text(str(content.SECTIONS[4][0]))
    author.locator("[name=resources]").fill("4 cán bộ; dự toán: quý I 100 triệu, quý II 200 triệu.")
    # another step chosen after a change: the change is saved on the way
    submit(author, author.locator('.step-progress a[data-step-link="10"]'))
    expect(author).to_have_url(re.compile(r"/edit/10/$"))
    submit(author, author.get_by_role("button", name="Lưu và tiếp tục: kiểm tra và gửi"))
    expect(author.locator("main")).to_contain_text("quý I 100 triệu, quý II 200 triệu")
    submit(author, author.get_by_role("button", name="Gửi lại đề xuất"))
    expect(author.locator("#sent-panel")).to_contain_text("Đã gửi lại đề xuất")
    author.get_by_role("link", name="Xem đề xuất").click()
    expect(author.locator("main")).to_contain_text("Đã gửi, chờ xem xét")

    # the authority records the Party opinion and the vote, then the head signs the approval
    head.goto(detail)
    _vote(head, "4", "1")
    expect(head.locator("main")).to_contain_text("thông qua")
    open_action(head, "Phê duyệt (biểu quyết đã thông qua)")
    head.locator("[name=approve-decision_date]").fill(today())
    sign(head, "approve", "Ký quyết định phê duyệt", screenshot_as=f"{width}-deciding-2-document-to-sign")
    expect(head.locator("main")).to_contain_text("Đã phê duyệt")

    # the author sees the decision and downloads its PDF
    author.goto(detail)
    expect(author.locator("main")).to_contain_text("01/QĐ-SXD")  # numbered by the portal (Decree 30)
    with author.expect_download() as download:
        author.get_by_role("link", name=re.compile("Văn bản quyết định")).click()
    assert open(download.value.path(), "rb").read(4) == b"%PDF"
    proposal.refresh_from_db()
    assert proposal.status == "approved" and proposal.current_version == 2 and proposal.approved_version == 2


def _vote(head: Page, votes_for: str, votes_against: str):
    """The Party committee's opinion, then the leadership's meeting and its vote."""
    open_action(head, "Ghi nhận ý kiến cấp ủy")
    head.locator("[name=party_opinion-document_number]").fill("46-CV/ĐU")
    head.locator("[name=party_opinion-document_date]").fill(today())
    head.locator("[name=party_opinion-summary]").fill("Đảng ủy Sở cho ý kiến.")
    submit(head, head.get_by_role("button", name="Lưu ý kiến cấp ủy"))
    expect_message(head, "Đã ghi nhận ý kiến của cấp ủy.")
    open_action(head, "Ghi nhận họp tập thể lãnh đạo và biểu quyết")
    head.locator("[name=meeting-meeting_date]").fill(today())
    head.locator("[name=meeting-members_present]").fill("5")
    head.locator("[name=meeting-votes_for]").fill(votes_for)
    head.locator("[name=meeting-votes_against]").fill(votes_against)
    head.locator("[name=meeting-votes_abstain]").fill("0")
    head.locator("[name=meeting-head_vote]").select_option("for")
    submit(head, head.get_by_role("button", name="Lưu kết quả họp"))
    expect_message(head, "Đã ghi nhận kết quả họp tập thể lãnh đạo.")


def test_a_failed_vote_overridden_by_the_head_and_a_rejection(live_server, signed_in, org):
    overridden = submitted(org.proposer_dept, title="Đề xuất được người đứng đầu phê duyệt")
    refused = submitted(org.proposer_dept, title="Đề xuất không được phê duyệt")
    head = signed_in("head.dept")

    head.goto(f"{live_server.url}/proposals/{overridden.pk}/")
    _vote(head, "2", "3")
    expect(head.locator("main")).to_contain_text("không thông qua")
    open_action(head, "Người đứng đầu quyết định phê duyệt")
    head.locator("[name=approve_by_head-decision_date]").fill(today())
    head.locator("[name=approve_by_head-justification]").fill("Lợi ích chung rõ ràng, cần làm ngay.")
    sign(head, "approve_by_head", "Ký quyết định phê duyệt của người đứng đầu")
    expect(head.locator("main")).to_contain_text("Người đứng đầu quyết định phê duyệt")

    head.goto(f"{live_server.url}/proposals/{refused.pk}/")
    open_action(head, "Không phê duyệt")
    submit(head, head.locator("#action-reject button[type=submit]"))  # nothing filled: no document to show
    expect(head.locator("#action-reject")).to_contain_text("bắt buộc")
    head.locator("[name=reject-decision_date]").fill(today())
    head.locator("[name=reject-reasons]").fill("Vấn đề đã có quy định pháp luật điều chỉnh.")
    sign(head, "reject", "Ký quyết định không phê duyệt")
    expect(head.locator("main")).to_contain_text("Không phê duyệt")

    author = signed_in("proposer.dept")
    for proposal, text in ((overridden, "Lợi ích chung rõ ràng"), (refused, "Vấn đề đã có quy định pháp luật")):
        author.goto(f"{live_server.url}/proposals/{proposal.pk}/")
        expect(author.locator("#decision")).to_contain_text(text)
        with author.expect_download() as download:
            author.get_by_role("link", name=re.compile("Văn bản quyết định")).click()
        assert open(download.value.path(), "rb").read(4) == b"%PDF"
