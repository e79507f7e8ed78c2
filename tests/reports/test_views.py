import datetime
import io
from urllib.parse import urlencode

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import ADMINISTRATORS_GROUP
from proposals import services
from reports.models import ExportJob
from tests.factories import UserFactory
from tests.helpers import client_for, submitted

PAGES = [
    ("reports:dashboard", []), ("reports:proposals", []), ("reports:export", ["xlsx"]), ("reports:export", ["csv"]),
]


@pytest.fixture
def admin_user(org):
    user = UserFactory(username="admin.portal", full_name="Quản Trị")
    user.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))
    return user


def _period(**extra) -> dict:
    today = timezone.localdate()
    return {"date_from": (today - datetime.timedelta(days=60)).strftime("%d/%m/%Y"),
            "date_to": today.strftime("%d/%m/%Y"), **extra}


@pytest.mark.parametrize(("name", "args"), PAGES)
@pytest.mark.parametrize("who", ["proposer_dept", "proposer_staff", "deputy_dept", "outsider"])
def test_people_without_a_monitoring_role_get_404(org, name, args, who):
    response = client_for(getattr(org, who)).get(reverse(name, args=args))

    assert response.status_code == 404


@pytest.mark.parametrize("name", ["reports:annual_current", "reports:plans"])
@pytest.mark.parametrize("who", ["proposer_dept", "outsider", "head_dept"])
def test_plans_overview_and_annual_review_are_not_for_people_outside_home_affairs(org, name, who):
    response = client_for(getattr(org, who)).get(reverse(name))

    # head.dept heads a city agency, so the plans page offers them their own unit's form, not the overview
    if who == "head_dept" and name == "reports:plans":
        assert response.status_code == 200
        assert "counts" not in response.context and response.context["own_units"] == [org.construction]
    else:
        assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(org):
    from django.test import Client

    response = Client().get(reverse("reports:dashboard"))

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_home_affairs_sees_the_city_dashboard_with_drill_down_links(org, dataset):
    response = client_for(org.homeaffairs).get(reverse("reports:dashboard"), _period())

    assert response.status_code == 200
    summary = response.context["summary"]
    assert (summary["total"], summary["approved"], summary["rejected"], summary["override"]) == (9, 3, 2, 1)
    content = response.content.decode()
    assert "vendor/chartjs/chart.umd.min.js" in content
    assert 'id="reports-chart-data"' in content
    assert "Sở Nội vụ" in content  # the unit that registered nothing
    assert response.context["links"]["decided"]["override"].startswith(reverse("reports:proposals"))
    # the navigation bar offers the dashboard
    assert f'href="{reverse("reports:dashboard")}"' in content


def test_administrators_see_the_city_dashboard(admin_user, dataset):
    response = client_for(admin_user).get(reverse("reports:dashboard"), _period())

    assert response.status_code == 200
    assert response.context["summary"]["total"] == 9


def test_head_dept_sees_only_so_xay_dung(org, dataset):
    response = client_for(org.head_dept).get(reverse("reports:dashboard"), _period())

    assert response.status_code == 200
    assert response.context["summary"]["total"] == 6
    assert [row["key"] for row in response.context["by_authority"]] == [org.construction.pk]
    content = response.content.decode()
    assert "Phường phê duyệt" not in content
    # the filter offers no authority outside the head's subtree
    assert list(response.context["form"].fields["authority"].queryset) == [org.construction]


def test_a_head_cannot_widen_the_scope_with_a_filter(org, dataset):
    response = client_for(org.head_dept).get(reverse("reports:proposals"), _period(authority=org.ward.pk))

    assert response.status_code == 200
    assert response.context["form"].errors["authority"]
    assert {p.deciding_authority_id for p in response.context["page"].object_list} == {org.construction.pk}


def test_the_drill_down_list_shows_the_proposals_behind_a_figure(org, dataset):
    client = client_for(org.homeaffairs)
    dashboard = client.get(reverse("reports:dashboard"), _period())
    url = dashboard.context["links"]["clock"]["review"]["late"]

    response = client.get(url)

    assert response.status_code == 200
    assert [p.pk for p in response.context["page"].object_list] == [dataset.rejected_late.pk]
    assert "Quyết định trễ hạn" in response.content.decode()


def test_invalid_filters_are_reported_and_the_page_still_renders(org, dataset):
    response = client_for(org.homeaffairs).get(reverse("reports:dashboard"), {"date_from": "31/02/2026",
                                                                              "topic": "999999"})

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"date_from", "topic"}
    assert response.context["filters"].date_from == datetime.date(timezone.localdate().year, 1, 1)


