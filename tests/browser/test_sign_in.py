import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import sign_in, submit_sign_in_form
from tests.factories import PostFactory, UserFactory


def test_signed_in_user_sees_name_and_post_on_home_page(live_server, page: Page):
    user = UserFactory(username="e2e.proposer", full_name="Trương Thị Kiểm Thử")
    PostFactory(user=user, title="Phó Trưởng phòng Kiểm thử")

    sign_in(page, live_server.url, "e2e.proposer")

    expect(page).to_have_url(f"{live_server.url}/")
    main = page.locator("main")
    expect(main).to_contain_text("Trương Thị Kiểm Thử")
    expect(main).to_contain_text("Phó Trưởng phòng Kiểm thử")


def test_wrong_password_stays_on_sign_in_form(live_server, page: Page):
    UserFactory(username="e2e.wrong")

    submit_sign_in_form(page, live_server.url, "e2e.wrong", password="not-the-password")

    expect(page).to_have_url(re.compile(r"/accounts/login/"))
    expect(page.locator("input[name=password]")).to_be_visible()


def test_anonymous_visit_to_home_lands_on_sign_in(live_server, page: Page):
    page.goto(f"{live_server.url}/")

    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/$"))
    expect(page.locator("input[name=username]")).to_be_visible()
    expect(page.locator("input[name=password]")).to_be_visible()
