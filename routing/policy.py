"""Which authority decides a proposal (DOMAIN.md "Who decides").

`route()` reads the submitter's profile and the proposal's scope and answers with a decision; it
never touches proposals, so the rules can be reasoned about — and tested — on their own.
"""

from __future__ import annotations

import dataclasses
import functools
import datetime

from django.utils.translation import gettext as _

from accounts.errors import DomainError
from accounts.models import AuthorityMembership, OrganisationUnit, Post
from routing.models import RoutingRule


class NoRoutingRule(DomainError):
    code = "no_routing_rule"

    def default_message(self) -> str:
        return _(
            "Chưa xác định được cơ quan có thẩm quyền quyết định đề xuất này theo quy tắc hiện hành. "
            "Bản nháp đã được giữ lại và quản trị viên đã được báo để xử lý."
        )


@dataclasses.dataclass(frozen=True)
class SubmitterProfile:
    user_id: int
    post: Post
    involved_authorities: tuple[OrganisationUnit, ...]
    on: datetime.date

    @property
    def managing_authority(self) -> OrganisationUnit:
        return self.post.managing_authority

    @functools.cached_property
    def heads_managing_authority(self) -> bool:
        return heads(self.user_id, self.post, self.managing_authority, self.on)

    @property
    def spans_several_units(self) -> bool:
        authorities = {self.managing_authority.pk, *(a.pk for a in self.involved_authorities)}
        return len(authorities) > 1

    def as_json(self) -> dict:
        return {
            "post": self.post.title,
            "unit": self.post.unit.name,
            "category": self.post.category,
            "managing_authority": self.managing_authority.name,
            "managing_authority_kind": self.managing_authority.kind,
            "heads_managing_authority": self.heads_managing_authority,
            "involved": [a.name for a in self.involved_authorities],
        }


def explain(*, rule: RoutingRule, authority: OrganisationUnit, headed: OrganisationUnit | None = None) -> str:
    """Why `authority` decides, in the reader's language: the rule's reason, or, when the proposer heads the
    authority the rule named (`headed`), that the proposal went one level up (Decree 73, Art. 7(4)). Stored as its
    parts (ProposalRouting), so each reader gets it in their language."""
    if headed is not None:
        return _("Gửi %(above)s vì người đề xuất là người đứng đầu %(authority)s (Điều 7 khoản 4 Nghị định 73)") % {
            "above": authority.name, "authority": headed.name}
    return rule.explain(authority.name)


@dataclasses.dataclass(frozen=True)
class RoutingDecision:
    authority: OrganisationUnit
    rule: RoutingRule
    #: The authority the proposer heads, when the proposal went above it (Decree 73, Art. 7(4)).
    headed: OrganisationUnit | None = None

    @property
    def reason(self) -> str:
        return explain(rule=self.rule, authority=self.authority, headed=self.headed)


def heads(user_id: int, post: Post, authority: OrganisationUnit, on: datetime.date) -> bool:
    if post.is_head and post.unit_id == authority.pk:
        return True
    return AuthorityMembership.objects.current(on).filter(
        authority=authority, user_id=user_id, role=AuthorityMembership.Role.HEAD
    ).exists()


def _matches(rule: RoutingRule, profile: SubmitterProfile) -> bool:
    checks = (
        (rule.submitter_category, lambda: profile.post.category == rule.submitter_category),
        (rule.decree73_subject is not None, lambda: profile.post.is_decree73_subject == rule.decree73_subject),
        (rule.authority_kind, lambda: profile.managing_authority.kind == rule.authority_kind),
        (rule.submitter_heads_authority is not None,
         lambda: profile.heads_managing_authority == rule.submitter_heads_authority),
        (rule.spans_several_units is not None, lambda: profile.spans_several_units == rule.spans_several_units),
    )
    return all(check() for applies, check in checks if applies)


def _lowest_common_authority(units: list[OrganisationUnit]) -> OrganisationUnit:
    paths = [unit.path.strip("/").split("/") for unit in units]
    common = []
    for parts in zip(*paths, strict=False):  # paths differ in depth: compare down to the shortest
        if len(set(parts)) != 1:
            break
        common.append(parts[0])
    if not common:
        return OrganisationUnit.objects.filter(kind=OrganisationUnit.Kind.CITY_COMMITTEE).current().first()
    return OrganisationUnit.objects.get(pk=int(common[-1])).deciding_authority()


def _city_committee(on: datetime.date) -> OrganisationUnit | None:
    return OrganisationUnit.objects.current(on).filter(kind=OrganisationUnit.Kind.CITY_COMMITTEE).first()


def _target(rule: RoutingRule, profile: SubmitterProfile) -> OrganisationUnit | None:
    Target = RoutingRule.Target
    if rule.target == Target.MANAGING_AUTHORITY:
        return profile.managing_authority
    if rule.target == Target.AUTHORITY_ABOVE:
        return profile.managing_authority.authority_above()
    if rule.target == Target.CITY_COMMITTEE:
        return _city_committee(profile.on)
    if rule.target == Target.EMPLOYING_UNIT:
        return profile.post.unit.deciding_authority()
    if rule.target == Target.COMMON_AUTHORITY:
        return _lowest_common_authority([profile.managing_authority, *profile.involved_authorities])
    return rule.target_unit


def route(profile: SubmitterProfile) -> RoutingDecision:
    """The first current rule that matches names the authority; nobody decides their own proposal."""
    for rule in RoutingRule.objects.current(profile.on).select_related("target_unit"):
        if not _matches(rule, profile):
            continue
        authority = _target(rule, profile)
        if authority is None:
            continue
        headed = None
        # Decree 73, Art. 7(4): a head's own proposal goes to the next authority up.
        while heads(profile.user_id, profile.post, authority, profile.on):
            above = authority.authority_above()
            if above is None:
                break
            headed, authority = authority, above
        return RoutingDecision(authority=authority, rule=rule, headed=headed)
    raise NoRoutingRule()
