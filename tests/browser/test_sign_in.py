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


def test_the_browser_runs_no_script_a_page_did_not_load_from_the_portal(live_server, browser):
    # a context of its own, not watched for refusals: this test provokes one on purpose
    UserFactory(username="e2e.csp")
    context = browser.new_context()
    page = context.new_page()
    refused = []
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)
    sign_in(page, live_server.url, "e2e.csp")

    injected = page.evaluate("""() => {
        const script = document.createElement("script");
        script.textContent = "window.injectedScriptRan = true";
        document.body.appendChild(script);
        return window.injectedScriptRan === true;
    }""")

    assert injected is False
    expect(page.locator("main")).to_be_visible()
    page.wait_for_function("() => true")  # the refusal reaches the console before the context closes
    assert any("script-src" in text for text in refused)
    context.close()
