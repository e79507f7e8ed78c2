"""Searching in the browser without typing diacritics, or with a typo: an official's own proposals and a head's inbox."""

from playwright.sync_api import expect

from tests.browser.helpers import submit
from tests.helpers import submitted


def test_officials_and_heads_find_proposals_without_typing_diacritics(live_server, signed_in, org):
    submitted(org.proposer_dept, title="Số hóa hồ sơ cấp phép xây dựng")
    submitted(org.proposer_dept, title="Trồng cây xanh đường phố")
    submitted(org.proposer_ward, title="Số hóa hồ sơ hộ tịch phường")

    official = signed_in("proposer.dept")
    official.goto(f"{live_server.url}/proposals/")
    official.get_by_role("searchbox").fill("so hoa ho so")
    submit(official, official.get_by_role("button", name="Lọc"))
    rows = official.locator("main table tbody")
    expect(rows).to_contain_text("Số hóa hồ sơ cấp phép xây dựng")
    expect(rows).not_to_contain_text("Trồng cây xanh")

    head = signed_in("head.dept")
    head.goto(f"{live_server.url}/review/")
    head.get_by_label("Tìm kiếm").fill("cay xanh")
    submit(head, head.get_by_role("button", name="Lọc"))
    rows = head.locator("main table tbody")
    expect(rows).to_contain_text("Trồng cây xanh đường phố")
    expect(rows).not_to_contain_text("Số hóa hồ sơ")
    expect(head.get_by_label("Tìm kiếm")).to_have_value("cay xanh")

    # A misspelt word still finds what was meant, through the lexicon of title words.
    head.get_by_label("Tìm kiếm").fill("trong cay xanhh")
    submit(head, head.get_by_role("button", name="Lọc"))
    expect(rows).to_contain_text("Trồng cây xanh đường phố")
    expect(rows).not_to_contain_text("Số hóa hồ sơ")