def test_dashboard_page_runs_a_fixed_number_of_queries(org, dataset, django_assert_max_num_queries):
    client = client_for(org.homeaffairs)
    with django_assert_max_num_queries(20):
        client.get(reverse("reports:dashboard"), _period())
    for _ in range(5):
        submitted(org.proposer_ward, title="Thêm")
    with django_assert_max_num_queries(20) as captured:
        client.get(reverse("reports:dashboard"), _period())
    first = len(captured.captured_queries)
    for _ in range(5):
        submitted(org.proposer_dept, title="Thêm nữa")
    with django_assert_max_num_queries(first):
        client.get(reverse("reports:dashboard"), _period())


@pytest.mark.parametrize("part", ["authority", "month", "units"])
def test_each_part_of_the_dashboard_runs_a_fixed_number_of_queries(org, dataset, django_assert_max_num_queries,
                                                                   part):
    client = client_for(org.homeaffairs)
    url = reverse("reports:dashboard_part", args=[part])
    with django_assert_max_num_queries(8) as captured:
        response = client.get(url, _period(page=1))
    assert response.status_code == 200
    for _ in range(3):
        submitted(org.proposer_ward, title="Thêm")
        submitted(org.proposer_city, title="Thêm nữa")
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = client.get(url, _period(page=1))
    if part == "authority":  # every authority with a proposal in the period, with its figures
        names = {row["label"] for row in response.context["page"].object_list}
        assert {org.construction.name, org.ward.name, org.city.name} <= names


def test_proposal_list_runs_a_fixed_number_of_queries(org, dataset, django_assert_max_num_queries):
    client = client_for(org.homeaffairs)
    with django_assert_max_num_queries(14) as captured:
        response = client.get(reverse("reports:proposals"), _period())
    assert len(response.context["page"].object_list) == 9
    for _ in range(5):
        submitted(org.proposer_ward, title="Thêm")
    with django_assert_max_num_queries(len(captured.captured_queries)):
        response = client.get(reverse("reports:proposals"), _period())
    assert len(response.context["page"].object_list) == 14


# — exports —

def _streamed(response) -> bytes:
    assert response.streaming
    return b"".join(response.streaming_content)


def _exported_xlsx(user, **query) -> bytes:
    """An Excel export as the person gets it: the list page's button starts a job, a worker writes the file (run
    here), and the job page offers it."""
    from reports import services as report_services
    from reports.models import ExportJob

    client = client_for(user)
    started = client.post(f"{reverse('reports:export_start')}?{urlencode(_period(**query))}", {"format": "xlsx"})
    job = ExportJob.objects.get(pk=int(started["Location"].rstrip("/").split("/")[-1]))
    report_services.export_job_run(job_id=job.pk)
    return _streamed(client.get(reverse("reports:export_download", args=[job.pk])))


def test_xlsx_export_reads_back_with_vietnamese_headers(org, dataset):
    sheet = load_workbook(io.BytesIO(_exported_xlsx(org.homeaffairs, decided="approved"))).active

    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Số hiệu", "Tên đề xuất", "Lĩnh vực")
    assert {row[1] for row in rows[1:]} == {"Phê duyệt theo biểu quyết", "Người đứng đầu tự quyết", "Phường phê duyệt"}
    assert {row[7] for row in rows[1:]} == {"Đã phê duyệt"}
    assert isinstance(rows[1][8], datetime.datetime)


def test_exports_contain_only_what_a_head_may_see(org, dataset):
    client = client_for(org.head_dept)

    sheet = load_workbook(io.BytesIO(_exported_xlsx(org.head_dept))).active
    csv_text = _streamed(client.get(reverse("reports:export", args=["csv"]), _period())).decode("utf-8-sig")

    titles = {row[1] for row in list(sheet.iter_rows(values_only=True))[1:]}
    assert len(titles) == 6 and "Phường phê duyệt" not in titles and "Thành phố không phê duyệt" not in titles
    assert "Phường phê duyệt" not in csv_text
    assert len(csv_text.strip().splitlines()) == 7


