"""Every action a person can take on a proposal, declared once (STYLE.md "Each fact once").

An action says in which states it may be taken (for a transition: the states the transition table
`workflow.TRANSITIONS` lets into its target), who may take it, what else must hold, the form that collects
its input, its URL segment and the service that carries it out. The proposal page offers exactly the
actions whose `allows` is true, the URLs are built from this table, and every service starts with
`actions.require(<its action>, ...)` on the row it has locked — so what the page offers and what the
services accept cannot drift apart (tests/proposals/test_actions.py proves it for every state and role).

This module and `proposals.services` import each other: the services read the table to guard themselves,
and the table names the service each action calls. Neither touches the other at import time (the
`perform` functions look the service up when they run), so either may be imported first.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping
from functools import cached_property
from typing import Any

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from proposals import forms, permissions, services, workflow
from proposals.clocks import CLOCKS
from proposals.errors import (
    ActionUnavailable,
    AlreadyDecided,
    DomainError,
    EvaluatesOwnWork,
    InvalidState,
    InvalidTransition,
    NotAuthorityMember,
    NotHead,
    NotImplementer,
    PermissionDenied,
)
from proposals.models import Evaluation, Meeting, Note, Outcome, PartyOpinion, Proposal, Reward, Stage

Status = workflow.Status


# — who may take an action ————————————————————————————————————————————————————————————————————————


@dataclasses.dataclass(frozen=True)
class Who:
    """A test the page asks, and the refusal a service raises when it fails."""

    allows: Callable[[User, Proposal], bool]
    refusal: Callable[[], DomainError]
    #: For a test made of several, the refusal that names the one that failed.
    check: Callable[[User, Proposal], None] | None = None

    def require(self, user: User, proposal: Proposal) -> None:
        if self.check is not None:
            self.check(user, proposal)
        elif not self.allows(user, proposal):
            raise self.refusal()


def _is_author(user: User, proposal: Proposal) -> bool:
    # A deleted draft is nobody's any more, its author's included (services.proposal_delete_draft).
    return proposal.author_id == user.pk and proposal.deleted_at is None


AUTHOR = Who(_is_author, PermissionDenied)
AUTHORITY = Who(permissions.serves_deciding_authority, NotAuthorityMember)
HEAD = Who(permissions.heads_deciding_authority, NotHead)
IMPLEMENTER = Who(permissions.is_implementer, NotImplementer)
IMPLEMENTER_OR_AUTHORITY = Who(
    lambda u, p: permissions.is_implementer(u, p) or permissions.serves_deciding_authority(u, p), PermissionDenied)
AUTHOR_OR_AUTHORITY = Who(
    lambda u, p: _is_author(u, p) or permissions.serves_deciding_authority(u, p), PermissionDenied)


def _require_evaluator(user: User, proposal: Proposal) -> None:
    AUTHORITY.require(user, proposal)
    # Nobody evaluates their own work; members of the deciding authority are never implementers, but say so.
    if permissions.is_implementer(user, proposal):
        raise EvaluatesOwnWork()


EVALUATOR = Who(
    lambda u, p: permissions.serves_deciding_authority(u, p) and not permissions.is_implementer(u, p),
    EvaluatesOwnWork, check=_require_evaluator)
TRANSFERRER = Who(permissions.can_transfer, NotAuthorityMember)


# — what else must hold ——————————————————————————————————————————————————————————————————————————————


class Facts:
    """What the conditions of actions look at, each read at most once: from the data the proposal page has
    already loaded (`selectors.proposal_page_data`), or from the database when a service asks."""

    def __init__(self, proposal: Proposal, page: Mapping[str, Any] | None = None):
        self.proposal = proposal
        self.page = page or {}

    @cached_property
    def latest_decision_meeting(self) -> Meeting | None:
        if "latest_meeting" in self.page:
            return self.page["latest_meeting"]
        return self.proposal.meetings.filter(stage=Stage.DECISION).order_by("-recorded_at", "-pk").first()

    @cached_property
    def party_opinion_stages(self) -> set[str]:
        if "party_opinions" in self.page:
            return {opinion.stage for opinion in self.page["party_opinions"]}
        return set(PartyOpinion.objects.filter(proposal=self.proposal).values_list("stage", flat=True))

    @cached_property
    def evaluation_outcome(self) -> str | None:
        if "evaluation" in self.page:
            evaluation = self.page["evaluation"]
            return evaluation.outcome if evaluation else None
        return Evaluation.objects.filter(proposal=self.proposal).values_list("outcome", flat=True).first()

    @cached_property
    def has_pending_rewards(self) -> bool:
        if "rewards" in self.page:
            return any(reward.result == Reward.Result.PENDING for reward in self.page["rewards"])
        return Reward.objects.filter(proposal=self.proposal, result=Reward.Result.PENDING).exists()


@dataclasses.dataclass(frozen=True)
class Condition:
    """Something besides state and role that must hold. `hides` says whether the page leaves the action out
    while it fails; a condition that does not hide is explained by the service's refusal when the form is sent
    (the Party committee's opinion, for instance, is recorded by the same people on the same page)."""

    holds: Callable[[Facts], bool]
    code: str
    message: Promise
    hides: bool = True

    def check(self, facts: Facts) -> None:
        if not self.holds(facts):
            raise ActionUnavailable(str(self.message), code=self.code)


def _party_opinion(stage: str) -> Callable[[Facts], bool]:
    return lambda facts: (not settings.PARTY_OPINION_REQUIRED_BEFORE_APPROVAL
                          or stage in facts.party_opinion_stages)


PARTY_OPINION_BEFORE_DECISION = Condition(
    _party_opinion(Stage.DECISION), "party_opinion_missing",
    _("Cần ghi nhận ý kiến của cấp ủy cùng cấp trước khi phê duyệt."), hides=False)
PARTY_OPINION_BEFORE_EVALUATION = Condition(
    _party_opinion(Stage.EVALUATION), "party_opinion_missing",
    _("Cần ghi nhận ý kiến của cấp ủy cùng cấp trước khi đánh giá."), hides=False)
VOTE_PASSED = Condition(
    lambda facts: facts.latest_decision_meeting is not None and facts.latest_decision_meeting.passed,
    "vote_not_passed", _("Chỉ phê duyệt theo biểu quyết khi cuộc họp tập thể lãnh đạo gần nhất đã thông qua."))
VOTE_FAILED = Condition(
    lambda facts: facts.latest_decision_meeting is not None and not facts.latest_decision_meeting.passed,
    "vote_not_failed",
    _("Người đứng đầu chỉ tự quyết định phê duyệt khi tập thể lãnh đạo biểu quyết không thông qua."))
EVALUATED_COMPLETED = Condition(
    lambda facts: facts.evaluation_outcome == Outcome.COMPLETED, "not_completed",
    _("Chỉ đề nghị khen thưởng cho đề xuất được đánh giá hoàn thành."))
REWARDS_PENDING = Condition(
    lambda facts: facts.has_pending_rewards, "reward_settled", _("Đề nghị này đã có kết quả."))
WAS_SUBMITTED = Condition(
    lambda facts: facts.proposal.submitted_at is not None, "not_submitted",
    _("Chỉ phản ánh được về đề xuất đã gửi."))
NEVER_SUBMITTED = Condition(
    lambda facts: facts.proposal.submitted_at is None, "was_submitted",
    _("Đề xuất đã gửi không xóa được; có thể rút đề xuất."))
NO_REWARD_PENDING = Condition(
    lambda facts: not facts.has_pending_rewards, "rewards_pending", _("Còn đề nghị khen thưởng chưa có kết quả."))


# — the actions ——————————————————————————————————————————————————————————————————————————————————————


@dataclasses.dataclass(frozen=True)
class Action:
    name: str
    #: The URL `proposals/<pk>/<segment>/`, named `proposals:<name>`.
    segment: str
    who: Who
    states: frozenset[str]
    #: The state the action moves the proposal to, when it is a transition of the table.
    target: str | None = None
    conditions: tuple[Condition, ...] = ()
    #: What the page does with it: "panel" (a form in the actions panel), "thread" (the notes card),
    #: "rewards" (beside each pending reward), "page" (a button or a page of its own), "" (not on the page).
    place: str = "panel"
    form_class: type | None = None
    form_kwargs: Callable[[Proposal], dict] | None = None
    #: (actor, proposal, cleaned_data) -> the changed object; calls exactly one service.
    perform: Callable | None = None
    title: Promise | str = ""
    button: Promise | str = ""
    success: Promise | str = _("Đã ghi nhận.")
    style: str = "primary"
    #: Whether it issues a signed document: its form leads to the document shown whole before it is signed
    #: (`selectors.documents_to_issue`), and `button` is said there.
    issues_document: bool = False
    #: Said above the form; it may name a clock's length, e.g. %(report_days)s (proposals.clocks).
    note: Promise | str = ""
    #: Said instead of the generic "not in this state" refusal.
    refusal_in_state: Promise | str = ""

    def allows(self, user: User, proposal: Proposal, facts: Facts | None = None) -> bool:
        """Whether the page offers it now. State first: it costs no query."""
        if proposal.status not in self.states or not self.who.allows(user, proposal):
            return False
        facts = facts or Facts(proposal)
        return all(condition.holds(facts) for condition in self.conditions if condition.hides)

    def unmet(self, facts: Facts) -> list[str]:
        """What must happen before the service accepts it, among the conditions the page does not hide: said
        above its form, so nobody fills the form to learn it."""
        return [str(condition.message) for condition in self.conditions
                if not condition.hides and not condition.holds(facts)]

    def require(self, user: User, proposal: Proposal, facts: Facts | None = None) -> None:
        """The services' guard, on the locked row: role, then state, then conditions, each with its code."""
        self.who.require(user, proposal)
        if proposal.status not in self.states:
            raise self._state_refusal(proposal)
        facts = facts or Facts(proposal)
        for condition in self.conditions:
            condition.check(facts)

    def _state_refusal(self, proposal: Proposal) -> DomainError:
        if self.states == {Status.SUBMITTED} and proposal.status in (Status.APPROVED, Status.REJECTED):
            return AlreadyDecided(status=proposal.get_status_display())
        if self.refusal_in_state:
            return InvalidState(str(self.refusal_in_state))
        if self.target is not None:
            return InvalidTransition(current=proposal.status, target=self.target)
        return InvalidState(status=proposal.get_status_display())

    @property
    def note_text(self) -> str:
        if not self.note:
            return ""
        return str(self.note) % {f"{clock.name}_days": clock.working_days for clock in CLOCKS}

    def form(self, proposal: Proposal, data=None, files=None):
        kwargs = {"prefix": self.name, **(self.form_kwargs(proposal) if self.form_kwargs else {})}
        if data is None:
            return self.form_class(**kwargs)
        kwargs.pop("initial", None)
        return self.form_class(data, files, **kwargs)


def transition(target: str, *, only_from: tuple[str, ...] = ()) -> dict:
    """The states of a transition action, read from the transition table (and narrowed, when two actions
    lead to the same state: starting leaves APPROVED, resuming leaves SUSPENDED)."""
    sources = frozenset(state for state, targets in workflow.TRANSITIONS.items() if target in targets)
    if only_from:
        if not set(only_from) <= sources:
            raise ValueError(f"the transition table has no move from {only_from} to {target}")
        sources = frozenset(only_from)
    return {"states": sources, "target": target}


ANY_STATE = frozenset(Status.values)
SENT = ANY_STATE - {Status.DRAFT}
IMPLEMENTATION = frozenset({Status.APPROVED, Status.IMPLEMENTING, Status.SUSPENDED})


def _conclude_form_kwargs(proposal: Proposal) -> dict:
    evaluation = getattr(proposal, "evaluation", None)
    return {"initial": {"tier": evaluation.proposed_tier} if evaluation else {},
            "protected": proposal.on_decree73_track}


def _reward_settle(actor: User, proposal: Proposal, data: dict) -> Reward:
    # The reward's id comes from the page; one of another proposal is nobody's business here.
    reward = get_object_or_404(Reward, pk=data["reward"], proposal=proposal)
    return services.reward_settle(actor=actor, reward=reward, result=data["result"], note=data["note"])


_ACTIONS = (
    # — the author's own ————————————————————————————————————————————————————————————————————————————
    Action("edit", "edit", AUTHOR, states=workflow.EDITABLE, place="page", refusal_in_state=_(
        "Chỉ sửa được đề xuất ở trạng thái nháp hoặc đang được trả lại để bổ sung.")),
    Action("attachment_remove", "", AUTHOR, states=frozenset({Status.DRAFT}), place="",
           refusal_in_state=_("Chỉ gỡ được tệp của đề xuất đang ở trạng thái nháp.")),
    Action("submit", "submit", AUTHOR, **transition(Status.SUBMITTED), place="page"),
    Action("withdraw", "withdraw", AUTHOR, **transition(Status.WITHDRAWN), place="page"),
    Action("delete", "delete", AUTHOR, states=frozenset({Status.DRAFT}), conditions=(NEVER_SUBMITTED,), place="page",
           refusal_in_state=_("Chỉ xóa được bản nháp chưa từng gửi.")),
    # — deciding ——————————————————————————————————————————————————————————————————————————————————
    Action("transfer", "transfer", TRANSFERRER, states=workflow.TRANSFERABLE, place="page",
           refusal_in_state=_("Chỉ chuyển được đề xuất chưa có quyết định.")),
    Action("return", "return", AUTHORITY, **transition(Status.RETURNED),
           form_class=forms.ReturnForm, title=_("Yêu cầu bổ sung thông tin"), button=_("Trả lại để bổ sung"),
           perform=lambda u, p, d: services.proposal_return_for_revision(actor=u, proposal=p, message=d["message"]),
           success=_("Đã trả lại đề xuất để người đề xuất bổ sung; thời hạn xem xét tạm dừng.")),
    Action("party_opinion", "party-opinion", AUTHORITY, states=frozenset({Status.SUBMITTED}),
           form_class=forms.PartyOpinionForm, title=_("Ghi nhận ý kiến cấp ủy"), button=_("Lưu ý kiến cấp ủy"),
           perform=lambda u, p, d: services.party_opinion_record(actor=u, proposal=p, stage=Stage.DECISION, **d),
           success=_("Đã ghi nhận ý kiến của cấp ủy.")),
    Action("meeting", "meeting", AUTHORITY, states=frozenset({Status.SUBMITTED}),
           form_class=forms.MeetingForm, title=_("Ghi nhận họp tập thể lãnh đạo và biểu quyết"),
           button=_("Lưu kết quả họp"),
           perform=lambda u, p, d: services.meeting_record(actor=u, proposal=p, **d),
           success=_("Đã ghi nhận kết quả họp tập thể lãnh đạo.")),
    Action("approve", "approve", HEAD, **transition(Status.APPROVED),
           conditions=(PARTY_OPINION_BEFORE_DECISION, VOTE_PASSED),
           form_class=forms.DecisionForm, title=_("Phê duyệt (biểu quyết đã thông qua)"),
           button=_("Ký quyết định phê duyệt"), issues_document=True,
           perform=lambda u, p, d: services.proposal_approve(actor=u, proposal=p, **d),
           success=_("Đã phê duyệt đề xuất %(ref)s."), style="success"),
    Action("approve_by_head", "approve-by-head", HEAD, **transition(Status.APPROVED),
           conditions=(PARTY_OPINION_BEFORE_DECISION, VOTE_FAILED),
           form_class=forms.OverrideForm, title=_("Người đứng đầu quyết định phê duyệt"),
           button=_("Ký quyết định phê duyệt của người đứng đầu"), issues_document=True,
           perform=lambda u, p, d: services.proposal_approve_by_head(actor=u, proposal=p, **d),
           success=_("Người đứng đầu đã quyết định phê duyệt đề xuất %(ref)s."), style="success",
           note=_("Tập thể lãnh đạo không thông qua. Người đứng đầu có thể quyết định phê duyệt bằng văn bản và "
                  "chịu trách nhiệm về quyết định này.")),
    Action("reject", "reject", HEAD, **transition(Status.REJECTED),
           form_class=forms.RejectForm, title=_("Không phê duyệt"), button=_("Ký quyết định không phê duyệt"), issues_document=True,
           perform=lambda u, p, d: services.proposal_reject(actor=u, proposal=p, **d),
           success=_("Đã quyết định không phê duyệt đề xuất %(ref)s."), style="danger"),
    # — implementation ————————————————————————————————————————————————————————————————————————————————
    Action("implementer", "implementers", AUTHOR_OR_AUTHORITY, states=IMPLEMENTATION,
           form_class=forms.ImplementerForm, title=_("Thêm người thực hiện"), button=_("Thêm"),
           perform=lambda u, p, d: services.implementer_add(actor=u, proposal=p, user=d["who"]),
           success=_("Đã thêm người thực hiện.")),
    Action("start", "start", IMPLEMENTER_OR_AUTHORITY, **transition(Status.IMPLEMENTING, only_from=(Status.APPROVED,)),
           form_class=forms.EmptyForm, title=_("Bắt đầu triển khai"), button=_("Bắt đầu triển khai"),
           perform=lambda u, p, d: services.implementation_start(actor=u, proposal=p),
           success=_("Đề xuất đã chuyển sang triển khai.")),
    Action("progress", "progress", IMPLEMENTER, states=frozenset({Status.IMPLEMENTING, Status.SUSPENDED}),
           form_class=forms.ProgressForm, title=_("Cập nhật tiến độ"), button=_("Lưu tiến độ"),
           perform=lambda u, p, d: services.progress_post(actor=u, proposal=p, **d),
           success=_("Đã cập nhật tiến độ.")),
    Action("suspend", "suspend", AUTHORITY, **transition(Status.SUSPENDED),
           form_class=forms.OrderForm, title=_("Lệnh tạm dừng"), button=_("Ra lệnh tạm dừng"),
           perform=lambda u, p, d: services.proposal_suspend(actor=u, proposal=p, reasons=d["reasons"]),
           success=_("Đã ra lệnh tạm dừng."), style="warning"),
    Action("resume", "resume", AUTHORITY, **transition(Status.IMPLEMENTING, only_from=(Status.SUSPENDED,)),
           form_class=forms.OrderForm, title=_("Lệnh tiếp tục thực hiện"), button=_("Ra lệnh tiếp tục"),
           perform=lambda u, p, d: services.proposal_resume(actor=u, proposal=p, reasons=d["reasons"]),
           success=_("Đã ra lệnh tiếp tục thực hiện.")),
    Action("terminate", "terminate", AUTHORITY, **transition(Status.TERMINATED),
           form_class=forms.OrderForm, title=_("Lệnh chấm dứt"), button=_("Ra lệnh chấm dứt"),
           perform=lambda u, p, d: services.proposal_terminate(actor=u, proposal=p, reasons=d["reasons"]),
           success=_("Đã ra lệnh chấm dứt."), style="danger"),
    Action("complete", "complete", IMPLEMENTER_OR_AUTHORITY, **transition(Status.COMPLETED),
           form_class=forms.EmptyForm, title=_("Xác nhận hoàn thành triển khai"), button=_("Xác nhận hoàn thành"),
           perform=lambda u, p, d: services.proposal_complete(actor=u, proposal=p),
           success=_("Đã xác nhận hoàn thành triển khai; hạn nộp báo cáo kết quả: %(report_due)s."),
           style="success", note=_("Sau khi xác nhận, báo cáo kết quả phải nộp trong %(report_days)s ngày làm việc.")),
    Action("results_report", "results-report", IMPLEMENTER, **transition(Status.REPORTED),
           form_class=forms.ResultsReportForm, title=_("Nộp báo cáo kết quả"), button=_("Nộp báo cáo"),
           perform=lambda u, p, d: services.results_report_file(actor=u, proposal=p, **d),
           success=_("Đã nộp báo cáo kết quả.")),
    # — evaluation, conclusion, encouragement ———————————————————————————————————————————————————————————
    Action("evaluation_opinion", "evaluation-opinion", AUTHORITY, states=frozenset({Status.REPORTED}),
           form_class=forms.PartyOpinionForm, title=_("Ghi nhận ý kiến cấp ủy về kết quả"),
           button=_("Lưu ý kiến cấp ủy"),
           perform=lambda u, p, d: services.party_opinion_record(actor=u, proposal=p, stage=Stage.EVALUATION, **d),
           success=_("Đã ghi nhận ý kiến của cấp ủy.")),
    Action("evaluation", "evaluation", EVALUATOR, **transition(Status.EVALUATED),
           conditions=(PARTY_OPINION_BEFORE_EVALUATION,),
           form_class=forms.EvaluationForm, title=_("Ghi nhận họp đánh giá và kết quả đánh giá"),
           button=_("Lưu kết quả đánh giá"),
           perform=lambda u, p, d: services.evaluation_record(actor=u, proposal=p, **d),
           success=_("Đã ghi nhận kết quả đánh giá.")),
    Action("conclude", "conclude", HEAD, **transition(Status.CONCLUDED),
           form_class=forms.ConclusionForm, form_kwargs=_conclude_form_kwargs,
           title=_("Kết luận (và quyết định bảo vệ theo Nghị định 73)"), button=_("Ký và ban hành"), issues_document=True,
           perform=lambda u, p, d: services.proposal_conclude(actor=u, proposal=p, **d),
           success=_("Đã ban hành kết luận."), style="success"),
    Action("reward", "rewards", AUTHORITY, states=frozenset({Status.CONCLUDED}), conditions=(EVALUATED_COMPLETED,),
           form_class=forms.RewardForm, form_kwargs=lambda proposal: {"proposal": proposal},
           title=_("Đề nghị khen thưởng, khuyến khích"), button=_("Lưu đề nghị"),
           perform=lambda u, p, d: services.reward_recommend(actor=u, proposal=p, **d),
           success=_("Đã ghi nhận đề nghị khen thưởng.")),
    Action("reward_settle", "rewards/settle", AUTHORITY, states=frozenset({Status.CONCLUDED}),
           conditions=(REWARDS_PENDING,), place="rewards",
           form_class=forms.RewardSettleForm, title=_("Ghi nhận kết quả đề nghị khen thưởng"),
           button=_("Lưu kết quả"), perform=_reward_settle),
    Action("close", "close", AUTHORITY, **transition(Status.CLOSED), conditions=(NO_REWARD_PENDING,),
           form_class=forms.EmptyForm, title=_("Đóng hồ sơ"), button=_("Đóng hồ sơ"),
           perform=lambda u, p, d: services.proposal_close(actor=u, proposal=p),
           success=_("Đã đóng hồ sơ đề xuất."), style="secondary"),
    # — protection of the proposer ————————————————————————————————————————————————————————————————————
    Action("retaliation_new", "retaliation/new", IMPLEMENTER, states=SENT, conditions=(WAS_SUBMITTED,),
           place="page"),
    # — conversation ——————————————————————————————————————————————————————————————————————————————————
    Action("internal_note", "notes", AUTHORITY, states=ANY_STATE, place="thread",
           form_class=forms.InternalNoteForm, title=_("Ghi chú nội bộ"), button=_("Lưu ghi chú"),
           perform=lambda u, p, d: services.note_add(actor=u, proposal=p, text=d["text"],
                                                     visibility=Note.Visibility.INTERNAL)),
    Action("comment", "comments", AUTHOR_OR_AUTHORITY, states=SENT, place="thread",
           form_class=forms.NoteForm, title=_("Trao đổi"), button=_("Đăng trao đổi"),
           perform=lambda u, p, d: services.note_add(actor=u, proposal=p, text=d["text"],
                                                     visibility=Note.Visibility.THREAD)),
)

ACTIONS: dict[str, Action] = {action.name: action for action in _ACTIONS}
#: The actions posted to `ProposalActionView`: each has a form and a service.
FORM_ACTIONS: dict[str, Action] = {name: action for name, action in ACTIONS.items() if action.form_class}
#: The actions that take a proposal to its next step; the top of its page names those the reader may take now.
#: The others (returning, refusing, suspending, comments...) stay in the page's list of actions.
NEXT_STEP_ACTIONS = frozenset({
    "party_opinion", "meeting", "approve", "approve_by_head", "start", "progress", "complete", "results_report",
    "evaluation_opinion", "evaluation", "conclude", "close",
})


def require(name: str, *, actor: User, proposal: Proposal, facts: Facts | None = None) -> None:
    """The guard every service runs on the row it has locked."""
    ACTIONS[name].require(actor, proposal, facts)


def allows(name: str, *, user: User, proposal: Proposal, facts: Facts | None = None) -> bool:
    return ACTIONS[name].allows(user, proposal, facts)


def waiting(*, user: User, proposal: Proposal, facts: Facts | None = None) -> list[tuple[Action, list[str]]]:
    """Actions of the page's panel that the person could take in this state but for a condition not met yet,
    each with what is missing (approving before the vote, for instance)."""
    facts = facts or Facts(proposal)
    found = []
    for action in _ACTIONS:
        if action.place != "panel" or proposal.status not in action.states or not action.who.allows(user, proposal):
            continue
        missing = [str(condition.message) for condition in action.conditions
                   if condition.hides and not condition.holds(facts)]
        if missing:
            found.append((action, missing))
    return found


def available(*, user: User, proposal: Proposal, facts: Facts | None = None) -> Iterator[Action]:
    """The actions the person may take on the proposal now, in the table's order."""
    facts = facts or Facts(proposal)
    return (action for action in _ACTIONS if action.allows(user, proposal, facts))
