"""The home page says what waits for each person (issue 14): proposals to decide with their due dates and how many
are overdue, proposals returned to them, drafts never sent, unread notifications; in a fixed number of queries."""

import datetime

from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import Proposal
from tests.helpers import client_for, deliver_all, draft, submitted


def home(user) -> str:
    response = client_for(user).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def section(page: str, element_id: str) -> str:
    return page.split(f'id="{element_id}"', 1)[1].split("</ul>", 1)[0]


def test_a_head_sees_the_proposals_to_decide_soonest_due_first_and_how_many_are_overdue(org):
    later = submitted(org.proposer_dept, title="Số hoá hồ sơ")
    sooner = submitted(org.proposer_dept, title="Một cửa điện tử")
    today = timezone.localdate()
    Proposal.objects.filter(pk=later.pk).update(review_due_date=today + datetime.timedelta(days=9))
    Proposal.objects.filter(pk=sooner.pk).update(review_due_date=today - datetime.timedelta(days=2))

    page = home(org.head_dept)

    assert "2 đề xuất chờ quyết định" in page and "1 quá hạn" in page
    listed = section(page, "waiting-to-decide")
    assert listed.index("Một cửa điện tử") < listed.index("Số hoá hồ sơ")
    assert "quá hạn xem xét " + (today - datetime.timedelta(days=2)).strftime("%d/%m/%Y") in listed
    assert "hạn xem xét " + (today + datetime.timedelta(days=9)).strftime("%d/%m/%Y") in listed
    # other authorities' heads have nothing of it to decide
    assert 'id="waiting-to-decide"' not in home(org.head_ward)


def test_an_author_sees_what_was_returned_to_them_and_their_unsent_drafts(org):
    returned = services.proposal_return_for_revision(
        actor=org.deputy_dept, proposal=submitted(org.proposer_dept, title="Số hoá hồ sơ"), message="Bổ sung")
    unsent = draft(org.proposer_dept, title="Ký số văn bản")
    deliver_all()

    page = home(org.proposer_dept)

    assert f'href="/proposals/{returned.pk}/edit/1/"' in section(page, "waiting-returned")
    assert f'href="/proposals/{unsent.pk}/edit/1/"' in section(page, "waiting-drafts")
    assert "1 bản nháp chưa gửi" in page
    assert "thông báo chưa đọc" in page  # the receipt and the return
    # nobody else sees them
    for other in (org.proposer_ward, org.head_dept):
        assert "Ký số văn bản" not in home(other)


def test_a_person_with_nothing_waiting_is_told_so(org):
    assert "Không có việc nào đang chờ bạn." in home(org.outsider)


def test_the_home_page_runs_the_same_queries_however_much_waits(org, django_assert_max_num_queries):
    submitted(org.proposer_dept)
    draft(org.head_dept)
    client = client_for(org.head_dept)
    with django_assert_max_num_queries(12) as few:
        assert client.get(reverse("home")).status_code == 200
    for number in range(8):
        submitted(org.proposer_dept, title=f"Đề xuất {number}")
        draft(org.head_dept, title=f"Nháp {number}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("home")).status_code == 200
