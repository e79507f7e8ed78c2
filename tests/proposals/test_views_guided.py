"""The guided proposal form (issue 14): one section per page with a progress indicator, each section saved as a
draft when the person moves on, then the check page. The one-page form stays as an alternative (test_views.py)."""

import re

import pytest
from django.urls import reverse

from proposals import content
from proposals.models import Proposal
from tests.helpers import client_for, draft, form_post, submitted

SECTIONS = len(content.SECTIONS)


def section_url(proposal, step, **query):
    url = reverse("proposals:section", args=[proposal.pk, step])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def section_post(step, action="next", **overrides):
    """The POST of one page of the guided form: only its section's fields, from a complete plan."""
    plan = form_post(**overrides)
    names = {"new_attachments" if name == "attachments" else name for name in content.section_fields(step)}
    if step == 1:
        names.add("creation_token")
    return {**{name: value for name, value in plan.items() if name in names}, "action": action}


def field_names(page):
    """The plan's fields the page's proposal form asks for."""
    form = page.split('id="proposal-form"')[1].split("</form>")[0]
    fields = set(re.findall(r'<(?:input|select|textarea)[^>]*\sname="([a-z_]+)"', form))
    pickers = set(re.findall(r'data-picker[^>]*data-name="([a-z_]+)"', form))  # nothing chosen yet: no box to tick
    return (fields | pickers) - {"csrfmiddlewaretoken", "goto", "next", "q"}


def test_a_new_proposal_starts_with_its_first_section_alone(org):
    page = client_for(org.proposer_dept).get(reverse("proposals:create")).content.decode()

    assert field_names(page) >= {"title", "topic", "summary", "creation_token"}
    assert not field_names(page) & {"necessity", "budget_amount", "commitment", "involved_units"}
    assert "Bước 1 trên 10" in page
    assert page.count('aria-current="step"') == 1
    assert 'href="/proposals/new/all/"' in page  # the whole form on one page remains


def test_each_page_asks_for_its_section_only(org):
    proposal = draft(org.proposer_dept)
    client = client_for(org.proposer_dept)

    for step, (title, fields) in enumerate(content.SECTIONS, start=1):
        page = client.get(section_url(proposal, step)).content.decode()
        expected = {"new_attachments" if name == "attachments" else name for name in fields}
        assert field_names(page) - {"creation_token"} == expected, step
        assert f"<h1 class=\"h3\">{title}</h1>" in page
        assert f"Bước {step} trên {SECTIONS}" in page


def test_walking_the_sections_saves_each_and_ends_on_the_check_page(org):
    client = client_for(org.proposer_dept)

    response = client.post(reverse("proposals:create"), section_post(1))
    proposal = Proposal.objects.get()
    assert proposal.status == "draft" and proposal.title == "Một cửa liên thông điện tử"
    assert response["Location"] == section_url(proposal, 2)

    for step in range(2, SECTIONS + 1):
        response = client.post(section_url(proposal, step), section_post(step))
        expected = section_url(proposal, step + 1) if step < SECTIONS else reverse("proposals:check", args=[proposal.pk])
        assert response["Location"] == expected, step
        if step == 2:  # saved as the person moves on, not at the end
            proposal.refresh_from_db()
            assert proposal.necessity == "Cần thiết" and proposal.bottleneck == "Điểm nghẽn"

    proposal.refresh_from_db()
    assert content.completeness_errors(content.values_of(proposal)) == {}
    page = client.get(response["Location"]).content.decode()
    assert f'action="/proposals/{proposal.pk}/submit/"' in page
    assert "Gửi Giám đốc Sở Xây dựng" in page


def test_a_section_changes_only_its_own_fields(org):
    proposal = draft(org.proposer_dept, necessity="Giữ nguyên", involved_units=[org.ward])

    client_for(org.proposer_dept).post(section_url(proposal, 3), section_post(3, objectives="Mục tiêu mới"))

    proposal.refresh_from_db()
    assert proposal.objectives == "Mục tiêu mới"
    assert proposal.necessity == "Giữ nguyên"
    assert list(proposal.involved_units.all()) == [org.ward]
    assert proposal.commitment is True


def test_back_and_a_chosen_step_save_the_section_first(org):
    proposal = draft(org.proposer_dept)
    client = client_for(org.proposer_dept)

    response = client.post(section_url(proposal, 4), section_post(4, action="back", implementers="Phòng B"))
    assert response["Location"] == section_url(proposal, 3)
    response = client.post(section_url(proposal, 4), {**section_post(4, implementers="Phòng C"),
                                                       "action": "goto", "goto": "8"})
    assert response["Location"] == section_url(proposal, 8)

    proposal.refresh_from_db()
    assert proposal.implementers == "Phòng C"


