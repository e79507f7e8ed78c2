"""The top of the proposal page says where it stands (issue 14): the lifecycle's steps (done, current, next or
skipped), the clock running now with its due date, and the one or two actions the reader is expected to take."""

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import services, workflow
from proposals.workflow import Status
from tests.helpers import approved, client_for, draft, reject, submitted


def states(status, was_submitted=True):
    return [step["state"] for step in workflow.lifecycle_steps(status, was_submitted=was_submitted)]


def test_every_state_has_one_current_step_with_the_steps_before_it_done():
    for status in Status.values:
        found = states(status)
        assert found.count("current") == 1, status
        current = found.index("current")
        assert set(found[:current]) <= {"done"}, status


def test_a_proposal_that_ended_early_shows_the_later_steps_as_not_happening():
    assert states(Status.REJECTED) == ["done", "done", "current", *["skipped"] * 5]
    assert states(Status.WITHDRAWN, was_submitted=False) == ["current", *["skipped"] * 7]
    assert states(Status.WITHDRAWN) == ["done", "current", *["skipped"] * 6]
    assert states(Status.IMPLEMENTING) == ["done", "done", "done", "current", *["upcoming"] * 4]


def top_of_page(user, proposal) -> str:
    page = client_for(user).get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    return page.split('id="lifecycle"', 1)[1].split("</section>", 1)[0]


def test_the_deciding_head_sees_the_review_step_its_due_date_and_what_to_do_next(org):
    proposal = submitted(org.proposer_dept)

    top = top_of_page(org.head_dept, proposal)

    assert 'aria-current="step"' in top.split("Xem xét")[0].rsplit("<li", 1)[1]
    assert proposal.review_due_date.strftime("%d/%m/%Y") in top
    assert "Việc của bạn bây giờ" in top and "Ghi nhận ý kiến cấp ủy" in top
    assert "Không phê duyệt" not in top  # refusing is offered further down, not as the expected step


def test_the_author_of_a_draft_is_pointed_to_checking_and_sending(org):
    proposal = draft(org.proposer_dept)
    top = top_of_page(org.proposer_dept, proposal)
    assert f'href="/proposals/{proposal.pk}/check/"' in top and 'id="running-clock"' not in top


@pytest.mark.parametrize("who", ["proposer_dept", "homeaffairs"])
def test_readers_with_nothing_to_do_are_not_offered_anything(org, who):
    proposal = reject(org.head_dept, submitted(org.proposer_dept))
    top = top_of_page(getattr(org, who), proposal)
    assert "Việc của bạn bây giờ" not in top and "is-skipped" in top


def test_an_approved_proposal_points_its_head_to_starting_it(org):
    proposal = approved(org.proposer_dept)
    assert "Bắt đầu triển khai" in top_of_page(org.head_dept, proposal)


# — what must happen first is said before anybody fills a form —

def detail(user, proposal) -> str:
    return client_for(user).get(reverse("proposals:detail", args=[proposal.pk])).content.decode()


def test_before_a_vote_the_head_is_told_why_approving_is_not_offered_yet(org):
    proposal = submitted(org.proposer_dept)

    page = detail(org.head_dept, proposal)

    waiting = page.split('id="waiting-actions"')[1].split("</ul>")[0]
    assert "Phê duyệt (biểu quyết đã thông qua)" in waiting
    assert "Chỉ phê duyệt theo biểu quyết khi cuộc họp tập thể lãnh đạo gần nhất đã thông qua." in waiting
    assert 'id="waiting-actions"' not in detail(org.proposer_dept, proposal)  # nothing of it is the author's


def test_a_vote_without_the_party_opinion_shows_the_missing_opinion_above_the_approval_form(org):
    proposal = submitted(org.proposer_dept)
    services.meeting_record(actor=org.head_dept, proposal=proposal, meeting_date=timezone.localdate(),
                            members_present=5, votes_for=4, votes_against=1, votes_abstain=0, head_vote="for")

    page = detail(org.head_dept, proposal)

    unmet = page.split('id="unmet-approve"')[1].split("</div>")[0]
    assert "Cần ghi nhận ý kiến của cấp ủy cùng cấp trước khi phê duyệt." in unmet
    # recorded, the opinion is no longer asked for
    services.party_opinion_record(actor=org.head_dept, proposal=proposal, document_number="9-CV/ĐU",
                                  document_date=timezone.localdate(), summary="Đảng ủy nhất trí.")
    assert 'id="unmet-approve"' not in detail(org.head_dept, proposal)


def test_once_decided_the_plan_and_the_history_fold_away_but_stay_on_the_page(org):
    proposal = submitted(org.proposer_dept, necessity="Hồ sơ giấy chậm")
    page = detail(org.head_dept, proposal)
    assert '<details class="card-body" id="plan" open>' in page
    assert '<details class="card-body" id="history">' in page  # folded, whatever the state

    decided = detail(org.head_dept, approved(org.proposer_dept, necessity="Hồ sơ giấy chậm"))
    assert '<details class="card-body" id="plan">' in decided and "Hồ sơ giấy chậm" in decided
