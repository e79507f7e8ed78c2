"""The action registry (proposals/actions.py): what the proposal page offers is exactly what the services
accept, in every state and for every role.

For each state a proposal is built through the real services; then, for each role, the page is rendered
and the actions it offers are read from its forms and links, and every action's service is called with
valid input (each call inside a savepoint that is rolled back). An action is offered if and only if its
service does not refuse it for the person's role, the proposal's state or one of its conditions.
"""

import re

import pytest
from django.db import transaction
from django.utils import timezone
from django.http import Http404

from proposals import actions, services
from proposals.errors import ActionUnavailable, PermissionDenied
from proposals.models import Proposal, Reward
from proposals.workflow import Status
from tests.factories import UserFactory
from tests.helpers import client_for, complete_plan, uploaded

TODAY = timezone.localdate()


class Rollback(Exception):
    """Raised to undo a service call that went through."""


# — proposals in every state, built through the services ——————————————————————————————————————————————


def _draft(org):
    proposal = services.proposal_create_draft(actor=org.proposer_dept, data=complete_plan())
    services.attachment_add(actor=org.proposer_dept, proposal=proposal, upload=uploaded("ke-hoach.pdf"))
    return proposal


def _submitted(org):
    return services.proposal_submit(actor=org.proposer_dept, proposal=_draft(org))


def _voted(org, *, passed):
    proposal = _submitted(org)
    services.party_opinion_record(actor=org.head_dept, proposal=proposal, document_number="CV-1",
                                  document_date=TODAY, summary="Nhất trí")
    services.meeting_record(actor=org.deputy_dept, proposal=proposal, meeting_date=TODAY, members_present=5,
                            votes_for=4 if passed else 1, votes_against=1 if passed else 4, votes_abstain=0,
                            head_vote="for")
    return proposal


def _approved(org):
    proposal = _voted(org, passed=True)
    services.proposal_approve(actor=org.head_dept, proposal=proposal, decision_date=TODAY)
    # An implementer who is not the author, so that the role exists after approval.
    services.implementer_add(actor=org.proposer_dept, proposal=proposal, user=org.proposer_staff)
    return proposal


def _implementing(org):
    proposal = _approved(org)
    services.implementation_start(actor=org.proposer_dept, proposal=proposal)
    return proposal


def _order(org, service):
    proposal = _implementing(org)
    service(actor=org.head_dept, proposal=proposal, reasons="Theo chỉ đạo")
    return proposal


def _completed(org):
    proposal = _implementing(org)
    services.proposal_complete(actor=org.proposer_dept, proposal=proposal)
    return proposal


def _reported(org):
    proposal = _completed(org)
    services.results_report_file(actor=org.proposer_dept, proposal=proposal, summary="Đạt",
                                 results_against_plan="Đạt mục tiêu")
    services.party_opinion_record(actor=org.head_dept, proposal=proposal, document_number="CV-2",
                                  document_date=TODAY, summary="Nhất trí", stage="evaluation")
    return proposal


def _evaluated(org):
    proposal = _reported(org)
    services.evaluation_record(
        actor=org.head_dept, proposal=proposal, meeting_date=TODAY, members_present=5, votes_for=5,
        votes_against=0, votes_abstain=0, head_vote="for", outcome="completed", damage_caused=False,
        objective_causes="Không", subjective_causes="Không", followed_plan=True, pure_motives=True,
        common_good=True)
    return proposal


def _concluded(org, *, reward_pending=False):
    proposal = _evaluated(org)
    services.proposal_conclude(
        actor=org.head_dept, proposal=proposal, conclusion_date=TODAY,
        conclusion_text="Hoàn thành", protection_date=TODAY, tier="not_liable")
    if reward_pending:
        services.reward_recommend(actor=org.head_dept, proposal=proposal, beneficiary=org.proposer_dept,
                                  kind=Reward.Kind.COMMENDATION, description="Khen thưởng")
    return proposal


