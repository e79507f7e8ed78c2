import pytest
from django.contrib.auth.models import Group

from accounts.models import ADMINISTRATORS_GROUP
from proposals import permissions, services
from proposals.errors import DomainError, NotAuthorityMember
from proposals.models import OutboxMessage, ProposalRouting
from tests.factories import UserFactory
from tests.helpers import submitted


def test_the_deciding_authority_transfers_and_access_moves_with_it(org):
    proposal = submitted(org.proposer_dept)

    services.proposal_transfer(actor=org.head_dept, proposal=proposal, authority=org.city,
                               reason="Liên quan cơ chế tài chính của Thành phố")

    proposal.refresh_from_db()
    assert proposal.deciding_authority == org.city
    assert proposal.status == "submitted"
    assert permissions.decider_ids(proposal) == [org.head_city.pk]
    assert not permissions.can_view(org.head_dept, proposal)
    assert permissions.can_view(org.head_city, proposal)
    routings = list(ProposalRouting.objects.filter(proposal=proposal).order_by("created_at"))
    assert [(r.kind, r.is_current) for r in routings] == [("routed", False), ("transferred", True)]
    event = proposal.events.get(kind="transferred")
    assert event.details["from"] == "Sở Xây dựng" and event.details["to"] == org.city.name
    assert set(OutboxMessage.objects.filter(event=event).values_list("recipient_id", flat=True)) == {
        org.head_city.pk, org.proposer_dept.pk}


def test_an_administrator_may_transfer(org):
    admin = UserFactory(username="admin2", is_superuser=True, is_staff=True)
    proposal = submitted(org.proposer_dept)

    services.proposal_transfer(actor=admin, proposal=proposal, authority=org.ward, reason="Địa bàn phường")

    proposal.refresh_from_db()
    assert proposal.deciding_authority == org.ward


def test_an_administrators_group_member_may_transfer(org):
    clerk = UserFactory(username="it.admin")
    clerk.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))
    proposal = submitted(org.proposer_dept)

    services.proposal_transfer(actor=clerk, proposal=proposal, authority=org.ward, reason="Địa bàn phường")

    proposal.refresh_from_db()
    assert proposal.deciding_authority == org.ward
    assert proposal.events.get(kind="transferred").actor == clerk


@pytest.mark.parametrize("actor", ["proposer_dept", "head_city", "homeaffairs", "outsider"])
def test_others_cannot_transfer(org, actor):
    proposal = submitted(org.proposer_dept)

    with pytest.raises(NotAuthorityMember) as refusal:
        services.proposal_transfer(actor=getattr(org, actor), proposal=proposal, authority=org.city, reason="x")

    assert refusal.value.code == "not_authority_member"
    proposal.refresh_from_db()
    assert proposal.deciding_authority == org.construction


def test_transfer_needs_a_reason_and_a_different_working_authority(org):
    proposal = submitted(org.proposer_dept)

    with pytest.raises(DomainError) as refusal:
        services.proposal_transfer(actor=org.head_dept, proposal=proposal, authority=org.city, reason="  ")
    assert refusal.value.code == "reason_missing"
    with pytest.raises(DomainError) as refusal:
        services.proposal_transfer(actor=org.head_dept, proposal=proposal, authority=org.construction, reason="x")
    assert refusal.value.code == "same_authority"
    with pytest.raises(DomainError) as refusal:
        services.proposal_transfer(actor=org.head_dept, proposal=proposal, authority=org.construction_division,
                                   reason="x")
    assert refusal.value.code == "not_an_authority"
    proposal.refresh_from_db()
    assert proposal.deciding_authority == org.construction
    assert not proposal.events.filter(kind="transferred").exists()


def test_a_withdrawn_proposal_cannot_be_transferred(org):
    proposal = submitted(org.proposer_dept)
    services.proposal_withdraw(actor=org.proposer_dept, proposal=proposal)

    with pytest.raises(DomainError) as refusal:
        services.proposal_transfer(actor=org.head_dept, proposal=proposal, authority=org.city, reason="x")
    assert refusal.value.code == "invalid_state"


@pytest.mark.parametrize("author", ["head_dept", "head_ward"])
def test_a_heads_own_proposal_is_never_transferred_to_the_authority_that_head_leads(org, author):
    # The Director of Sở Xây dựng's own proposal is decided by the City (Decree 73, Art. 7(4)); moved down to her
    # department, its deputies would decide their head's proposal. The ward's head is its only member.
    author = getattr(org, author)
    led = {org.head_dept: org.construction, org.head_ward: org.ward}[author]
    proposal = submitted(author)
    assert proposal.deciding_authority == org.city

    with pytest.raises(DomainError) as refusal:
        services.proposal_transfer(actor=org.head_city, proposal=proposal, authority=led, reason="Đúng thẩm quyền")

    assert refusal.value.code == "authority_led_by_author"
    proposal.refresh_from_db()
    assert proposal.deciding_authority == org.city
    assert not ProposalRouting.objects.filter(proposal=proposal, kind=ProposalRouting.Kind.TRANSFERRED).exists()
    assert org.deputy_dept.pk not in permissions.decider_ids(proposal)
    assert not permissions.can_view(org.deputy_dept, proposal)
