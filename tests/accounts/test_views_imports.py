"""The import pages (issue 15): Home Affairs and administrators upload, see the check's result with the rows in
error, and apply; everyone else gets 404. The check and the application run as Celery tasks; here they run in
the test's process (`ran_here`), the browser test runs them on a real worker."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts import tasks
from accounts.models import OrganisationImport, OrganisationUnit
from tests.accounts.test_imports import DIRECTOR, DIRECTOR_POST, SO_GTVT, full_file, workbook
from tests.factories import UserFactory
from tests.helpers import client_for, make_admin


@pytest.fixture
def ran_here(monkeypatch):
    monkeypatch.setattr(tasks, "enqueue", lambda task, import_id: task.run(import_id))


def upload(client, content: bytes, **fields):
    return client.post(reverse("organisation_imports"), {
        "files": [SimpleUploadedFile("to-chuc.xlsx", content)], "mode": "update", "as_of": "01/12/2026", **fields},
        follow=True)


def test_home_affairs_uploads_sees_what_would_change_and_applies(org, ran_here):
    client = client_for(org.homeaffairs)

    response = upload(client, full_file())

    organisation_import = OrganisationImport.objects.get()
    assert response.redirect_chain[-1][0] == reverse("organisation_import", args=[organisation_import.pk])
    page = response.content.decode()
    assert "Đã kiểm tra, chờ áp dụng" in page and 'id="import-counts"' in page
    assert not OrganisationUnit.objects.filter(code="so-gtvt").exists()

    applied = client.post(reverse("organisation_import", args=[organisation_import.pk]), follow=True)

    assert "Đã áp dụng" in applied.content.decode()
    assert OrganisationUnit.objects.filter(code="so-gtvt").exists()
    listing = client.get(reverse("organisation_imports")).content.decode()
    assert "to-chuc.xlsx" in listing and "Ngô Văn Giám Sát" in listing


def test_rows_in_error_are_listed_and_the_import_cannot_be_applied(org, ran_here):
    client = client_for(org.homeaffairs)
    bad_post = ("CB0001", "khong-co", "Giám đốc", "admin_leader", "ubnd-tp", "có", "có", "01/07/2025", None)

    page = upload(client, workbook(units=[SO_GTVT], officials=[DIRECTOR], posts=[DIRECTOR_POST, bad_post])
                  ).content.decode()

    table = page.split('id="import-problems-table"')[1].split("</table>")[0]
    assert "Chức vụ" in table and "<td>3</td>" in table and "Mã đơn vị" in table
    assert "Không có đơn vị mã “khong-co”." in table
    assert 'data-confirm="Áp dụng lượt nhập này' not in page
    organisation_import = OrganisationImport.objects.get()
    response = client.post(reverse("organisation_import", args=[organisation_import.pk]), follow=True)
    assert "Chỉ áp dụng được lượt nhập đã kiểm tra và không còn dòng lỗi." in response.content.decode()
    assert not OrganisationUnit.objects.filter(code="so-gtvt").exists()


def test_a_wrong_file_is_refused_beside_the_field(org, ran_here):
    response = client_for(org.homeaffairs).post(reverse("organisation_imports"), {
        "files": [SimpleUploadedFile("to-chuc.pdf", b"%PDF-1.4")], "mode": "update", "as_of": "01/12/2026"})

    assert response.status_code == 400
    assert "chỉ nhận tệp .xlsx, .csv hoặc .zip" in response.content.decode()
    assert not OrganisationImport.objects.exists()


def test_the_templates_download(org):
    client = client_for(org.homeaffairs)
    vietnamese = client.get(reverse("organisation_import_template"))
    english = client.get(reverse("organisation_import_template"), {"lang": "en"})

    assert vietnamese.content.startswith(b"PK") and "mau-nhap-to-chuc.xlsx" in vietnamese["Content-Disposition"]
    assert "organisation-import-template.xlsx" in english["Content-Disposition"]


@pytest.mark.parametrize("who", ["proposer_dept", "head_dept", "head_city", "outsider"])
def test_nobody_else_sees_imports(org, ran_here, who):
    upload(client_for(org.homeaffairs), full_file())
    organisation_import = OrganisationImport.objects.get()
    client = client_for(getattr(org, who))

    for url in (reverse("organisation_imports"), reverse("organisation_import_template"),
                reverse("organisation_import", args=[organisation_import.pk]),
                reverse("organisation_import_file", args=[organisation_import.pk])):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("organisation_import", args=[organisation_import.pk])).status_code == 404
    assert upload(client, full_file()).status_code == 404
    assert OrganisationImport.objects.count() == 1


def test_an_administrator_imports_too_and_downloads_the_file_kept(org, ran_here):
    admin = UserFactory(username="hr.admin")
    make_admin(admin)
    client = client_for(admin)
    upload(client, full_file())
    organisation_import = OrganisationImport.objects.get()

    response = client.get(reverse("organisation_import_file", args=[organisation_import.pk]))

    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"PK")


def test_the_page_polls_while_the_check_runs_and_stops_once_done(org, monkeypatch):
    monkeypatch.setattr(tasks, "enqueue", lambda task, import_id: None)  # the worker has not started yet
    client = client_for(org.homeaffairs)
    page = upload(client, full_file()).content.decode()
    organisation_import = OrganisationImport.objects.get()
    assert 'hx-trigger="every 1s"' in page and "Đang kiểm tra" in page

    tasks.organisation_import_check.run(organisation_import.pk)
    fragment = client.get(reverse("organisation_import", args=[organisation_import.pk]),
                          headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' not in fragment and 'id="import-counts"' in fragment


def test_while_it_is_applied_the_page_says_so_without_a_percentage_nobody_can_know(org, ran_here, monkeypatch):
    client = client_for(org.homeaffairs)
    upload(client, full_file())
    organisation_import = OrganisationImport.objects.get()
    monkeypatch.setattr(tasks, "enqueue", lambda task, import_id: None)  # the worker has not started yet

    page = client.post(reverse("organisation_import", args=[organisation_import.pk]), follow=True).content.decode()

    assert "Đang áp dụng" in page and 'hx-trigger="every 1s"' in page
    assert 'aria-valuetext="Đang áp dụng"' in page and "aria-valuenow" not in page
