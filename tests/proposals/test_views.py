import io
import re
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import Attachment, Note, Proposal, Topic
from tests.helpers import PDF, client_for, draft, evaluated, form_post, make_admin, submitted, uploaded


def test_the_form_page_has_every_section(org):
    response = client_for(org.proposer_dept).get(reverse("proposals:create_all"))

    assert response.status_code == 200
    page = response.content.decode()
    for name in ("title", "necessity", "bottleneck", "objectives", "content_solutions", "scope", "implementers",
                 "start_date", "end_date", "resources", "budget_amount", "budget_source", "feasibility",
                 "positive_impact", "negative_impact", "expected_results", "risks", "worst_case", "risk_handling",
                 "cond_removes_bottleneck", "cond_common_good", "cond_urgent_no_harm", "cond_within_authority",
                 "commitment", "topic", "involved_units", "new_attachments"):
        assert f'name="{name}"' in page, name
    assert "Lưu nháp" in page and "Gửi đề xuất" in page


def test_every_field_a_submission_needs_is_marked_required_before_sending(org):
    from proposals import content

    page = client_for(org.proposer_dept).get(reverse("proposals:create_all")).content.decode()

    needed = (*content.REQUIRED_TO_SUBMIT, *content.CONDITIONS, "commitment")
    for name in needed:
        label = re.search(rf'<label[^>]*for="id_{name}"[^>]*>(.*?)</label>', page, re.S)
        assert label and "asteriskField" in label.group(1), name
    assert page.count('aria-required="true"') >= len(needed) - 1  # the title is required outright
    assert "Các mục có dấu * phải điền trước khi gửi" in page
    summary = re.search(r'<label[^>]*for="id_summary"[^>]*>(.*?)</label>', page, re.S).group(1)
    assert "asteriskField" not in summary  # optional even when sending


def test_submitting_the_form_routes_the_proposal_to_the_reviewer_inbox(org):
    client = client_for(org.proposer_dept)
    response = client.post(reverse("proposals:create_all"), form_post(), follow=True)

    # the plan is saved and shown whole, with who will decide it, before anything is sent
    proposal = Proposal.objects.get()
    assert response.redirect_chain[-1][0] == reverse("proposals:check", args=[proposal.pk])
    assert proposal.status == "draft"
    page = response.content.decode()
    assert "Gửi Giám đốc Sở Xây dựng vì người đề xuất thuộc diện Sở Xây dựng quản lý" in page
    assert f'href="/proposals/{proposal.pk}/edit/2/?next=check#div_id_necessity"' in page

    response = client.post(reverse("proposals:submit", args=[proposal.pk]), follow=True)
    proposal.refresh_from_db()
    assert response.redirect_chain[-1][0] == reverse("proposals:sent", args=[proposal.pk])
    assert proposal.status == "submitted"
    assert proposal.deciding_authority == org.construction
    page = response.content.decode()
    assert proposal.reference in page and "Việc gì diễn ra tiếp theo" in page
    assert "Gửi Giám đốc Sở Xây dựng vì người đề xuất thuộc diện Sở Xây dựng quản lý" in page
    inbox = client_for(org.head_dept).get(reverse("review:inbox")).content.decode()
    assert proposal.title in inbox
    assert proposal.title not in client_for(org.head_city).get(reverse("review:inbox")).content.decode()


def test_a_double_post_of_the_same_form_creates_one_proposal(org):
    client = client_for(org.proposer_dept)

    client.post(reverse("proposals:create_all"), form_post(action="draft"))
    client.post(reverse("proposals:create_all"), form_post(action="draft"))

    assert Proposal.objects.count() == 1


def test_saving_a_draft_accepts_an_incomplete_plan(org):
    response = client_for(org.proposer_dept).post(
        reverse("proposals:create_all"), form_post(action="draft", necessity="", commitment=None))

    proposal = Proposal.objects.get()
    assert response.status_code == 302
    assert proposal.status == "draft" and proposal.necessity == ""