def test_saving_a_draft_leaves_for_the_proposal_page(org):
    proposal = draft(org.proposer_dept)

    response = client_for(org.proposer_dept).post(section_url(proposal, 2), section_post(2, action="draft",
                                                                                         necessity="Nháp"))

    assert response["Location"] == proposal.get_absolute_url()
    proposal.refresh_from_db()
    assert proposal.necessity == "Nháp"


def test_a_change_asked_from_the_check_page_returns_there(org):
    proposal = draft(org.proposer_dept)
    client = client_for(org.proposer_dept)

    page = client.get(section_url(proposal, 5, next="check")).content.decode()
    assert '<input type="hidden" name="next" value="check">' in page
    assert "Lưu và tiếp tục: kiểm tra và gửi" in page

    response = client.post(section_url(proposal, 5), {**section_post(5, resources="Thêm máy chủ"), "next": "check"})
    assert response["Location"] == reverse("proposals:check", args=[proposal.pk])


def test_the_progress_indicator_marks_the_sections_already_filled(org):
    proposal = draft(org.proposer_dept, bottleneck="", risks="")

    page = client_for(org.proposer_dept).get(section_url(proposal, 1)).content.decode()
    progress = page.split('<ol class="step-progress')[1].split("</ol>")[0]

    items = re.findall(r"<li class=\"step-progress-item([^\"]*)\"", progress)
    assert len(items) == SECTIONS
    assert items[0] == " is-current"
    assert items[1] == "" and items[6] == ""  # 2 and 7 miss an answer
    assert items[2] == " is-filled"
    assert 'id="guided-check-link"' not in page  # offered once every section is filled
    complete = client_for(org.proposer_dept).get(section_url(draft(org.proposer_dept), 1)).content.decode()
    assert 'id="guided-check-link"' in complete
    for step in range(2, SECTIONS + 1):
        assert f'href="{section_url(proposal, step)}" data-step-link="{step}"' in progress


def test_a_wrong_answer_is_shown_beside_its_field_and_nothing_of_the_section_is_saved(org):
    proposal = draft(org.proposer_dept)
    client = client_for(org.proposer_dept)

    before = proposal.implementers
    response = client.post(section_url(proposal, 4), section_post(4, implementers="Đổi", start_date="31/02/2027"))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="error_1_id_start_date"' in page and "form-error-summary" in page
    assert f'action="{section_url(proposal, 4)}"' in page and "Bước 4 trên 10" in page
    proposal.refresh_from_db()
    assert proposal.implementers == before


def test_the_first_section_needs_a_title_and_creates_nothing_without_one(org):
    response = client_for(org.proposer_dept).post(reverse("proposals:create"), section_post(1, title=""))

    assert response.status_code == 200
    assert 'id="error_1_id_title"' in response.content.decode()
    assert not Proposal.objects.exists()


def test_the_first_section_sent_twice_creates_one_draft(org):
    client = client_for(org.proposer_dept)

    client.post(reverse("proposals:create"), section_post(1))
    client.post(reverse("proposals:create"), section_post(1))

    assert Proposal.objects.count() == 1


@pytest.mark.parametrize("step", [0, SECTIONS + 1])
def test_there_is_no_section_outside_the_plan(org, step):
    proposal = draft(org.proposer_dept)
    assert client_for(org.proposer_dept).get(section_url(proposal, step)).status_code == 404


@pytest.mark.parametrize("who", ["head_dept", "deputy_dept", "homeaffairs", "proposer_ward", "outsider"])
def test_only_the_author_opens_or_posts_the_sections_of_a_draft(org, who):
    proposal = draft(org.proposer_dept, necessity="Cần thiết")
    client = client_for(getattr(org, who))

    assert client.get(section_url(proposal, 2)).status_code == 404
    assert client.post(section_url(proposal, 2), section_post(2, necessity="Xâm phạm")).status_code == 404
    proposal.refresh_from_db()
    assert proposal.necessity == "Cần thiết"


def test_a_sent_proposal_has_no_section_to_edit(org):
    proposal = submitted(org.proposer_dept)
    assert client_for(org.proposer_dept).get(section_url(proposal, 1)).status_code == 404


def test_every_section_is_a_plain_form_a_generic_filler_can_follow(org):
    """DESIGN.md: a generic form filler (checks/contract-smoke) files a proposal by filling each page's form and
    pressing the button that goes forward; it follows a form with a field it can fill, or with at most two fields
    (the token and one more). Section 9 with nothing chosen has no box to tick: it must stay that small."""
    proposal = draft(org.proposer_dept, involved_units=[])
    client = client_for(org.proposer_dept)

    for step in range(1, SECTIONS + 1):
        form = client.get(section_url(proposal, step)).content.decode().split('id="proposal-form"')[1].split(
            "</form>")[0]
        fields = re.findall(r"<(input|textarea|select)\b([^>]*)>", form)
        fillable = [attrs for tag, attrs in fields if tag != "input" or re.search(
            r'type="(text|checkbox|date)"', attrs) or "type=" not in attrs]
        assert fillable or len(fields) <= 2, (step, fields)
