"""Build proposals through the real services."""

import datetime
import uuid

from proposals import services
from proposals.models import Topic


def complete_plan(**overrides) -> dict:
    data = {
        "title": "Số hóa hồ sơ cấp phép xây dựng",
        "topic": Topic.objects.order_by("order").first(),
        "summary": "Tiếp nhận và trả kết quả hoàn toàn trực tuyến.",
        "necessity": "Hồ sơ giấy kéo dài thời gian xử lý.",
        "bottleneck": "Chưa có quy định về hồ sơ điện tử có giá trị như bản giấy.",
        "objectives": "Giảm 50% thời gian giải quyết.",
        "content_solutions": "Xây dựng quy trình điện tử, ký số.",
        "scope": "Toàn Sở Xây dựng.",
        "implementers": "Phòng Quản lý nhà.",
        "start_date": datetime.date(2027, 1, 4),
        "end_date": datetime.date(2027, 6, 30),
        "timeline_description": "Quý I thí điểm, quý II nhân rộng.",
        "resources": "5 cán bộ, 2 máy chủ.",
        "budget_amount": 500_000_000,
        "budget_source": "Ngân sách thành phố",
        "feasibility": "Đã có hạ tầng.",
        "positive_impact": "Người dân tiết kiệm thời gian.",
        "negative_impact": "Cán bộ cần đào tạo lại.",
        "expected_results": "100% hồ sơ trực tuyến.",
        "risks": "Lỗi hệ thống.",
        "worst_case": "Mất dữ liệu.",
        "risk_handling": "Sao lưu hằng ngày.",
        "cond_removes_bottleneck": True,
        "cond_common_good": True,
        "cond_urgent_no_harm": True,
        "cond_within_authority": True,
        "commitment": True,
        "involved_units": [],
    }
    data.update(overrides)
    return data


def draft(author, **overrides):
    return services.proposal_create_draft(actor=author, data=complete_plan(**overrides), creation_token=uuid.uuid4())


def submitted(author, **overrides):
    return services.proposal_submit(actor=author, proposal=draft(author, **overrides))


def head_of(proposal):
    from accounts.selectors import authority_head_current

    return authority_head_current(authority=proposal.deciding_authority)


def approved(author, **overrides):
    proposal = submitted(author, **overrides)
    head = head_of(proposal)
    today = datetime.date.today()
    services.party_opinion_record(actor=head, proposal=proposal, document_number=f"CV-{proposal.pk}",
                                  document_date=today, summary="Nhất trí")
    services.meeting_record(actor=head, proposal=proposal, meeting_date=today, members_present=5, votes_for=4,
                            votes_against=1, votes_abstain=0, head_vote="for")
    return services.proposal_approve(actor=head, proposal=proposal, number=f"QĐ-{proposal.pk}",
                                     decision_date=today)


def reported(author, **overrides):
    proposal = approved(author, **overrides)
    services.implementation_start(actor=author, proposal=proposal)
    services.progress_post(actor=author, proposal=proposal, percent=100, milestones="Xong")
    services.proposal_complete(actor=author, proposal=proposal)
    services.results_report_file(actor=author, proposal=proposal, summary="Đạt", results_against_plan="Đạt")
    proposal.refresh_from_db()
    return proposal


FINDINGS_GOOD_FAITH = dict(objective_causes="Thay đổi quy định", subjective_causes="Không có",
                           followed_plan=True, pure_motives=True, common_good=True)


def evaluated(author, *, outcome="completed", damage_caused=False, plan=None, **findings):
    proposal = reported(author, **(plan or {}))
    head = head_of(proposal)
    today = datetime.date.today()
    services.party_opinion_record(actor=head, proposal=proposal, document_number=f"CV-E-{proposal.pk}",
                                  document_date=today, summary="Nhất trí đánh giá", stage="evaluation")
    values = {**FINDINGS_GOOD_FAITH, **findings}
    services.evaluation_record(
        actor=head, proposal=proposal, meeting_date=today, members_present=5, votes_for=5, votes_against=0,
        votes_abstain=0, head_vote="for", outcome=outcome, damage_caused=damage_caused,
        damage_description="Chi phí phát sinh" if damage_caused else "",
        damage_amount=50_000_000 if damage_caused else None, **values)
    proposal.refresh_from_db()
    return proposal