def test_submitting_an_incomplete_plan_keeps_the_draft_and_shows_each_problem(org):
    response = client_for(org.proposer_dept).post(
        reverse("proposals:create_all"), form_post(bottleneck="", commitment=None), follow=True)

    # the draft exists now, so the page is its edit page: the address and the heading say so
    proposal = Proposal.objects.get()
    assert proposal.status == "draft"
    assert response.redirect_chain[-1][0] == reverse("proposals:edit", args=[proposal.pk]) + "?missing=1"
    page = response.content.decode()
    assert "form-error-summary" in page
    assert 'id="error_1_id_bottleneck"' in page
    assert "Mục này bắt buộc khi gửi đề xuất." in page
    assert "Người đề xuất phải cam kết trước khi gửi." in page
    assert f"Sửa đề xuất <span class=\"text-muted\">{proposal.reference}</span>" in page
    assert 'action="%s"' % reverse("proposals:edit", args=[proposal.pk]) in page


def test_a_wrong_date_is_shown_beside_its_field_and_nothing_is_saved(org):
    response = client_for(org.proposer_dept).post(
        reverse("proposals:create_all"), form_post(start_date="31/02/2027", end_date="01/01/2027"))

    assert response.status_code == 200
    assert 'id="error_1_id_start_date"' in response.content.decode()
    assert not Proposal.objects.exists()


def test_attachments_are_checked_by_content_and_served_only_to_those_who_may_see(org):
    client = client_for(org.proposer_dept)
    good = io.BytesIO(PDF)
    good.name = "../../Phương án chi tiết.pdf"
    client.post(reverse("proposals:create_all"), {**form_post(), "new_attachments": [good]})
    proposal = Proposal.objects.get()
    client.post(reverse("proposals:submit", args=[proposal.pk]))  # sent, so its authority may read it
    attachment = Attachment.objects.get()
    assert attachment.original_name == "Phương án chi tiết.pdf"
    assert attachment.content_type == "application/pdf"
    assert not attachment.file.name.startswith("/")
    url = reverse("proposals:attachment", args=[proposal.pk, attachment.pk])

    for allowed in (org.proposer_dept, org.head_dept, org.homeaffairs):
        response = client_for(allowed).get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == PDF
        assert "attachment" in response["Content-Disposition"]
    for denied in (org.head_city, org.head_ward, org.outsider):
        assert client_for(denied).get(url).status_code == 404


