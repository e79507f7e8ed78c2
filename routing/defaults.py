"""The default routing table, written by a migration and restorable by tests that truncate tables."""

import datetime

# The six rules of DOMAIN.md "Who decides", and the same rule for officials managed by a public service unit
# or a state enterprise (their head decides); administrators edit them in the admin afterwards.
RULES = [
    dict(priority=10, name="Công chức, viên chức không giữ chức vụ quản lý",
         submitter_category="staff", target="employing_unit",
         reason="Gửi người đứng đầu {authority} vì người đề xuất không giữ chức vụ quản lý "
                "(đề xuất theo Kế hoạch sáng kiến của Thành phố)",
         reason_en="Sent to the head of {authority} because the proposer holds no management post "
                   "(a proposal under the City's initiative plan)"),
    dict(priority=20, name="Đề xuất liên quan nhiều cơ quan", decree73_subject=True, spans_several_units=True,
         target="common_authority",
         reason="Gửi {authority} vì đề xuất liên quan nhiều cơ quan, đơn vị và {authority} là cấp thấp nhất "
                "quản lý tất cả các cơ quan đó",
         reason_en="Sent to {authority} because the proposal involves several agencies and units and {authority} "
                   "is the lowest level that oversees them all"),
    dict(priority=30, name="Người đề xuất là người đứng đầu cơ quan quản lý", decree73_subject=True,
         submitter_heads_authority=True, target="authority_above",
         reason="Gửi {authority} vì người đề xuất là người đứng đầu cơ quan quản lý mình "
                "(Điều 7 khoản 4 Nghị định 73)",
         reason_en="Sent to {authority} because the proposer heads the authority that manages them "
                   "(Decree 73, Art. 7(4))"),
    dict(priority=40, name="Thuộc diện UBND Thành phố quản lý", decree73_subject=True,
         authority_kind="city_committee", target="managing_authority",
         reason="Gửi UBND Thành phố vì người đề xuất thuộc diện UBND Thành phố quản lý",
         reason_en="Sent to the City People's Committee because it manages the proposer"),
    dict(priority=50, name="Thuộc diện sở, ngành quản lý", decree73_subject=True,
         authority_kind="city_agency", target="managing_authority",
         reason="Gửi Giám đốc {authority} vì người đề xuất thuộc diện {authority} quản lý",
         reason_en="Sent to the Director of {authority} because {authority} manages the proposer"),
    dict(priority=60, name="Thuộc diện UBND cấp cơ sở quản lý", decree73_subject=True,
         authority_kind="local_committee", target="managing_authority",
         reason="Gửi Chủ tịch {authority} vì người đề xuất thuộc diện {authority} quản lý",
         reason_en="Sent to the Chairperson of {authority} because {authority} manages the proposer"),
    dict(priority=70, name="Thuộc diện đơn vị sự nghiệp công lập quản lý", decree73_subject=True,
         authority_kind="public_service_unit", target="managing_authority",
         reason="Gửi người đứng đầu {authority} vì người đề xuất thuộc diện {authority} quản lý",
         reason_en="Sent to the head of {authority} because {authority} manages the proposer"),
    dict(priority=80, name="Thuộc diện doanh nghiệp nhà nước quản lý", decree73_subject=True,
         authority_kind="state_enterprise", target="managing_authority",
         reason="Gửi người đứng đầu {authority} vì người đề xuất thuộc diện {authority} quản lý",
         reason_en="Sent to the head of {authority} because {authority} manages the proposer"),
]


def ensure_default_rules(RoutingRule) -> None:
    """Create the default rules that are missing, and give the default rules still worded as shipped their English
    reason; takes the model so migrations can pass their historical one."""
    # An earlier migration's model may not have every field yet (reason_en came in 0004).
    fields = {field.name for field in RoutingRule._meta.get_fields()}
    for rule in RULES:
        RoutingRule.objects.get_or_create(
            priority=rule["priority"], name=rule["name"],
            defaults={**{key: value for key, value in rule.items() if key in fields},
                      "valid_from": datetime.date(2023, 9, 29)},
        )
        if "reason_en" in fields:
            RoutingRule.objects.filter(priority=rule["priority"], name=rule["name"], reason=rule["reason"],
                                       reason_en="").update(reason_en=rule["reason_en"])