def _closed(org):
    proposal = _concluded(org)
    services.proposal_close(actor=org.head_dept, proposal=proposal)
    return proposal


def _returned(org):
    proposal = _submitted(org)
    services.proposal_return_for_revision(actor=org.deputy_dept, proposal=proposal, message="Bổ sung kinh phí")
    return proposal


def _rejected(org):
    proposal = _submitted(org)
    services.proposal_reject(actor=org.head_dept, proposal=proposal, decision_date=TODAY,
                             reasons="Chưa khả thi")
    return proposal


def _withdrawn(org):
    proposal = _submitted(org)
    services.proposal_withdraw(actor=org.proposer_dept, proposal=proposal, reason="Không còn cần")
    return proposal


SCENARIOS = {
    "draft": (_draft, Status.DRAFT),
    "submitted": (_submitted, Status.SUBMITTED),
    "submitted, vote passed": (lambda org: _voted(org, passed=True), Status.SUBMITTED),
    "submitted, vote failed": (lambda org: _voted(org, passed=False), Status.SUBMITTED),
    "returned": (_returned, Status.RETURNED),
    "rejected": (_rejected, Status.REJECTED),
    "withdrawn": (_withdrawn, Status.WITHDRAWN),
    "approved": (_approved, Status.APPROVED),
    "implementing": (_implementing, Status.IMPLEMENTING),
    "suspended": (lambda org: _order(org, services.proposal_suspend), Status.SUSPENDED),
    "terminated": (lambda org: _order(org, services.proposal_terminate), Status.TERMINATED),
    "completed": (_completed, Status.COMPLETED),
    "reported": (_reported, Status.REPORTED),
    "evaluated": (_evaluated, Status.EVALUATED),
    "concluded": (_concluded, Status.CONCLUDED),
    "concluded, reward pending": (lambda org: _concluded(org, reward_pending=True), Status.CONCLUDED),
    "closed": (_closed, Status.CLOSED),
}

ROLES = ("proposer_dept", "proposer_staff", "deputy_dept", "head_dept", "head_city", "homeaffairs", "outsider",
         "admin")


# — valid input for every action ————————————————————————————————————————————————————————————————————————


def _valid_input(name: str, org, proposal: Proposal) -> dict:
    meeting = dict(meeting_date=TODAY, members_present=5, votes_for=4, votes_against=1, votes_abstain=0,
                   head_vote="for", author_present=False, minutes=None)
    opinion = dict(document_number="CV-9", document_date=TODAY, summary="Ý kiến", document=None)
    decision = dict(decision_date=TODAY)
    pending = proposal.rewards.filter(result=Reward.Result.PENDING).first()
    return {
        "return": {"message": "Bổ sung"},
        "party_opinion": opinion,
        "evaluation_opinion": opinion,
        "meeting": meeting,
        "approve": {**decision, "reasons": ""},
        "approve_by_head": {**decision, "justification": "Cần thiết"},
        "reject": {**decision, "reasons": "Chưa khả thi"},
        "implementer": {"who": org.homeaffairs},
        "start": {},
        "progress": {"percent": 50},
        "suspend": {"reasons": "Tạm dừng"},
        "resume": {"reasons": "Tiếp tục"},
        "terminate": {"reasons": "Chấm dứt"},
        "complete": {},
        "close": {},
        "results_report": {"summary": "Đạt", "results_against_plan": "Đạt"},
        "evaluation": {**meeting, "outcome": "completed", "damage_caused": False, "objective_causes": "Không",
                       "subjective_causes": "Không", "followed_plan": True, "pure_motives": True,
                       "common_good": True},
        "conclude": {"conclusion_date": TODAY, "conclusion_text": "Kết luận",
                     "protection_date": TODAY, "tier": "not_liable",
                     "tier_reasons": "Theo đánh giá"},
        "reward": {"beneficiary": proposal.author, "kind": Reward.Kind.OTHER, "description": "Khen"},
        "reward_settle": {"reward": pending.pk if pending else 0, "result": "granted", "note": ""},
        "internal_note": {"text": "Ghi chú"},
        "comment": {"text": "Trao đổi"},
    }[name]