def test_a_file_whose_content_does_not_match_is_refused(org):
    fake = io.BytesIO(b"MZ\x90\x00 this is an executable")
    fake.name = "bao-cao.pdf"

    response = client_for(org.proposer_dept).post(
        reverse("proposals:create_all"), {**form_post(), "new_attachments": [fake]})

    assert response.status_code == 200
    assert "không phải PDF, văn bản Office hoặc hình ảnh" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_file_over_the_limit_is_refused(org, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    big = io.BytesIO(PDF)
    big.name = "lon.pdf"

    response = client_for(org.proposer_dept).post(
        reverse("proposals:create_all"), {**form_post(action="draft"), "new_attachments": [big]})

    assert "quá lớn" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("viewer,status", [
    ("proposer_dept", 200), ("head_dept", 200), ("deputy_dept", 200), ("homeaffairs", 200),
    ("head_city", 404), ("head_ward", 404), ("proposer_city", 404), ("outsider", 404),
])
def test_who_can_open_a_submitted_proposal(org, viewer, status):
    proposal = submitted(org.proposer_dept)

    assert client_for(getattr(org, viewer)).get(proposal.get_absolute_url()).status_code == status


@pytest.mark.parametrize("viewer", ["head_dept", "homeaffairs", "head_city", "outsider"])
def test_a_draft_is_hidden_from_everyone_but_its_author(org, viewer):
    proposal = draft(org.proposer_dept)

    assert client_for(getattr(org, viewer)).get(proposal.get_absolute_url()).status_code == 404
    assert client_for(getattr(org, viewer)).get(reverse("proposals:edit", args=[proposal.pk])).status_code == 404
    assert client_for(org.proposer_dept).get(proposal.get_absolute_url()).status_code == 200


def test_an_unknown_proposal_is_404(org):
    assert client_for(org.homeaffairs).get(reverse("proposals:detail", args=[999999])).status_code == 404


def test_the_author_edits_and_submits_a_draft_from_its_page(org):
    proposal = draft(org.proposer_dept)
    client = client_for(org.proposer_dept)

    client.post(reverse("proposals:edit", args=[proposal.pk]), form_post(action="draft", title="Tên mới"))
    response = client.post(reverse("proposals:submit", args=[proposal.pk]), follow=True)

    proposal.refresh_from_db()
    assert proposal.title == "Tên mới"
    assert proposal.status == "submitted"
    assert "Đã gửi đề xuất" in response.content.decode()


def test_submitting_an_incomplete_draft_from_its_page_shows_the_problems(org):
    proposal = draft(org.proposer_dept, risks="")

    response = client_for(org.proposer_dept).post(reverse("proposals:submit", args=[proposal.pk]), follow=True)

    # the check page lists what is missing, each linked to the page of the guided form that asks for it
    assert response.redirect_chain[-1][0] == reverse("proposals:check", args=[proposal.pk])
    assert f'href="/proposals/{proposal.pk}/edit/7/?next=check#div_id_risks"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "draft"


def test_a_submitted_proposal_cannot_be_edited_through_the_page(org):
    proposal = submitted(org.proposer_dept)

    assert client_for(org.proposer_dept).get(reverse("proposals:edit", args=[proposal.pk])).status_code == 404


def test_the_author_withdraws_from_the_page_and_others_cannot(org):
    proposal = submitted(org.proposer_dept)
    url = reverse("proposals:withdraw", args=[proposal.pk])

    assert client_for(org.outsider).post(url).status_code == 404
    client_for(org.head_dept).post(url, {"reason": "x"})
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    client_for(org.proposer_dept).post(url, {"reason": "Không còn cần thiết"})
    proposal.refresh_from_db()
    assert proposal.status == "withdrawn"


def test_transfer_through_the_page(org):
    proposal = submitted(org.proposer_dept)
    url = reverse("proposals:transfer", args=[proposal.pk])

    assert client_for(org.proposer_dept).get(url).status_code == 404
    assert client_for(org.homeaffairs).get(url).status_code == 404
    page = client_for(org.head_dept).get(url)
    assert page.status_code == 200
    empty = client_for(org.head_dept).post(url, {"authority": str(org.city.pk), "reason": ""})
    assert empty.status_code == 200 and "is-invalid" in empty.content.decode()
    response = client_for(org.head_dept).post(url, {"authority": str(org.city.pk), "reason": "Thẩm quyền Thành phố"})
    # The director no longer serves the deciding authority: back to the inbox, not to a page that is now 404.
    assert response.status_code == 302 and response.url == reverse("review:inbox")
    proposal.refresh_from_db()
    assert proposal.deciding_authority == org.city


def test_a_transfer_sent_after_the_decision_is_explained_and_its_page_no_longer_opens(org):
    proposal = submitted(org.proposer_dept)
    url = reverse("proposals:transfer", args=[proposal.pk])
    services.proposal_reject(actor=org.head_dept, proposal=proposal, decision_date=timezone.localdate(), reasons="Chưa khả thi")

    assert client_for(org.head_dept).get(url).status_code == 404
    late = client_for(org.head_dept).post(url, {"authority": str(org.city.pk), "reason": "Thẩm quyền Thành phố"})
    assert late.status_code == 200
    assert "Chỉ chuyển được đề xuất chưa có quyết định." in late.content.decode()
    assert client_for(org.homeaffairs).post(url, {"authority": str(org.city.pk), "reason": "x"}).status_code == 404
    proposal.refresh_from_db()
    assert proposal.deciding_authority == org.construction


def test_versions_are_readable_and_comparable(org):
    proposal = submitted(org.proposer_dept)
    # a second version as a revision would create it (the return service belongs to the decision workflow)
    Proposal.objects.filter(pk=proposal.pk).update(status="returned")
    services.proposal_update_content(actor=org.proposer_dept, proposal=proposal,
                                     data={"objectives": "Giảm 70% thời gian giải quyết."})
    services.proposal_submit(actor=org.proposer_dept, proposal=proposal)
    client = client_for(org.head_dept)

    one = client.get(reverse("proposals:version", args=[proposal.pk, 1]))
    diff = client.get(reverse("proposals:versions", args=[proposal.pk]) + "?from=1&to=2")

    assert "Giảm 50% thời gian giải quyết." in one.content.decode()
    page = diff.content.decode()
    assert "Giảm 50% thời gian giải quyết." in page and "Giảm 70% thời gian giải quyết." in page
    assert client_for(org.outsider).get(reverse("proposals:version", args=[proposal.pk, 1])).status_code == 404
    assert client.get(reverse("proposals:version", args=[proposal.pk, 9])).status_code == 404


def test_unit_search_finds_units_without_diacritics(org):
    response = client_for(org.proposer_dept).get(reverse("proposals:unit_search") + "?q=ben thanh")

    assert response["Content-Type"] == "application/json"
    results = response.json()["results"]
    assert {"id": org.ward.pk, "name": "UBND phường Bến Thành"}.items() <= results[0].items()
    authorities = client_for(org.proposer_dept).get(reverse("proposals:unit_search") + "?q=phong&authorities=1")
    assert all(item["id"] != org.construction_division.pk for item in authorities.json()["results"])


def test_my_proposals_lists_only_mine_with_status_and_authority(org, django_assert_max_num_queries):
    for _ in range(30):
        submitted(org.proposer_dept)
    draft(org.proposer_city, title="Của người khác")
    client = client_for(org.proposer_dept)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("proposals:list"))

    page = response.content.decode()
    assert page.count("Số hóa hồ sơ cấp phép xây dựng") == 25
    assert "Của người khác" not in page
    assert "Sở Xây dựng" in page and "Đã gửi, chờ xem xét" in page
    assert "Trang 1/2" in page


