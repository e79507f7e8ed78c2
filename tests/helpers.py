"""Helpers shared by the tests: signed-in clients, form data, uploads, the outbox, and builders that take a
proposal to each state through the real services (draft → submitted → approved → reported → evaluated →
concluded), never by writing rows in an intermediate state.

Test modules import helpers from here (and factories from tests/factories.py), never from another test module
or from a conftest; fixtures stay in the conftest.py files. The browser tests' own helpers are in
tests/browser/helpers.py.
"""

from __future__ import annotations

import contextlib
import datetime
import itertools
import time
import uuid

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from accounts.models import ADMINISTRATORS_GROUP
from accounts.selectors import authority_head_current
from notifications import services as delivery
from proposals import services
from proposals.models import Evaluation, OutboxMessage, Topic

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
FINDINGS_GOOD_FAITH = dict(objective_causes="Thay đổi quy định", subjective_causes="Không có",
                           followed_plan=True, pure_motives=True, common_good=True)

_numbers = itertools.count(1)  # document numbers are unique per authority: each builder takes the next


# — people and requests ————————————————————————————————————————————————————————————————————————————


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def make_admin(user):
    """Put `user` in the portal's administrators group (not a superuser)."""
    user.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))
    return user


def uploaded(name="tai-lieu.pdf", content=PDF) -> SimpleUploadedFile:
    """A file as a browser would send it."""
    return SimpleUploadedFile(name, content)