def test_the_drill_down_list_and_its_export_search_without_diacritics_inside_the_scope(org, dataset):
    monitor, head = client_for(org.homeaffairs), client_for(org.head_dept)

    found = monitor.get(reverse("reports:proposals"), _period(q="phuong phe duyet"))
    scoped = head.get(reverse("reports:proposals"), _period(q="phuong phe duyet"))
    reference = dataset.ward_approved.reference
    exported = _streamed(monitor.get(reverse("reports:export", args=["csv"]), _period(q=reference)))

    # Best first: the title that says it all; "phuong" also matches the plans' "phương án", as it should.
    assert found.context["page"].object_list[0].pk == dataset.ward_approved.pk
    assert 'value="phuong phe duyet"' in found.content.decode()
    # The ward's proposal is outside Sở Xây dựng's scope whatever the head types.
    assert dataset.ward_approved.pk not in [p.pk for p in scoped.context["page"].object_list]
    rows = exported.decode("utf-8-sig").strip().splitlines()
    assert len(rows) == 2 and "Phường phê duyệt" in rows[1]
    # The dashboard's figures never narrow by a search.
    dashboard = monitor.get(reverse("reports:dashboard"), _period(q="phuong"))
    assert dashboard.context["summary"] == monitor.get(reverse("reports:dashboard"), _period()).context["summary"]


INJECTIONS = ['=HYPERLINK("http://evil.example","bấm vào")', "+1+2 cộng", "-3+4 trừ", "@SUM(A1:A2)"]


def test_formula_injection_is_neutralised_in_xlsx_and_csv(org):
    for title in INJECTIONS:
        submitted(org.proposer_dept, title=title)
    client = client_for(org.homeaffairs)

    content = _exported_xlsx(org.homeaffairs)
    csv_text = _streamed(client.get(reverse("reports:export", args=["csv"]), _period())).decode("utf-8-sig")

    sheet = load_workbook(io.BytesIO(content)).active
    cells = {row[1].value: row[1] for row in list(sheet.iter_rows())[1:]}
    assert set(cells) == set(INJECTIONS)  # the exact text, not a formula or its result
    assert all(cell.data_type == "s" for cell in cells.values())
    import csv

    rows = list(csv.reader(io.StringIO(csv_text)))
    assert {row[1] for row in rows[1:]} == {"'" + title for title in INJECTIONS}


def test_export_of_an_unknown_format_is_404(org):
    response = client_for(org.homeaffairs).get(reverse("reports:export", args=["pdf"]))

    assert response.status_code == 404


def test_navbar_offers_no_monitoring_link_to_proposers(org):
    response = client_for(org.proposer_dept).get(reverse("proposals:list"))

    assert reverse("reports:dashboard") not in response.content.decode()
    assert reverse("reports:plans") not in response.content.decode()


def test_withdrawn_proposal_is_counted_but_not_in_review_compliance(org):
    proposal = submitted(org.proposer_dept)
    services.proposal_withdraw(actor=org.proposer_dept, proposal=proposal)

    response = client_for(org.homeaffairs).get(reverse("reports:dashboard"), _period())

    review = response.context["summary"]["clocks"][0]
    assert response.context["summary"]["total"] == 1
    assert (review["on_time"], review["late"], review["overdue"], review["pending"]) == (0, 0, 0, 0)


@pytest.mark.parametrize("page", ["reports:dashboard", "reports:proposals"])
def test_a_period_beyond_the_calendar_is_refused_next_to_its_date(org, page):
    response = client_for(org.homeaffairs).get(reverse(page), {"date_from": "01/01/2026", "date_to": "31/12/9999"})

    assert response.status_code == 200
    assert "date_to" in response.context["form"].errors
    assert "Chọn một ngày từ 01/01/2000 đến" in response.content.decode()


def test_an_export_with_invalid_filters_writes_nothing_and_says_why(org):
    client = client_for(org.homeaffairs)
    query = {"date_from": "01/01/2026", "date_to": "31/12/9999"}

    csv = client.get(reverse("reports:export", args=["csv"]), query)
    job = client.post(f"{reverse('reports:export_start')}?{urlencode(query)}", {"format": "xlsx"})
    shown = client.get(csv["Location"])

    assert csv.status_code == job.status_code == 302
    assert csv["Location"].startswith(reverse("reports:proposals"))
    assert "Chưa xuất tệp" in shown.content.decode()
    assert not ExportJob.objects.exists()


def test_the_drill_down_keeps_its_figure_filters_folded_unless_one_is_in_use(org):
    client = client_for(org.homeaffairs)

    plain = client.get(reverse("reports:proposals")).content.decode()
    assert '<details class="mt-2" id="more-filters">' in plain and 'name="clock"' in plain

    narrowed = client.get(reverse("reports:proposals"), {"clock": "review", "compliance": "late"}).content.decode()
    assert '<details class="mt-2" id="more-filters" open>' in narrowed and "2 đang dùng" in narrowed