def test_review_inbox_runs_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    for _ in range(30):
        submitted(org.proposer_dept)
    client = client_for(org.head_dept)

    with django_assert_max_num_queries(11):
        response = client.get(reverse("review:inbox"))

    assert response.content.decode().count("Số hóa hồ sơ cấp phép xây dựng") == 25


def test_proposal_page_runs_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    proposal = submitted(org.proposer_dept)
    for number in range(5):
        services.party_opinion_record(actor=org.head_dept, proposal=proposal, document_number=str(number),
                                      document_date=timezone.localdate(), summary="Ý kiến")
        services.meeting_record(actor=org.head_dept, proposal=proposal, meeting_date=timezone.localdate(),
                                members_present=5, votes_for=1, votes_against=4, votes_abstain=0, head_vote="for")
        services.note_add(actor=org.head_dept, proposal=proposal, text="Ghi chú", visibility=Note.Visibility.INTERNAL)
        services.note_add(actor=org.proposer_dept, proposal=proposal, text="Hỏi", visibility=Note.Visibility.THREAD)

    for viewer in (org.head_dept, org.proposer_dept, org.homeaffairs):
        client = client_for(viewer)
        with django_assert_max_num_queries(22):
            response = client.get(proposal.get_absolute_url())
        assert response.status_code == 200


def test_a_concluded_proposal_page_runs_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    proposal = evaluated(org.proposer_dept, outcome="completed")
    today = timezone.localdate()
    services.proposal_conclude(actor=org.head_dept, proposal=proposal, conclusion_date=today, conclusion_text="Tốt",
                               protection_date=today, tier="not_liable")
    for _ in range(3):
        services.reward_recommend(actor=org.head_dept, proposal=proposal, beneficiary=org.proposer_dept,
                                  kind="commendation", description="Bằng khen")

    for viewer in (org.head_dept, org.proposer_dept, org.homeaffairs, org.head_city):
        client = client_for(viewer)
        with django_assert_max_num_queries(34):
            response = client.get(proposal.get_absolute_url())
        assert response.status_code == 200


@pytest.mark.parametrize("path", ["/proposals/", "/proposals/new/", "/review/"])
def test_pages_require_sign_in(db, path):
    response = Client().get(path)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_empty_fields_render_empty_so_clients_do_not_read_a_value(org):
    page = client_for(org.proposer_dept).get(reverse("proposals:create_all")).content.decode()

    assert '<textarea name="necessity"' in page
    assert "></textarea>" in page.split('<textarea name="necessity"', 1)[1].split("\n", 1)[0]
    assert page.count('name="csrfmiddlewaretoken"') == page.count("<form")