def _call(name: str, user, proposal: Proposal, org) -> None:
    """Run the action's service as `user` would through the page (or its own view)."""
    if name == "edit":
        services.proposal_update_content(actor=user, proposal=proposal, data={"title": "Tên mới"})
    elif name == "attachment_remove":
        services.attachment_remove(actor=user, proposal=proposal, attachment=proposal.attachments.get())
    elif name == "submit":
        services.proposal_submit(actor=user, proposal=proposal)
    elif name == "withdraw":
        services.proposal_withdraw(actor=user, proposal=proposal, reason="Rút")
    elif name == "delete":
        services.proposal_delete_draft(actor=user, proposal=proposal)
    elif name == "retaliation_new":
        services.retaliation_report_file(actor=user, proposal=proposal, incident_date=TODAY, accused="Phòng A",
                                         description="Bị cản trở")
    elif name == "transfer":
        services.proposal_transfer(actor=user, proposal=proposal, authority=org.ward, reason="Đúng thẩm quyền")
    else:
        actions.ACTIONS[name].perform(user, proposal, _valid_input(name, org, proposal))


def accepted_by_services(user, pk: int, org) -> set[str]:
    accepted = set()
    for name in actions.ACTIONS:
        try:
            with transaction.atomic():
                _call(name, user, Proposal.objects.get(pk=pk), org)
                raise Rollback
        except Rollback:
            accepted.add(name)
        except (ActionUnavailable, PermissionDenied, Http404):
            continue  # refused for the role, the state or a condition: not accepted
    return accepted


ACTION_URL = re.compile(r'(?:action|href|hx-get)="/proposals/(\d+)/([a-z/-]+?|attachments/\d+/remove|edit/\d+)/"')


def offered_by_page(user, proposal: Proposal) -> set[str]:
    response = client_for(user).get(proposal.get_absolute_url())
    if response.status_code == 404:
        return set()
    assert response.status_code == 200
    by_segment = {action.segment: name for name, action in actions.ACTIONS.items() if action.segment}
    offered = set()
    for pk, segment in ACTION_URL.findall(response.content.decode()):
        if int(pk) != proposal.pk:
            continue
        if segment.startswith("attachments/"):
            offered.add("attachment_remove")
        elif segment.startswith("edit/"):  # a section of the guided form
            offered.add("edit")
        elif segment == "check":  # sending goes through the page that checks the plan first
            offered.add("submit")
        elif segment.removesuffix("/form") in by_segment:  # a folded action's form, loaded when opened
            offered.add(by_segment[segment.removesuffix("/form")])
    return offered


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_page_offers_exactly_what_the_services_accept(org, scenario):
    build, state = SCENARIOS[scenario]
    org.admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    proposal = build(org)
    proposal.refresh_from_db()
    assert proposal.status == state

    for role in ROLES:
        user = getattr(org, role)
        offered = offered_by_page(user, proposal)
        accepted = accepted_by_services(user, proposal.pk, org)
        assert offered == accepted, f"{scenario}, {role}: page offers {sorted(offered)}, services accept {sorted(accepted)}"


def test_every_action_is_reachable_in_some_state_by_someone():
    """A registry entry whose states no scenario reaches would make the test above prove nothing about it."""
    reached = {state for _build, state in SCENARIOS.values()}
    for name, action in actions.ACTIONS.items():
        assert action.states & reached, name


def test_transition_actions_take_their_states_from_the_transition_table():
    from proposals.workflow import TRANSITIONS

    for name, action in actions.ACTIONS.items():
        if action.target is not None:
            assert action.states, name
            assert all(action.target in TRANSITIONS[state] for state in action.states), name
    with pytest.raises(ValueError):
        actions.transition(Status.APPROVED, only_from=(Status.DRAFT,))
