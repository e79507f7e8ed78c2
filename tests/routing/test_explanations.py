"""Why an authority decides, worded for each reader (issue 14): routing stores the rule, the authority and the
authority the proposer heads, and each page words them in the reader's language; the Vietnamese sentence stored
with the proposal stays the record."""

from django.utils import translation

from proposals.models import ProposalRouting
from routing.models import RoutingRule
from routing.policy import explain
from tests.helpers import submitted


def routing_of(proposal) -> ProposalRouting:
    return ProposalRouting.objects.select_related("rule", "authority", "headed_authority").get(proposal=proposal)


def test_a_routing_is_worded_in_each_readers_language(org):
    routing = routing_of(submitted(org.proposer_dept))

    with translation.override("en"):
        assert routing.explanation == "Sent to the Director of Sở Xây dựng because Sở Xây dựng manages the proposer"
    with translation.override("vi"):
        assert routing.explanation == "Gửi Giám đốc Sở Xây dựng vì người đề xuất thuộc diện Sở Xây dựng quản lý"
    assert routing.reason == "Gửi Giám đốc Sở Xây dựng vì người đề xuất thuộc diện Sở Xây dựng quản lý"


def test_a_proposal_sent_above_the_authority_its_author_heads_says_so_in_each_language(org):
    RoutingRule.objects.create(name="Mọi đề xuất về Sở Xây dựng", priority=1, target="named_unit",
                               target_unit=org.construction, reason="Gửi {authority} theo quy tắc chỉ định",
                               reason_en="Sent to {authority} by a named rule")

    routing = routing_of(submitted(org.head_dept))

    assert routing.authority == org.city and routing.headed_authority == org.construction
    with translation.override("en"):
        assert routing.explanation == ("Sent to UBND Thành phố Hồ Chí Minh because the proposer is the head of "
                                       "Sở Xây dựng (Article 7(4) of Decree 73)")
    with translation.override("vi"):
        assert "vì người đề xuất là người đứng đầu Sở Xây dựng" in routing.explanation


def test_a_rule_reworded_later_leaves_the_reasons_of_earlier_proposals_as_written(org):
    routing = routing_of(submitted(org.proposer_dept))
    RoutingRule.objects.filter(pk=routing.rule_id).update(reason="Gửi {authority} theo quy định mới",
                                                         reason_en="Sent to {authority} under the new rule")
    routing = routing_of(routing.proposal)

    with translation.override("en"):
        assert routing.explanation == "Gửi Giám đốc Sở Xây dựng vì người đề xuất thuộc diện Sở Xây dựng quản lý"


def test_a_rule_without_an_english_reason_reads_in_vietnamese(org):
    rule = RoutingRule(reason="Gửi {authority} theo quy tắc riêng")

    with translation.override("en"):
        assert explain(rule=rule, authority=org.ward) == "Gửi UBND phường Bến Thành theo quy tắc riêng"