def test_review_inbox_is_newest_first_and_filters(org):
    older = submitted(org.proposer_dept, title="Đề xuất cũ")
    Proposal.objects.filter(pk=older.pk).update(review_due_date="2020-01-01")
    other_topic = Topic.objects.order_by("order")[1]
    newer = submitted(org.proposer_staff, title="Đề xuất mới", topic=other_topic)
    client = client_for(org.head_dept)
    url = reverse("review:inbox")

    page = client.get(url).content.decode()
    assert page.index("Đề xuất mới") < page.index("Đề xuất cũ")
    assert timezone.localtime(newer.submitted_at).strftime("%d/%m/%Y") in page
    overdue = client.get(url + "?overdue=on").content.decode()
    assert "Đề xuất cũ" in overdue and "Đề xuất mới" not in overdue
    by_topic = client.get(url + f"?topic={other_topic.pk}").content.decode()
    assert "Đề xuất mới" in by_topic and "Đề xuất cũ" not in by_topic
    by_unit = client.get(url + f"?unit={org.construction_division.pk}").content.decode()
    assert "Đề xuất cũ" in by_unit and "Đề xuất mới" not in by_unit
    services.proposal_withdraw(actor=org.proposer_staff, proposal=newer)
    assert "Đề xuất mới" not in client.get(url).content.decode()
    assert "Đề xuất mới" in client.get(url + "?status=all").content.decode()
    assert "Đề xuất mới" in client.get(url + "?status=withdrawn").content.decode()


def test_over_long_text_is_refused_beside_its_field(org):
    response = client_for(org.proposer_dept).post(
        reverse("proposals:create_all"), form_post(necessity="x" * 20001))

    assert response.status_code == 200
    assert 'id="error_1_id_necessity"' in response.content.decode()
    assert not Proposal.objects.exists()


def test_files_sent_at_once_have_a_total_limit(org, settings):
    settings.ATTACHMENT_MAX_TOTAL_BYTES = len(PDF) + 10
    files = []
    for name in ("a.pdf", "b.pdf"):
        upload = io.BytesIO(PDF)
        upload.name = name
        files.append(upload)

    response = client_for(org.proposer_dept).post(
        reverse("proposals:create_all"), {**form_post(action="draft"), "new_attachments": files})

    assert "Tổng dung lượng các tệp gửi một lần vượt quá" in response.content.decode()
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("who", ["homeaffairs", "admin"])
def test_an_unsent_withdrawn_draft_stays_private_to_its_author(org, who):
    proposal = draft(org.proposer_dept, title="Bản nháp riêng chưa từng gửi")
    attachment = services.attachment_add(actor=org.proposer_dept, proposal=proposal, upload=uploaded())
    services.proposal_withdraw(actor=org.proposer_dept, proposal=proposal, reason="Không gửi nữa")
    reader = org.homeaffairs if who == "homeaffairs" else make_admin(org.outsider)
    client = client_for(reader)

    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert client.get(reverse("proposals:attachment", args=[proposal.pk, attachment.pk])).status_code == 404


def test_an_administrator_cannot_pick_the_authority_for_their_own_proposal(org):
    make_admin(org.proposer_dept)
    proposal = submitted(org.proposer_dept)

    client_for(org.proposer_dept).post(reverse("proposals:transfer", args=[proposal.pk]), {
        "authority": str(org.ward.pk), "reason": "Tôi muốn phường quyết định"})

    proposal.refresh_from_db()
    assert proposal.deciding_authority == org.construction


def test_unsubmitted_revisions_stay_with_the_author(org):
    proposal = submitted(org.proposer_dept)
    services.proposal_return_for_revision(actor=org.head_dept, proposal=proposal, message="Bổ sung số liệu")
    services.proposal_update_content(actor=org.proposer_dept, proposal=proposal,
                                     data={"summary": "Bản sửa đang soạn, chưa gửi"})

    for reader in (org.head_dept, org.homeaffairs):
        assert "Bản sửa đang soạn, chưa gửi" not in client_for(reader).get(proposal.get_absolute_url()).content.decode()


