"""Choosing related units and implementers by name in the browser (issue 14): the accessible combobox is used
with the keyboard alone, says what it found, and adds the choice as a ticked box; axe-core finds no serious
problem while its list is open."""

import re

import pytest
from playwright.sync_api import expect

from proposals.models import Proposal
from tests.browser.helpers import WIDTHS, screenshot, submit
from tests.browser.test_accessibility import axe_problems
from tests.helpers import approved, draft


@pytest.mark.parametrize("width", WIDTHS)
def test_related_units_are_found_by_name_and_chosen_with_the_keyboard(live_server, signed_in, org, width):
    proposal = draft(org.proposer_dept)
    author = signed_in("proposer.dept")
    author.goto(f"{live_server.url}/proposals/{proposal.pk}/edit/9/")

    combobox = author.get_by_role("combobox", name="Cơ quan, đơn vị liên quan")
    combobox.fill("ben thanh")  # no accents, part of the name
    option = author.get_by_role("option", name=re.compile(r"^UBND phường Bến Thành —"))
    expect(option).to_be_visible()
    assert axe_problems(author) == []
    screenshot(author, f"{width}-picker-units-open")
    author.keyboard.press("ArrowDown")  # to the first result, as a person would: keys, not clicks
    author.keyboard.press("Enter")

    chosen = author.get_by_role("checkbox", name="UBND phường Bến Thành")
    expect(chosen).to_be_checked()
    expect(combobox).to_have_value("")
    expect(author.locator("[data-picker-status]")).to_have_text("Đã chọn UBND phường Bến Thành.")
    # a second one, by pointer this time, and nothing found for a name that is nobody's
    combobox.fill("so noi")
    author.get_by_role("option", name=re.compile(r"^Sở Nội vụ —")).click()
    expect(author.get_by_role("checkbox", name="Sở Nội vụ")).to_be_checked()
    combobox.fill("khong ton tai")
    expect(author.locator(".autocomplete__menu")).to_contain_text("Không tìm thấy kết quả phù hợp")
    combobox.press("Escape")
    author.get_by_role("checkbox", name="Sở Nội vụ").uncheck()  # taken back

    submit(author, author.get_by_role("button", name="Lưu và tiếp tục", exact=True))
    expect(author.locator("h1")).to_contain_text("10. Cam kết")
    assert list(Proposal.objects.get(pk=proposal.pk).involved_units.all()) == [org.ward]


def test_an_implementer_is_found_by_name(live_server, signed_in, org):
    proposal = approved(org.proposer_dept)
    author = signed_in("proposer.dept")
    author.goto(f"{live_server.url}/proposals/{proposal.pk}/")
    author.get_by_role("button", name="Thêm người thực hiện").click()

    combobox = author.get_by_role("combobox", name="Người thực hiện")
    combobox.fill("chuyen vien")
    expect(author.get_by_role("option", name="Bùi Thị Chuyên Viên — Chuyên viên, Sở Xây dựng")).to_be_visible()
    author.keyboard.press("ArrowDown")  # to the first result, as a person would: keys, not clicks
    author.keyboard.press("Enter")
    expect(author.get_by_role("radio", name="Bùi Thị Chuyên Viên")).to_be_checked()
    submit(author, author.get_by_role("button", name="Thêm", exact=True))

    expect(author.locator("main")).to_contain_text("Đã thêm người thực hiện.")
    assert list(proposal.implementer_links.values_list("user", flat=True)) == [org.proposer_staff.pk]
