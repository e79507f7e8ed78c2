"""Demo proposals for `seed_demo`: about a hundred proposals over the last three years, in every state.

Every proposal is built through the real services, acting as the real demo accounts and seeded officials,
inside a fake clock (`django.utils.timezone.now` patched to a moment of the past, moved forward between
steps by working days). So submission, decision, event and notification times, due dates and document dates
all agree with each other, and the audit trail is the one the services write; nothing sets a status.

Before 1 Jul 2025 the seeded organisation has only UBND Thành phố and the district committees (the city
agencies, wards and communes of `seed_demo` start on that day). For the proposals of that period this module
gives a few seeded officials the posts they held before the reorganisation: the chairpersons and division heads
of four districts (each is now an official of the district's successor ward or commune), and a chairperson of
UBND Thành phố. Those posts and memberships end on 30 Jun 2025, so today's routing and demo accounts are untouched.

Deterministic (a fixed random seed, officials picked in username order) and idempotent: proposal number `i`
carries the creation token uuid5(DEMO_NAMESPACE, "demo-proposal-i"); a proposal that already exists is skipped,
and each one is built in its own transaction, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import random
import uuid
from collections.abc import Callable, Iterator
from decimal import Decimal
from unittest import mock

from django.db import transaction
from django.utils import timezone

from accounts.models import AuthorityMembership, OrganisationUnit, PositionCategory, Post, User
from accounts.selectors import authority_head_current
from proposals import services
from proposals.models import Evaluation, Proposal, Reward, Topic
from proposals.workflow import Status
from routing import calendar

DEMO_NAMESPACE = uuid.UUID("6f0e2d0a-7c1b-5b73-9d73-2023a0c0d073")
SEED = 7373
RULES_FROM = datetime.date(2023, 10, 2)  # the routing rules apply from 29 Sep 2023 (Decree 73)
NEW_CITY = datetime.date(2025, 7, 1)
DISTRICTS_END = datetime.date(2025, 6, 30)
HISTORY_FROM = datetime.date(2021, 7, 1)

Role = AuthorityMembership.Role
Cat = PositionCategory


def demo_token(index: int) -> uuid.UUID:
    return uuid.uuid5(DEMO_NAMESPACE, f"demo-proposal-{index}")


def demo_tokens(count: int) -> list[uuid.UUID]:
    return [demo_token(index) for index in range(count)]


# — the posts held before the reorganisation of 1 Jul 2025 ————————————————————————————————————————

# (district code, successor code, title of its chairperson, titles of two division heads)
DISTRICT_HISTORY = [
    ("q-1", "p-sai-gon", "Chủ tịch UBND Quận 1", "Trưởng phòng Quản lý đô thị", "Trưởng phòng Văn hóa và Thông tin"),
    ("q-3", "p-xuan-hoa", "Chủ tịch UBND Quận 3", "Trưởng phòng Quản lý đô thị", "Trưởng phòng Tư pháp"),
    ("tp-thu-duc", "p-thu-duc", "Chủ tịch UBND thành phố Thủ Đức", "Trưởng phòng Kinh tế",
     "Trưởng phòng Giáo dục và Đào tạo"),
    ("h-binh-chanh", "x-binh-chanh", "Chủ tịch UBND huyện Bình Chánh", "Trưởng phòng Kinh tế",
     "Trưởng phòng Tài nguyên và Môi trường"),
]


def _current_post(unit: OrganisationUnit, *, is_head: bool, on: datetime.date) -> Post | None:
    return (Post.objects.current(on).principal().filter(unit=unit, is_head=is_head)
            .select_related("user").order_by("user__username").first())


def _history_post(user: User, *, unit: OrganisationUnit, title: str, managing_authority: OrganisationUnit,
                  is_head: bool) -> None:
    valid_from = max(HISTORY_FROM, unit.valid_from)
    if Post.objects.filter(user=user, unit=unit, is_principal=True, valid_to=DISTRICTS_END).exists():
        return
    post = Post(user=user, unit=unit, title=title, category=Cat.ADMIN_LEADER, managing_authority=managing_authority,
                is_head=is_head, is_principal=True, valid_from=valid_from, valid_to=DISTRICTS_END)
    post.full_clean()
    post.save()


def _history_membership(user: User, authority: OrganisationUnit) -> None:
    if AuthorityMembership.objects.filter(user=user, authority=authority, valid_to=DISTRICTS_END).exists():
        return
    membership = AuthorityMembership(user=user, authority=authority, role=Role.HEAD,
                                     valid_from=max(HISTORY_FROM, authority.valid_from), valid_to=DISTRICTS_END)
    membership.full_clean()
    membership.save()


@transaction.atomic
def history_ensure() -> None:
    """The pre-reorganisation posts the older demo proposals need (see the module's docstring)."""
    units = {unit.code: unit for unit in OrganisationUnit.objects.filter(
        code__in=["ubnd-tp", *[row[0] for row in DISTRICT_HISTORY], *[row[1] for row in DISTRICT_HISTORY]])}
    city = units["ubnd-tp"]
    today = timezone.localdate()
    # The Chairman of UBND Thành phố (an official of seed_demo with no membership today) decided before head.city.
    chairman = _current_post(city, is_head=True, on=today)
    if chairman and not AuthorityMembership.objects.current(DISTRICTS_END).filter(authority=city, role=Role.HEAD).exists():
        _history_membership(chairman.user, city)
    for code, successor_code, chair_title, first_title, second_title in DISTRICT_HISTORY:
        district, successor = units[code], units[successor_code]
        chair = _current_post(successor, is_head=True, on=today)
        divisions = list(OrganisationUnit.objects.filter(parent=successor, kind=OrganisationUnit.Kind.DIVISION)
                         .exclude(code__endswith="van-phong").order_by("code"))
        heads = [post for post in (_current_post(unit, is_head=True, on=today) for unit in divisions) if post]
        if chair is None or len(heads) < 2:
            continue
        _history_post(chair.user, unit=district, title=chair_title, managing_authority=city, is_head=True)
        if not AuthorityMembership.objects.current(DISTRICTS_END).filter(authority=district, role=Role.HEAD).exists():
            _history_membership(chair.user, district)
        for post, title in zip(heads, (first_title, second_title), strict=False):
            _history_post(post.user, unit=district, title=title, managing_authority=district, is_head=False)


# — who proposes where ————————————————————————————————————————————————————————————————————————————

@dataclasses.dataclass(frozen=True)
class Pool:
    """Officials whose proposals go to one authority, and the weight of that authority among the proposals."""

    key: str
    authors: tuple[User, ...]
    weight: int


def _authors(on: datetime.date, **post_filter) -> tuple[User, ...]:
    posts = Post.objects.current(on).principal().filter(**post_filter).select_related("user")
    members = AuthorityMembership.objects.current(on).values("user_id")
    return tuple(post.user for post in posts.exclude(user_id__in=members).order_by("user__username"))


def pools(era: str) -> list[Pool]:
    """Pre-reorganisation (`old`) or current (`new`) authors, by the authority their proposals reach."""
    if era == "old":
        on = datetime.date(2024, 6, 3)
        result = [Pool("ubnd-tp", tuple(
            post.user for post in Post.objects.current(on).principal().filter(
                unit__code__in=[row[0] for row in DISTRICT_HISTORY], is_head=True)
            .select_related("user").order_by("user__username")), 3)]
        result += [Pool(code, _authors(on, managing_authority__code=code), 3) for code, *_rest in DISTRICT_HISTORY]
        return [pool for pool in result if pool.authors]
    on = timezone.localdate()
    demo = {user.username: user for user in User.objects.filter(username__in=[
        "proposer.city", "proposer.dept", "proposer.ward", "proposer.staff", "head.dept"])}
    result = [
        Pool("so-xay-dung", tuple(demo[name] for name in ("proposer.dept", "proposer.staff") if name in demo)
             + _authors(on, managing_authority__code="so-xay-dung", is_head=True), 6),
        Pool("ubnd-tp", tuple(demo[name] for name in ("proposer.city", "head.dept") if name in demo)
             + _authors(on, managing_authority__code="ubnd-tp", unit__kind=OrganisationUnit.Kind.CITY_AGENCY,
                        is_head=False)[:6], 5),
        Pool("p-ben-thanh", tuple(demo[name] for name in ("proposer.ward",) if name in demo)
             + _authors(on, managing_authority__code="p-ben-thanh", is_head=True), 4),
    ]
    for code, weight in (("so-y-te", 3), ("so-khcn", 3), ("so-tai-chinh", 2), ("so-gd-dt", 2), ("so-tu-phap", 1),
                         ("p-sai-gon", 2), ("p-thu-duc", 2), ("x-cu-chi", 1), ("p-vung-tau", 1), ("dk-con-dao", 1)):
        # (Managers of public service units and enterprises are left out: the default routing rules have no rule
        # for a proposal managed by such a unit, so the portal would refuse to route it.)
        authors = _authors(on, managing_authority__code=code, is_head=True) or _authors(
            on, managing_authority__code=code)
        result.append(Pool(code, authors, weight))
    return [pool for pool in result if pool.authors]


# — what the proposals say ——————————————————————————————————————————————————————————————————————————

IDEAS = {
    "Cải cách hành chính": ["Một cửa liên thông không chờ hẹn cho hồ sơ đất đai",
                            "Rút ngắn thời gian cấp giấy phép kinh doanh có điều kiện"],
    "Chuyển đổi số": ["Số hóa toàn bộ hồ sơ lưu trữ và ký số văn bản đi", "Trợ lý ảo trả lời thủ tục hành chính"],
    "Quy hoạch, xây dựng, đô thị": ["Cấp phép xây dựng nhà ở riêng lẻ theo hồ sơ mẫu",
                                    "Bản đồ quy hoạch trực tuyến có tra cứu theo thửa"],
    "Giao thông vận tải": ["Điều chỉnh pha đèn tín hiệu theo lưu lượng thực tế", "Bãi giữ xe thông minh gần chợ"],
    "Tài chính, ngân sách": ["Thanh toán không dùng tiền mặt cho phí, lệ phí", "Giao dự toán theo kết quả đầu ra"],
    "Đầu tư, kinh doanh": ["Tổ hỗ trợ nhà đầu tư trọn gói", "Đối thoại doanh nghiệp định kỳ trực tuyến"],
    "Y tế": ["Đặt lịch khám và trả kết quả xét nghiệm trực tuyến", "Bệnh án điện tử liên thông tuyến phường"],
    "Giáo dục và đào tạo": ["Tuyển sinh đầu cấp trực tuyến toàn phần", "Học bạ số liên thông các cấp học"],
    "Môi trường": ["Phân loại rác tại nguồn có hoàn trả chi phí", "Quan trắc chất lượng không khí theo thời gian thực"],
    "Tổ chức bộ máy, công vụ": ["Đánh giá cán bộ theo kết quả công việc hằng tháng",
                                "Luân chuyển công chức trẻ xuống cơ sở"],
    "Văn hóa, xã hội": ["Phố đi bộ cuối tuần gắn với di sản", "Thư viện mở 24 giờ tại nhà văn hóa"],
    "An sinh xã hội": ["Chi trả trợ cấp qua tài khoản ngân hàng", "Bản đồ hộ nghèo cập nhật theo quý"],
    "Khoa học và công nghệ": ["Thử nghiệm có kiểm soát dịch vụ đô thị thông minh", "Mua sắm sáng tạo cho khởi nghiệp"],
    "Khác": ["Góp ý chính sách trực tuyến của người dân"],
}


def _plan(rng: random.Random, topic: Topic | None, title: str, start: datetime.date, months: int) -> dict:
    end = start + datetime.timedelta(days=30 * months)
    budget = rng.choice([0, 150_000_000, 480_000_000, 1_200_000_000, 3_500_000_000])
    return {
        "title": title, "topic": topic,
        "summary": f"{title}: thí điểm trong {months} tháng, đánh giá rồi nhân rộng.",
        "necessity": "Quy trình hiện hành kéo dài, người dân và doanh nghiệp phải đi lại nhiều lần.",
        "bottleneck": "Chưa có văn bản quy định cách làm mới; quy định hiện hành chỉ áp dụng cho hồ sơ giấy.",
        "objectives": "Giảm ít nhất một nửa thời gian xử lý; không phát sinh thêm hồ sơ.",
        "content_solutions": "Ban hành quy trình thí điểm, tập huấn cán bộ, công khai kết quả hằng tháng.",
        "scope": "Trong phạm vi cơ quan, đơn vị đề xuất.",
        "implementers": "Người đề xuất và bộ phận chuyên môn trực tiếp.",
        "start_date": start, "end_date": end,
        "timeline_description": "Tháng đầu chuẩn bị; các tháng sau thí điểm; tháng cuối tổng kết.",
        "resources": "Cán bộ hiện có, trang thiết bị sẵn có.",
        "budget_amount": budget, "budget_source": "Ngân sách chi thường xuyên" if budget else "",
        "feasibility": "Hạ tầng và nhân lực đã sẵn sàng.",
        "positive_impact": "Tiết kiệm thời gian, chi phí cho người dân, doanh nghiệp.",
        "negative_impact": "Cán bộ phải thay đổi cách làm quen thuộc.",
        "expected_results": "Ít nhất 80% hồ sơ giải quyết đúng hạn theo quy trình mới.",
        "risks": "Lỗi hệ thống, phản ứng của người quen cách làm cũ.",
        "worst_case": "Phải tạm dừng thí điểm và quay về quy trình cũ.",
        "risk_handling": "Giữ song song quy trình cũ trong ba tháng đầu; sao lưu dữ liệu hằng ngày.",
        "cond_removes_bottleneck": True, "cond_common_good": True, "cond_urgent_no_harm": True,
        "cond_within_authority": True, "commitment": True, "involved_units": [],
    }


# — the fake clock ————————————————————————————————————————————————————————————————————————————————

@contextlib.contextmanager
def clock_at(moment: datetime.datetime) -> Iterator[None]:
    """Every service reads django.utils.timezone.now: created_at, submitted_at, due dates, event times."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _moment(day: datetime.date, step: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(8, 30)) + datetime.timedelta(minutes=7 * step))


def working_day_on_or_after(day: datetime.date) -> datetime.date:
    return calendar.add_working_days(day - datetime.timedelta(days=1), 1)


# — the scenarios ——————————————————————————————————————————————————————————————————————————————————

# Final state → how many proposals end there, for the current era; the older era ends only in final states.
NEW_MIX = [
    (Status.DRAFT, 2), (Status.SUBMITTED, 7), (Status.RETURNED, 3), (Status.WITHDRAWN, 3), (Status.REJECTED, 7),
    (Status.APPROVED, 4), (Status.IMPLEMENTING, 7), (Status.SUSPENDED, 2), (Status.TERMINATED, 2),
    (Status.COMPLETED, 3), (Status.REPORTED, 3), (Status.EVALUATED, 3), (Status.CONCLUDED, 5), (Status.CLOSED, 5),
]
OLD_MIX = [(Status.WITHDRAWN, 2), (Status.REJECTED, 6), (Status.CONCLUDED, 6), (Status.CLOSED, 10)]

# Evaluation findings, in turn: one of each protection tier.
FINDINGS = [
    {"outcome": "completed", "damage_caused": False, "followed_plan": True},  # not held liable
    {"outcome": "partly", "damage_caused": False, "followed_plan": True},  # liability excluded
    {"outcome": "partly", "damage_caused": True, "followed_plan": True},  # considered for exclusion ...
    {"outcome": "not_completed", "damage_caused": True, "followed_plan": False},  # not protected
]
AFTER_DECISION = {Status.APPROVED, Status.IMPLEMENTING, Status.SUSPENDED, Status.TERMINATED, Status.COMPLETED,
                  Status.REPORTED, Status.EVALUATED, Status.CONCLUDED, Status.CLOSED}
ORDER = [Status.IMPLEMENTING, Status.COMPLETED, Status.REPORTED, Status.EVALUATED, Status.CONCLUDED, Status.CLOSED]


@dataclasses.dataclass
class Scenario:
    index: int
    era: str
    final: str
    pool: Pool
    author: User
    start: datetime.date
    topic: Topic | None
    title: str
    returned_first: bool = False
    head_override: bool = False
    decided_late: bool = False
    findings: dict = dataclasses.field(default_factory=dict)
    tier_override: bool = False
    late_steps: bool = False  # the report, evaluation or conclusion clock runs past its due date
    suspended_once: bool = False
    reward_kind: str = ""
    reward_result: str = ""
    retaliation: str = ""


# Working days a scenario needs to reach its final state (the longest variant), and how far back from the
# latest possible start it may begin: proposals still waiting for someone are recent, finished ones anywhere.
NEEDS = {
    Status.DRAFT: 0, Status.SUBMITTED: 0, Status.RETURNED: 2, Status.WITHDRAWN: 7, Status.REJECTED: 15,
    Status.APPROVED: 15, Status.IMPLEMENTING: 68, Status.SUSPENDED: 48, Status.TERMINATED: 56,
    Status.COMPLETED: 78, Status.REPORTED: 85, Status.EVALUATED: 94, Status.CONCLUDED: 125, Status.CLOSED: 128,
}
RECENT = {
    Status.DRAFT: 20, Status.SUBMITTED: 20, Status.RETURNED: 25, Status.APPROVED: 30, Status.IMPLEMENTING: 200,
    Status.SUSPENDED: 90, Status.TERMINATED: 90, Status.COMPLETED: 20, Status.REPORTED: 20, Status.EVALUATED: 15,
}


def _start(rng: random.Random, final: str, first: datetime.date, last: datetime.date, today: datetime.date,
           ) -> datetime.date:
    latest = min(last, today - datetime.timedelta(days=NEEDS[final] * 3 // 2 + 3))
    earliest = max(first, latest - datetime.timedelta(days=RECENT.get(final, 10_000)))
    span = max((latest - earliest).days, 1)
    return working_day_on_or_after(earliest + datetime.timedelta(days=rng.randrange(span)))


def scenarios(*, today: datetime.date) -> list[Scenario]:
    """The same list on every run (a fixed seed; officials in username order)."""
    rng = random.Random(SEED)
    topics = list(Topic.objects.order_by("order", "name"))
    result: list[Scenario] = []
    counters = {"findings": 0, "reward": 0, "retaliation": 0, "closed": 0}
    three_years_ago = datetime.date(today.year - 3, today.month, min(today.day, 28)) + datetime.timedelta(days=1)
    for era, mix, first, last in (("old", OLD_MIX, max(RULES_FROM, three_years_ago), datetime.date(2024, 11, 29)),
                                  ("new", NEW_MIX, datetime.date(2025, 7, 8), today)):
        era_pools = pools(era)
        if not era_pools:
            continue
        weights = [pool.weight for pool in era_pools]
        for final, count in mix:
            for _n in range(count):
                pool = rng.choices(era_pools, weights=weights)[0]
                topic = rng.choice(topics) if topics else None
                ideas = IDEAS.get(topic.name if topic else "Khác", IDEAS["Khác"])
                start = _start(rng, final, first, last, today)
                scenario = Scenario(index=len(result), era=era, final=final, pool=pool,
                                    author=pool.authors[rng.randrange(len(pool.authors))], start=start, topic=topic,
                                    title=rng.choice(ideas))
                scenario.returned_first = rng.random() < 0.2
                scenario.head_override = final in AFTER_DECISION and rng.random() < 0.15
                scenario.decided_late = rng.random() < 0.2
                scenario.late_steps = rng.random() < 0.3
                scenario.suspended_once = final in ORDER and rng.random() < 0.2
                if final in (Status.EVALUATED, Status.CONCLUDED, Status.CLOSED):
                    if final == Status.CLOSED and counters["closed"] % 3 != 2:
                        scenario.findings = FINDINGS[0]  # completed: rewards can be recommended
                    else:
                        scenario.findings = FINDINGS[counters["findings"] % len(FINDINGS)]
                        counters["findings"] += 1
                    scenario.tier_override = final != Status.EVALUATED and rng.random() < 0.15
                    counters["closed"] += final == Status.CLOSED
                if final in (Status.CONCLUDED, Status.CLOSED) and scenario.findings["outcome"] == "completed":
                    kinds = Reward.Kind.values
                    scenario.reward_kind = kinds[counters["reward"] % len(kinds)]
                    scenario.reward_result = ("pending" if final == Status.CONCLUDED
                                              else ("granted", "granted", "refused")[counters["reward"] % 3])
                    counters["reward"] += 1
                if era == "new" and final in (Status.IMPLEMENTING, Status.SUSPENDED, Status.CONCLUDED, Status.CLOSED) \
                        and counters["retaliation"] < 6 and rng.random() < 0.45:
                    scenario.retaliation = ("received", "examining", "concluded")[counters["retaliation"] % 3]
                    counters["retaliation"] += 1
                result.append(scenario)
    return result


# — building one proposal —————————————————————————————————————————————————————————————————————————

class Builder:
    """Runs one scenario's steps, each on its own (fake) day; the days never pass `today`."""

    def __init__(self, scenario: Scenario, *, today: datetime.date, homeaffairs: User | None):
        self.s = scenario
        self.today = today
        self.homeaffairs = homeaffairs
        self.day = scenario.start
        self.step = 0
        self.proposal: Proposal | None = None
        self.head: User | None = None
        self.number = f"{scenario.index + 1:03d}"

    # the clock
    def later(self, working_days: int) -> bool:
        """Move the clock on; False (and no move) when that day has not come yet."""
        day = calendar.add_working_days(self.day, working_days) if working_days else self.day
        if day >= self.today:
            return False
        self.day = day
        return True

    def act(self, action: Callable[[], object]):
        self.step += 1
        with clock_at(_moment(self.day, self.step)):
            return action()

    def refresh(self) -> None:
        self.proposal.refresh_from_db()

    # the steps
    def run(self) -> Proposal:
        s = self.s
        months = 2 + s.index % 4
        plan = _plan(random.Random(SEED + s.index), s.topic, s.title,
                     self.day + datetime.timedelta(days=30), months)
        self.proposal = self.act(lambda: services.proposal_create_draft(
            actor=s.author, data=plan, creation_token=demo_token(s.index)))
        if s.final == Status.DRAFT:
            return self.proposal
        self.act(lambda: services.proposal_submit(actor=s.author, proposal=self.proposal))
        self.refresh()
        self.head = authority_head_current(authority=self.proposal.deciding_authority, on=self.day)
        if self.head is None:  # nobody to decide: it waits, as it would on the portal
            return self.proposal
        if s.returned_first or s.final == Status.RETURNED:
            if not self.later(2):
                return self.proposal
            self.act(lambda: services.proposal_return_for_revision(
                actor=self.head, proposal=self.proposal,
                message="Đề nghị bổ sung dự toán chi tiết và ý kiến của các đơn vị liên quan."))
            if s.final == Status.RETURNED or not self.later(3):
                return self.proposal
            self.act(lambda: services.proposal_update_content(
                actor=s.author, proposal=self.proposal,
                data={"resources": "Cán bộ hiện có; bổ sung dự toán chi tiết kèm theo."}))
            self.act(lambda: services.proposal_submit(actor=s.author, proposal=self.proposal))
        if s.final == Status.SUBMITTED:
            return self.proposal
        if s.final == Status.WITHDRAWN:
            if self.later(1):
                self.act(lambda: services.proposal_withdraw(actor=s.author, proposal=self.proposal,
                                                            reason="Đơn vị đã được giao nhiệm vụ tương tự."))
            return self.proposal
        self.decide()
        if s.final in (Status.APPROVED, Status.REJECTED) or self.proposal.status != Status.APPROVED:
            return self.proposal
        self.implement()
        return self.proposal

    def decide(self) -> None:
        s, p = self.s, self.proposal
        if not self.later(2):
            return
        rejected = s.final == Status.REJECTED
        if not rejected:
            self.act(lambda: services.party_opinion_record(
                actor=self.head, proposal=p, document_number=f"{self.number}-CV/ĐU", document_date=self.day,
                summary="Ban Thường vụ Đảng ủy thống nhất chủ trương."))
        if not self.later(6 if s.decided_late else 2):
            return
        passed = not rejected and not s.head_override
        self.act(lambda: services.meeting_record(
            actor=self.head, proposal=p, meeting_date=self.day, members_present=5,
            votes_for=4 if passed else 2, votes_against=1 if passed else 3, votes_abstain=0, head_vote="for"))
        if not self.later(1 if not s.decided_late else 2):
            return
        if rejected:
            self.act(lambda: services.proposal_reject(
                actor=self.head, proposal=p, decision_date=self.day,
                reasons="Nội dung đã được pháp luật quy định; không thuộc trường hợp khuyến khích đổi mới."))
        elif s.head_override:
            self.act(lambda: services.proposal_approve_by_head(
                actor=self.head, proposal=p, decision_date=self.day,
                justification="Yêu cầu cấp bách của thực tiễn; người đứng đầu chịu trách nhiệm."))
        else:
            self.act(lambda: services.proposal_approve(actor=self.head, proposal=p, decision_date=self.day))
        self.refresh()

    def implement(self) -> None:
        s, p = self.s, self.proposal
        target = s.final
        if not self.later(3):
            return
        self.act(lambda: services.implementation_start(actor=s.author, proposal=p))
        if target == Status.IMPLEMENTING and s.retaliation:
            self.retaliation()
        for percent in (25, 50, 80):
            if not self.later(12):
                return
            self.act(lambda percent=percent: services.progress_post(
                actor=s.author, proposal=p, percent=percent, milestones=f"Hoàn thành {percent}% khối lượng",
                resources_used="Trong dự toán được giao", budget_spent=Decimal(percent) * 1_000_000))
            if percent == 50 and (s.suspended_once or target in (Status.SUSPENDED, Status.TERMINATED)):
                if not self.later(2):
                    return
                self.act(lambda: services.proposal_suspend(
                    actor=self.head, proposal=p, reasons="Tạm dừng để rà soát kinh phí và phản ánh của người dân."))
                if target == Status.SUSPENDED:
                    if s.retaliation:
                        self.retaliation()
                    return
                if not self.later(8):
                    return
                if target == Status.TERMINATED:
                    self.act(lambda: services.proposal_terminate(
                        actor=self.head, proposal=p, reasons="Điều kiện thực tế thay đổi; dừng hẳn để bảo toàn nguồn lực."))
                    return
                self.act(lambda: services.proposal_resume(actor=self.head, proposal=p,
                                                          reasons="Đã rà soát xong; tiếp tục thực hiện."))
        if target == Status.IMPLEMENTING:
            return
        if not self.later(10):
            return
        self.act(lambda: services.progress_post(actor=s.author, proposal=p, percent=100, milestones="Hoàn thành"))
        self.act(lambda: services.proposal_complete(actor=s.author, proposal=p))
        if target == Status.COMPLETED or not self.later(7 if s.late_steps else 3):
            return
        self.act(lambda: services.results_report_file(
            actor=s.author, proposal=p, summary="Đã thực hiện đủ các nội dung của phương án.",
            results_against_plan="Đạt phần lớn mục tiêu; có chỉ tiêu chưa đạt do điều kiện khách quan.",
            resources_used="Sử dụng trong dự toán được giao."))
        if target == Status.REPORTED or not self.later(9 if s.late_steps else 4):
            return
        self.evaluate()
        if target == Status.EVALUATED or not self.later(5 if s.late_steps else 2):
            return
        self.conclude()
        if s.retaliation:
            self.retaliation()
        if s.reward_kind and self.later(3):
            self.reward()
        if target == Status.CLOSED and self.later(2):
            self.act(lambda: services.proposal_close(actor=self.head, proposal=p))

    def evaluate(self) -> None:
        f, p = self.s.findings, self.proposal
        self.act(lambda: services.party_opinion_record(
            actor=self.head, proposal=p, document_number=f"{self.number}-CV/ĐU-ĐG", document_date=self.day,
            summary="Ban Thường vụ Đảng ủy thống nhất nội dung đánh giá.", stage="evaluation"))
        self.act(lambda: services.evaluation_record(
            actor=self.head, proposal=p, meeting_date=self.day, members_present=5, votes_for=5, votes_against=0,
            votes_abstain=0, head_vote="for", outcome=f["outcome"], damage_caused=f["damage_caused"],
            damage_description="Chi phí phát sinh ngoài dự toán do phải làm lại một phần." if f["damage_caused"] else "",
            damage_amount=Decimal(35_000_000 + 5_000_000 * (self.s.index % 7)) if f["damage_caused"] else None,
            objective_causes="Quy định cấp trên thay đổi trong thời gian thực hiện.",
            subjective_causes="Khâu phối hợp giữa các bộ phận còn chậm." if f["outcome"] != "completed" else "Không có.",
            followed_plan=f["followed_plan"], pure_motives=True, common_good=True))

    def conclude(self) -> None:
        p = self.proposal
        if not p.on_decree73_track:  # the City's initiative track: a conclusion, no protection decision
            self.act(lambda: services.proposal_conclude(
                actor=self.head, proposal=p, conclusion_date=self.day,
                conclusion_text="Kết luận đánh giá kết quả thực hiện sáng kiến theo Kế hoạch của Thành phố."))
            return
        proposed = Evaluation.objects.get(proposal=p).proposed_tier
        tier, reasons = proposed, ""
        if self.s.tier_override:
            tier = {"not_liable": "not_liable", "excluded": "considered", "considered": "excluded",
                    "not_protected": "considered"}[proposed]
            reasons = "" if tier == proposed else "Xét thêm ý kiến của cơ quan chuyên môn và mức độ thiệt hại thực tế."
        self.act(lambda: services.proposal_conclude(
            actor=self.head, proposal=p, conclusion_date=self.day,
            conclusion_text="Kết luận đánh giá kết quả thực hiện đề xuất theo Nghị định 73/2023/NĐ-CP.", protection_date=self.day, tier=tier, tier_reasons=reasons))

    def reward(self) -> None:
        s = self.s
        reward = self.act(lambda: services.reward_recommend(
            actor=self.head, proposal=self.proposal, beneficiary=s.author, kind=s.reward_kind,
            description="Đề nghị khen thưởng do hoàn thành đề xuất đổi mới, sáng tạo."))
        if s.reward_result != Reward.Result.PENDING and self.later(5):
            self.act(lambda: services.reward_settle(
                actor=self.head, reward=reward, result=s.reward_result,
                note="Theo kết quả xét của Hội đồng thi đua, khen thưởng."))

    def retaliation(self) -> None:
        s = self.s
        if not self.later(4):
            return
        report = self.act(lambda: services.retaliation_report_file(
            actor=s.author, proposal=self.proposal, incident_date=self.day, accused="Một bộ phận của cơ quan",
            description="Bị gây khó khăn trong việc bố trí nhân lực và kinh phí để thực hiện đề xuất."))
        if s.retaliation == "received" or self.homeaffairs is None or not self.later(3):
            return
        self.act(lambda: services.retaliation_report_advance(actor=self.homeaffairs, report=report,
                                                             status="examining", note="Xác minh tại cơ quan."))
        if s.retaliation == "concluded" and self.later(8):
            self.act(lambda: services.retaliation_report_advance(
                actor=self.homeaffairs, report=report, status="concluded", note="Đã làm việc với các bên.",
                outcome="Có cơ sở một phần; đã nhắc nhở cơ quan bố trí nguồn lực theo phương án được duyệt."))


def seed(*, today: datetime.date | None = None, log: Callable[[str], None] | None = None) -> dict:
    """Create the demo proposals that do not exist yet; return how many were created and skipped."""
    today = today or timezone.localdate()
    history_ensure()
    homeaffairs = User.objects.filter(username="homeaffairs").first()
    plan = scenarios(today=today)
    existing = set(Proposal.objects.filter(creation_token__in=[demo_token(s.index) for s in plan])
                   .values_list("creation_token", flat=True))
    created = 0
    for scenario in plan:
        if demo_token(scenario.index) in existing:
            continue
        with transaction.atomic():
            Builder(scenario, today=today, homeaffairs=homeaffairs).run()
        created += 1
        if log and created % 20 == 0:
            log(f"  … {created}")
    return {"created": created, "skipped": len(plan) - created, "planned": len(plan)}