def form_post(**overrides) -> dict:
    """The proposal form's POST data, complete, going on to the page that checks it before sending; a None in
    `overrides` leaves the field out."""
    data = {
        "title": "Một cửa liên thông điện tử", "topic": str(Topic.objects.order_by("order").first().pk),
        "summary": "Tóm tắt", "necessity": "Cần thiết", "bottleneck": "Điểm nghẽn", "objectives": "Mục tiêu",
        "content_solutions": "Giải pháp", "scope": "Phạm vi", "implementers": "Phòng A",
        "start_date": "04/01/2027", "end_date": "30/06/2027", "timeline_description": "Mốc",
        "resources": "Nhân lực", "budget_amount": "1000000", "budget_source": "Ngân sách",
        "feasibility": "Khả thi", "positive_impact": "Tốt", "negative_impact": "Ít", "expected_results": "Kết quả",
        "risks": "Rủi ro", "worst_case": "Xấu nhất", "risk_handling": "Xử lý",
        "cond_removes_bottleneck": "on", "cond_common_good": "on", "cond_urgent_no_harm": "on",
        "cond_within_authority": "on", "commitment": "on", "action": "submit",
        "creation_token": "6f1c1c1e-5a55-4f55-9d55-5a5a5a5a5a5a",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# — the outbox ————————————————————————————————————————————————————————————————————————————————————


def wait_until(condition, timeout: float = 20.0) -> bool:
    """Whether `condition()` came true within `timeout` seconds: for work another process or thread does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def pending_ids(**filters) -> list[int]:
    """Outbox messages not yet delivered, oldest first."""
    return list(OutboxMessage.objects.filter(delivered_at__isnull=True, **filters).order_by("pk")
                .values_list("pk", flat=True))


def deliver_all() -> int:
    """Deliver every waiting outbox message in this process, as the worker would; returns how many were."""
    return sum(delivery.outbox_message_deliver(message_id=pk) is not None for pk in pending_ids())


# — the clock —————————————————————————————————————————————————————————————————————————————————————


@contextlib.contextmanager
def days_ago(monkeypatch, days: int):
    """Run services as if it were `days` days ago (every clock reads django.utils.timezone.now)."""
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() - datetime.timedelta(days=days))
    try:
        yield
    finally:
        monkeypatch.setattr(timezone, "now", real_now)


# — a proposal in each state, from nothing ————————————————————————————————————————————————————————


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


def draft(author, **plan):
    return services.proposal_create_draft(actor=author, data=complete_plan(**plan), creation_token=uuid.uuid4())


def submitted(author, **plan):
    return services.proposal_submit(actor=author, proposal=draft(author, **plan))


def head_of(proposal):
    """The head of the authority that decides `proposal` today."""
    return authority_head_current(authority=proposal.deciding_authority)


def approved(author, **plan):
    """Submitted, then approved by its authority's head after a vote that passed."""
    proposal = submitted(author, **plan)
    return approve(head_of(proposal), proposal)


def reported(author, *, implementer=None, **plan):
    """Approved, carried out (with `implementer` beside the author, if given) and its results reported."""
    proposal = approved(author, **plan)
    if implementer is not None:
        services.implementer_add(actor=author, proposal=proposal, user=implementer)
    services.implementation_start(actor=author, proposal=proposal)
    services.progress_post(actor=author, proposal=proposal, percent=100, milestones="Xong")
    services.proposal_complete(actor=author, proposal=proposal)
    return report(author, proposal)


def evaluated(author, *, outcome="completed", damage_caused=False, plan=None, implementer=None, **findings):
    """Reported, then evaluated by its authority in good faith unless `findings` say otherwise."""
    proposal = reported(author, implementer=implementer, **(plan or {}))
    return evaluate(head_of(proposal), proposal, outcome=outcome, damage_caused=damage_caused, **findings)


# — one step further for a proposal at hand (dated by the fake clock inside `days_ago`) ———————————————————


def _vote(member, proposal, *, passed: bool) -> None:
    today = timezone.localdate()
    services.party_opinion_record(actor=member, proposal=proposal, document_number=f"{next(_numbers)}-CV/ĐU",
                                  document_date=today, summary="Đảng ủy nhất trí.")
    services.meeting_record(actor=member, proposal=proposal, meeting_date=today, members_present=5,
                            votes_for=4 if passed else 1, votes_against=1 if passed else 4, votes_abstain=0,
                            head_vote="for")


def vote_passed(member, proposal):
    """The Party opinion and a vote that passes, recorded by `member`: the proposal waits for its head to sign."""
    _vote(member, proposal, passed=True)
    return proposal


def approve(head, proposal, *, member=None):
    """The Party opinion and a vote that passes, recorded by `member` (the head by default); the head approves."""
    _vote(member or head, proposal, passed=True)
    return services.proposal_approve(actor=head, proposal=proposal, decision_date=timezone.localdate())


def override(head, proposal, *, member=None):
    """A vote that fails, then the head approves on his own responsibility."""
    _vote(member or head, proposal, passed=False)
    return services.proposal_approve_by_head(actor=head, proposal=proposal, decision_date=timezone.localdate(),
                                             justification="Cấp bách, người đứng đầu chịu trách nhiệm.")


def reject(head, proposal):
    return services.proposal_reject(actor=head, proposal=proposal, decision_date=timezone.localdate(),
                                    reasons="Chưa đủ cơ sở pháp lý")


def completed(author, head, **plan):
    """Approved, implemented and declared complete today (by the fake clock when inside `days_ago`)."""
    proposal = approve(head, submitted(author, **plan))
    services.implementation_start(actor=author, proposal=proposal)
    return services.proposal_complete(actor=author, proposal=proposal)


def report(author, proposal):
    services.results_report_file(actor=author, proposal=proposal, summary="Đạt", results_against_plan="Đạt")
    proposal.refresh_from_db()
    return proposal


def evaluate(head, proposal, *, outcome="completed", damage_caused=False, **findings):
    """The Party opinion on the results and the evaluation meeting, held today."""
    today = timezone.localdate()
    services.party_opinion_record(actor=head, proposal=proposal, document_number=f"{next(_numbers)}-CV/ĐU",
                                  document_date=today, summary="Nhất trí đánh giá.", stage="evaluation")
    services.evaluation_record(
        actor=head, proposal=proposal, meeting_date=today, members_present=5, votes_for=5, votes_against=0,
        votes_abstain=0, head_vote="for", outcome=outcome, damage_caused=damage_caused,
        damage_description="Chi phí phát sinh ngoài dự toán" if damage_caused else "",
        damage_amount=40_000_000 if damage_caused else None, **{**FINDINGS_GOOD_FAITH, **findings})
    proposal.refresh_from_db()
    return proposal


def conclude(head, proposal, *, on=None, tier=None, reasons=""):
    """The written conclusion and, on the Decree 73 track, the protection decision, dated `on` (today by
    default), at the tier the evaluation proposed unless `tier` says otherwise."""
    day = on or timezone.localdate()
    protection = {}
    if proposal.on_decree73_track:
        protection = {"protection_date": day, "tier": tier or Evaluation.objects.get(proposal=proposal).proposed_tier,
                      "tier_reasons": reasons}
    services.proposal_conclude(
        actor=head, proposal=proposal, conclusion_date=day,
        conclusion_text="Kết luận đánh giá kết quả thực hiện đề xuất.", **protection)
    proposal.refresh_from_db()
    return proposal
