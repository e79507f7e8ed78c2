"""Issue 5's figures on the dashboard: evaluation outcomes, protection tiers, rewards, retaliation reports."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from proposals import services
from reports import selectors
from reports.selectors import ReportFilters, Scope
from tests.helpers import approve, client_for, completed, conclude, evaluate, report, submitted

CITY = Scope(city=True)


@pytest.fixture
def aftercare(org):
    """Five proposals after approval, built through the services; the hand counts are in the tests below."""
    author, head = org.proposer_dept, org.head_dept
    done = conclude(head, evaluate(head, report(author, completed(author, head, title="Hoàn thành"))))
    commendation = services.reward_recommend(actor=head, proposal=done, beneficiary=author, kind="commendation",
                                             description="Bằng khen của Chủ tịch UBND Thành phố")
    services.reward_settle(actor=head, reward=commendation, result="granted", note="Quyết định khen thưởng")
    services.reward_recommend(actor=head, proposal=done, beneficiary=author, kind="salary_step",
                              description="Nâng bậc lương trước thời hạn")
    damaged = conclude(head, evaluate(head, report(author, completed(author, head, title="Một phần, thiệt hại")),
                                      outcome="partly", damage_caused=True))
    overruled = conclude(head, evaluate(head, report(author, completed(author, head, title="Không hoàn thành")),
                                        outcome="not_completed"),
                         tier="not_protected", reasons="Không thực hiện đúng chỉ đạo bổ sung.")
    unconcluded = evaluate(head, report(author, completed(author, head, title="Một phần, chưa kết luận")),
                           outcome="partly", followed_plan=False)
    ward = approve(org.head_ward, submitted(org.proposer_ward, title="Phường bị cản trở"))
    examined = services.retaliation_report_file(actor=author, proposal=damaged, incident_date=timezone.localdate(),
                                                accused="Phòng Tổ chức", description="Bị điều chuyển công tác.")
    services.retaliation_report_advance(actor=org.homeaffairs, report=examined, status="examining", note="Xác minh")
    services.retaliation_report_file(actor=org.proposer_ward, proposal=ward, incident_date=timezone.localdate(),
                                     accused="Bộ phận một cửa", description="Bị cản trở tiếp cận hồ sơ.")
    return {"done": done, "damaged": damaged, "overruled": overruled, "unconcluded": unconcluded, "ward": ward}


def _this_year() -> ReportFilters:
    return ReportFilters.this_year(timezone.localdate())


def _listed(scope=CITY, **drill) -> set[int]:
    base = _this_year()
    filters = ReportFilters(date_from=base.date_from, date_to=base.date_to, **drill)
    return set(selectors.proposals_for_report(scope=scope, filters=filters).values_list("pk", flat=True))


def test_outcomes_tiers_rewards_and_retaliation_match_hand_counts(org, aftercare):
    data = selectors.dashboard_data(scope=CITY, filters=_this_year())

    after = data["aftercare"]
    assert after["evaluated"] == 4
    assert {row["key"]: row["count"] for row in after["outcomes"]} == {
        "completed": 1, "partly": 2, "not_completed": 1}
    assert (after["damage"], after["damage_amount"]) == (1, 40_000_000)
    assert after["protected"] == 3
    assert {row["key"]: row["count"] for row in after["tiers"]} == {
        "not_liable": 1, "excluded": 0, "considered": 1, "not_protected": 1}
    assert after["tier_differs"] == 1  # the head chose "not protected" against the proposed "liability excluded"
    rewards = {row["key"]: (row["pending"], row["granted"], row["refused"]) for row in data["rewards"]["rows"]}
    assert rewards == {"commendation": (0, 1, 0), "salary_step": (1, 0, 0), "priority": (0, 0, 0), "other": (0, 0, 0)}
    assert data["rewards"]["totals"] == {"pending": 1, "granted": 1, "refused": 0, "total": 2}
    assert {row["key"]: row["count"] for row in data["retaliation"]["rows"]} == {
        "received": 1, "examining": 1, "concluded": 0}


def test_each_new_figure_drills_down_to_its_proposals(org, aftercare):
    assert _listed(outcome="partly") == {aftercare["damaged"].pk, aftercare["unconcluded"].pk}
    assert _listed(damage="yes") == {aftercare["damaged"].pk}
    assert _listed(damage="no") == {aftercare["done"].pk, aftercare["overruled"].pk, aftercare["unconcluded"].pk}
    assert _listed(tier="not_protected") == {aftercare["overruled"].pk}
    assert _listed(tier="considered") == {aftercare["damaged"].pk}
    assert _listed(reward_kind="commendation", reward_result="granted") == {aftercare["done"].pk}
    assert _listed(reward_kind="commendation", reward_result="pending") == set()
    assert _listed(reward_result="pending") == {aftercare["done"].pk}
    assert _listed(retaliation="examining") == {aftercare["damaged"].pk}
    assert _listed(retaliation="received") == {aftercare["ward"].pk}


def test_a_head_sees_outcomes_and_tiers_of_their_authority_but_no_retaliation_figures(org, aftercare):
    scope = selectors.report_scope_for(user=org.head_dept)

    data = selectors.dashboard_data(scope=scope, filters=_this_year())

    assert data["aftercare"]["evaluated"] == 4 and data["retaliation"] is None
    # a retaliation drill-down is ignored for a head: the list is not narrowed to the reported proposals
    assert _listed(scope=scope, retaliation="examining") == _listed(scope=scope)
    assert aftercare["ward"].pk not in _listed(scope=scope)


def test_the_dashboard_page_shows_the_new_figures_with_links(org, aftercare):
    response = client_for(org.homeaffairs).get(reverse("reports:dashboard"))

    assert response.status_code == 200
    content = response.content.decode()
    for section in ("aftercare-title", "rewards-title", "retaliation-title", "chart-outcomes", "chart-tiers"):
        assert f'id="{section}"' in content
    outcome_link = next(row["link"] for row in response.context["aftercare"]["outcomes"] if row["key"] == "partly")
    assert "outcome=partly" in outcome_link
    listed = client_for(org.homeaffairs).get(outcome_link)
    assert {p.pk for p in listed.context["page"].object_list} == {aftercare["damaged"].pk, aftercare["unconcluded"].pk}
    chart = response.context["chart_data"]
    assert chart["retaliation"]["values"] == [1, 1, 0]


@pytest.mark.parametrize("who", ["head_dept", "head_city"])
def test_heads_get_no_retaliation_section_nor_filter(org, aftercare, who):
    client = client_for(getattr(org, who))

    response = client.get(reverse("reports:dashboard"))
    listed = client.get(reverse("reports:proposals"), {"retaliation": "received"})

    assert response.status_code == 200
    content = response.content.decode()
    assert response.context["retaliation"] is None and response.context["chart_data"]["retaliation"] is None
    assert 'id="retaliation-title"' not in content and "retaliation=" not in content
    assert "retaliation" not in listed.context["form"].fields
    assert listed.context["filters"].retaliation == ""


def test_the_annual_report_carries_the_new_figures(org, aftercare):
    from reports import services as report_services

    year = timezone.localdate().year
    generated = report_services.annual_review_report_request(actor=org.homeaffairs, year=year)
    report_services.annual_review_report_generate(report_id=generated.pk)
    generated.refresh_from_db()

    assert generated.status == "done", generated.error
    book = load_workbook(io.BytesIO(generated.xlsx.read()))
    figures = {row[0]: row[1] for row in book["Đánh giá và bảo vệ"].iter_rows(min_row=2, values_only=True)}
    assert figures["Kết quả đánh giá: Hoàn thành một phần"] == 2
    assert figures["Mức bảo vệ: Không được bảo vệ"] == 1
    assert figures["Gây thiệt hại"] == 1
    rewards = {row[0]: row[1:] for row in book["Khen thưởng"].iter_rows(min_row=2, values_only=True)}
    assert rewards["Cộng"] == (1, 1, 0, 2)
    retaliation = {row[0]: row[1] for row in book["Phản ánh trù dập"].iter_rows(min_row=2, values_only=True)}
    assert retaliation["Tổng số"] == 2
    assert generated.pdf.read().startswith(b"%PDF")