def test_attachment_ids_of_another_proposal_are_404_for_download_and_removal(org):
    secret = draft(org.proposer_dept)
    attachment = services.attachment_add(actor=org.proposer_dept, proposal=secret, upload=uploaded("mat.pdf"))
    own = draft(org.proposer_ward)
    client = client_for(org.proposer_ward)

    assert client.get(reverse("proposals:attachment", args=[own.pk, attachment.pk])).status_code == 404
    assert client.post(reverse("proposals:attachment_remove", args=[own.pk, attachment.pk])).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_an_upload_is_stored_under_a_random_name_with_the_sniffed_type(org):
    proposal = draft(org.proposer_dept)
    attachment = services.attachment_add(actor=org.proposer_dept, proposal=proposal,
                                         upload=uploaded("..\\..\\etc\\passwd.pdf"))

    assert attachment.original_name == "passwd.pdf"
    assert ".." not in attachment.file.name and "passwd" not in attachment.file.name
    response = client_for(org.proposer_dept).get(reverse("proposals:attachment", args=[proposal.pk, attachment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")


def test_a_transfer_takes_the_old_authoritys_access_to_files_too(org):
    proposal = submitted(org.proposer_dept)
    services.proposal_transfer(actor=org.head_dept, proposal=proposal, authority=org.ward, reason="Sai thẩm quyền")

    for url in (proposal.get_absolute_url(), reverse("proposals:versions", args=[proposal.pk]),
                reverse("proposals:version", args=[proposal.pk, 1])):
        assert client_for(org.deputy_dept).get(url).status_code == 404, url
    assert client_for(org.head_ward).get(proposal.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("url", ["/proposals/?q=ab%00cd", "/proposals/units/search/?q=ab%00cd",
                                 "/review/?q=ab%00cd", "/proposals/?q=%E2%80%8B%01"])
def test_control_characters_in_a_search_are_read_as_spaces(org, url):
    for user in (org.proposer_dept, org.head_dept):
        assert client_for(user).get(url).status_code == 200


def test_a_proposals_attachments_have_a_total_limit_over_all_its_saves(org, settings):
    settings.ATTACHMENT_MAX_TOTAL_BYTES = len(PDF) + 10
    proposal = draft(org.proposer_dept)
    services.attachment_add(actor=org.proposer_dept, proposal=proposal, upload=uploaded("a.pdf"))
    title = proposal.title

    response = client_for(org.proposer_dept).post(
        reverse("proposals:edit", args=[proposal.pk]),
        {**form_post(action="draft", title="Tên mới"), "new_attachments": [uploaded("b.pdf")]})

    assert response.status_code == 200
    assert "sẽ vượt quá tổng dung lượng cho phép" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.title == title and proposal.attachments.count() == 1
    # the service refuses too, whoever calls it
    with pytest.raises(ValidationError):
        services.attachment_add(actor=org.proposer_dept, proposal=proposal, upload=uploaded("c.pdf"))
    assert proposal.attachments.count() == 1


def test_text_is_stored_composed_whatever_the_keyboard_sent(org):
    decomposed_title = unicodedata.normalize("NFD", "Số hoá hồ sơ một cửa")
    decomposed_summary = unicodedata.normalize("NFD", "Tóm tắt về chuyển đổi số")

    client_for(org.proposer_dept).post(reverse("proposals:create_all"), form_post(
        action="draft", title=decomposed_title, summary=decomposed_summary))

    proposal = Proposal.objects.get()
    assert proposal.title == "Số hoá hồ sơ một cửa" and unicodedata.is_normalized("NFC", proposal.title)
    assert proposal.summary == "Tóm tắt về chuyển đổi số"


@pytest.mark.parametrize(("title", "message"), [
    ("Hoá đơn\u202eexe.pdf", "Tên có ký tự ẩn"),
    ("Một\u200bcửa", "Tên có ký tự ẩn"),
    ("2026 — 100%!", "Tên phải có chữ"),
])
def test_a_title_with_hidden_characters_or_no_letters_is_refused_beside_it(org, title, message):
    response = client_for(org.proposer_dept).post(reverse("proposals:create_all"), form_post(action="draft", title=title))

    assert response.status_code == 200
    assert message in str(response.context["form"].errors["title"])
    assert not Proposal.objects.exists()


def test_a_transfer_to_the_authority_the_author_leads_is_refused_beside_the_field(org):
    proposal = submitted(org.head_dept)  # decided by the City: the Director leads Sở Xây dựng
    url = reverse("proposals:transfer", args=[proposal.pk])

    response = client_for(org.head_city).post(url, {"authority": str(org.construction.pk), "reason": "Thẩm quyền sở"})

    assert response.status_code == 200
    assert "Điều 7 khoản 4" in " ".join(response.context["form"].errors["authority"])
    proposal.refresh_from_db()
    assert proposal.deciding_authority == org.city
