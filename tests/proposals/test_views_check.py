"""Check your answers before sending, and the confirmation after (issue 14): the whole plan with links back to
each answer, who will decide it and why computed now, and afterwards the reference and what happens next."""

import pytest
from django.urls import reverse

from proposals import services
from proposals.models import Proposal
from tests.helpers import client_for, draft, submitted


def check_page(user, proposal):
    return client_for(user).get(reverse("proposals:check", args=[proposal.pk]))


def test_the_check_page_shows_every_answer_with_a_link_to_change_it(org):
    proposal = draft(org.proposer_dept, necessity="Hồ sơ giấy chậm")

    page = check_page(org.proposer_dept, proposal).content.decode()

    assert "Hồ sơ giấy chậm" in page
    for step, field in ((1, "title"), (2, "necessity"), (5, "budget_amount"), (10, "commitment"),
                        (9, "new_attachments")):
        assert f'href="/proposals/{proposal.pk}/edit/{step}/?next=check#div_id_{field}"' in page
    assert "Sở Xây dựng" in page and "Gửi Giám đốc Sở Xây dựng" in page
    assert f'action="/proposals/{proposal.pk}/submit/"' in page
    assert Proposal.objects.get().status == "draft"  # looking sends nothing


def test_the_deciding_authority_shown_follows_the_related_units_before_anything_is_sent(org):
    proposal = draft(org.proposer_dept)
    assert "Gửi Giám đốc Sở Xây dựng" in check_page(org.proposer_dept, proposal).content.decode()

    services.proposal_update_content(actor=org.proposer_dept, proposal=proposal,
                                     data={"involved_units": [org.ward]})
    page = check_page(org.proposer_dept, proposal).content.decode()

    assert "UBND Thành phố Hồ Chí Minh" in page.split('id="routing-preview"')[1].split("</section>")[0]


def test_an_incomplete_draft_lists_what_is_missing_and_offers_no_send_button(org):
    proposal = draft(org.proposer_dept, bottleneck="")

    page = check_page(org.proposer_dept, proposal).content.decode()

    assert "Đề xuất chưa đủ để gửi" in page
    assert f'href="/proposals/{proposal.pk}/edit/2/?next=check#div_id_bottleneck"' in page
    assert f'action="/proposals/{proposal.pk}/submit/"' not in page


@pytest.mark.parametrize("who", ["head_dept", "head_city", "homeaffairs", "outsider", "proposer_ward"])
def test_only_the_author_may_check_a_draft(org, who):
    assert check_page(getattr(org, who), draft(org.proposer_dept)).status_code == 404


def test_a_sent_proposal_has_nothing_left_to_check(org):
    assert check_page(org.proposer_dept, submitted(org.proposer_dept)).status_code == 404


def test_the_confirmation_names_the_reference_the_authority_and_the_due_date(org):
    proposal = submitted(org.proposer_dept)

    page = client_for(org.proposer_dept).get(reverse("proposals:sent", args=[proposal.pk])).content.decode()

    assert proposal.reference in page and "Sở Xây dựng" in page
    assert proposal.review_due_date.strftime("%d/%m/%Y") in page
    assert org.proposer_dept.email in page


@pytest.mark.parametrize("who", ["head_dept", "homeaffairs", "outsider"])
def test_the_confirmation_is_the_authors_alone(org, who):
    proposal = submitted(org.proposer_dept)
    assert client_for(getattr(org, who)).get(reverse("proposals:sent", args=[proposal.pk])).status_code == 404


def test_a_draft_has_no_confirmation(org):
    proposal = draft(org.proposer_dept)
    assert client_for(org.proposer_dept).get(reverse("proposals:sent", args=[proposal.pk])).status_code == 404


def test_the_edit_page_of_a_returned_proposal_says_what_the_authority_asked(org):
    proposal = services.proposal_return_for_revision(
        actor=org.deputy_dept, proposal=submitted(org.proposer_dept), message="Bổ sung dự toán theo từng quý")

    page = client_for(org.proposer_dept).get(reverse("proposals:edit", args=[proposal.pk])).content.decode()

    assert "Sở Xây dựng đề nghị bổ sung" in page and "Bổ sung dự toán theo từng quý" in page
    assert org.deputy_dept.get_full_name() in page
    # and resending goes through the same check, which keeps the authority that returned it
    page = check_page(org.proposer_dept, proposal).content.decode()
    assert "Gửi lại đề xuất" in page and "Sở Xây dựng" in page
