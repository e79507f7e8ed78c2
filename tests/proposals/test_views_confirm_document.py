"""Signing an approval, a rejection, a conclusion or a protection decision goes through a page that shows the
document to be issued (issue 14): nothing is numbered, signed or saved until the person confirms."""

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals.models import Conclusion, Decision, DocumentCounter, ProtectionDecision
from tests.helpers import client_for, evaluated, head_of, submitted, vote_passed

TODAY = timezone.localdate().strftime("%d/%m/%Y")


def send(user, proposal, action, data, **extra):
    url = reverse(f"proposals:{action}", args=[proposal.pk])
    return client_for(user).post(url, {**{f"{action}-{k}": v for k, v in data.items()}, **extra})


def test_an_approval_is_shown_whole_before_it_is_signed_and_issued_only_when_confirmed(org):
    proposal = vote_passed(org.head_dept, submitted(org.proposer_dept, title="Một cửa liên thông"))

    response = send(org.head_dept, proposal, "approve", {"decision_date": TODAY, "reasons": "Giao Phòng A chủ trì"})

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="document-preview"' in page
    assert "QUYẾT ĐỊNH" in page and "Phê duyệt đề xuất đổi mới, sáng tạo “Một cửa liên thông”" in page
    assert "Giao Phòng A chủ trì" in page and "…/QĐ-SXD" in page and "Trần Thị Giám Đốc" in page
    assert 'name="approve-reasons" value="Giao Phòng A chủ trì"' in page
    assert 'name="confirmed" value="1"' in page and "Ký quyết định phê duyệt" in page
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert not Decision.objects.exists() and not DocumentCounter.objects.exists()  # no number taken

    response = send(org.head_dept, proposal, "approve", {"decision_date": TODAY, "reasons": "Giao Phòng A chủ trì"},
                    confirmed="1")

    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "approved" and proposal.decision.number == "01/QĐ-SXD"
    assert proposal.decision.reasons == "Giao Phòng A chủ trì"


def test_going_back_from_the_document_shows_the_form_as_it_was_filled(org):
    proposal = submitted(org.proposer_dept)

    response = send(org.head_dept, proposal, "reject", {"decision_date": TODAY, "reasons": "Chưa có dự toán"},
                    revise="1")

    page = response.content.decode()
    assert response.status_code == 200 and 'class="document-preview"' not in page
    assert "Chưa có dự toán</textarea>" in page
    assert not Decision.objects.exists()


def test_a_rejection_names_its_reasons_in_the_document_shown(org):
    proposal = submitted(org.proposer_dept)

    page = send(org.head_dept, proposal, "reject", {"decision_date": TODAY, "reasons": "Chưa có dự toán"}).content.decode()

    assert "Không phê duyệt đề xuất đổi mới, sáng tạo" in page and "Lý do: Chưa có dự toán" in page
    assert "Ký quyết định không phê duyệt" in page


def test_a_form_with_a_mistake_is_corrected_before_any_document_is_shown(org):
    proposal = submitted(org.proposer_dept)

    page = send(org.head_dept, proposal, "reject", {"decision_date": TODAY, "reasons": ""}).content.decode()

    assert 'class="document-preview"' not in page and 'id="error_1_id_reject-reasons"' in page


@pytest.mark.parametrize("actor", ["deputy_dept", "proposer_dept", "homeaffairs"])
def test_nobody_but_the_head_sees_a_document_to_sign(org, actor):
    proposal = submitted(org.proposer_dept)

    response = send(getattr(org, actor), proposal, "reject", {"decision_date": TODAY, "reasons": "x"})

    assert 'class="document-preview"' not in response.content.decode()
    assert not Decision.objects.exists()


def test_a_conclusion_on_the_decree_73_track_shows_both_documents_it_issues(org):
    proposal = evaluated(org.proposer_dept)
    head = head_of(proposal)
    tier = proposal.evaluation.proposed_tier

    page = send(head, proposal, "conclude", {"conclusion_date": TODAY, "conclusion_text": "Hoàn thành tốt",
                                             "protection_date": TODAY, "tier": tier}).content.decode()

    assert page.count('class="document-preview"') == 2
    assert "KẾT LUẬN" in page and "Hoàn thành tốt" in page and "…/KL-SXD" in page
    assert "Văn bản kết luận" in page and "Quyết định bảo vệ" in page
    assert not Conclusion.objects.exists() and not ProtectionDecision.objects.exists()


def test_a_date_the_service_would_refuse_is_said_before_the_document_is_shown(org):
    proposal = submitted(org.proposer_dept)
    tomorrow = (timezone.localdate() + timezone.timedelta(days=1)).strftime("%d/%m/%Y")

    page = send(org.head_dept, proposal, "reject", {"decision_date": tomorrow, "reasons": "Chưa khả thi"}
                ).content.decode()

    assert 'class="document-preview"' not in page and "Ngày quyết định không thể ở tương lai." in page


def test_a_tier_other_than_the_evaluations_needs_its_reasons_before_the_documents_are_shown(org):
    proposal = evaluated(org.proposer_dept)
    other = next(tier for tier in ("not_liable", "excluded", "considered") if tier != proposal.evaluation.proposed_tier)

    page = send(head_of(proposal), proposal, "conclude", {"conclusion_date": TODAY, "conclusion_text": "Xong",
                                                          "protection_date": TODAY, "tier": other}).content.decode()

    assert 'class="document-preview"' not in page and "hãy nêu lý do" in page
