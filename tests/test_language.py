from django.test import Client

from tests.helpers import client_for


def test_the_portal_speaks_vietnamese_even_to_an_english_browser(db):
    page = Client().get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")

    assert page["Content-Language"] == "vi"
    assert '<html lang="vi">' in page.content.decode()


def test_the_language_switcher_choice_is_kept(db):
    client = Client()

    client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    page = client.get("/accounts/login/")

    assert page["Content-Language"] == "en"
    assert '<html lang="en">' in page.content.decode()


def test_a_missing_page_answers_in_vietnamese(org):
    response = client_for(org.outsider).get("/proposals/999999/")

    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()
