import datetime
import threading
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.utils import timezone

from accounts.models import PositionCategory
from proposals import permissions, services
from proposals.errors import Incomplete, InvalidTransition, NoCurrentPost, PermissionDenied, RoutingFailed
from proposals.models import Attachment, OutboxMessage, Proposal, ProposalEvent, ProposalRouting
from routing.models import RoutingFailure
from tests.factories import PostFactory, UserFactory
from tests.helpers import complete_plan, draft, form_post, submitted, uploaded


def test_a_draft_gets_a_quotable_reference_and_is_seen_by_its_author_only(org):
    proposal = draft(org.proposer_dept)

    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.reference == f"DX-{timezone.localdate().year}-{proposal.pk:06d}"
    assert permissions.can_view(org.proposer_dept, proposal)
    for other in (org.head_dept, org.homeaffairs, org.head_city, org.outsider):
        assert not permissions.can_view(other, proposal)
        assert not permissions.proposals_visible_to(other).filter(pk=proposal.pk).exists()


def test_the_same_form_token_never_creates_two_drafts(org):
    token = uuid.uuid4()

    first = services.proposal_create_draft(actor=org.proposer_dept, data=complete_plan(), creation_token=token)
    second = services.proposal_create_draft(actor=org.proposer_dept, data=complete_plan(), creation_token=token)

    assert first.pk == second.pk
    assert Proposal.objects.filter(author=org.proposer_dept).count() == 1


def test_an_incomplete_draft_can_be_saved(org):
    proposal = services.proposal_create_draft(actor=org.proposer_dept, data={"title": "Ý tưởng"})

    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.necessity == ""


def test_submission_routes_snapshots_and_grants_the_deciding_authority(org):
    proposal = submitted(org.proposer_dept)

    assert proposal.status == Proposal.Status.SUBMITTED
    assert proposal.deciding_authority == org.construction
    assert proposal.routing_reason == "Gửi Giám đốc Sở Xây dựng vì người đề xuất thuộc diện Sở Xây dựng quản lý"
    assert proposal.submitter_unit == org.construction_division
    assert proposal.submitter_managing_authority == org.construction
    assert proposal.submitter_category == PositionCategory.ADMIN_LEADER
    assert proposal.submitter_is_decree73_subject is True
    assert proposal.current_version == 1
    assert proposal.versions.get().content["title"] == proposal.title
    routing = ProposalRouting.objects.get(proposal=proposal)
    assert routing.is_current and routing.rule.priority == 50
    assert set(permissions.decider_ids(proposal)) == {org.head_dept.pk, org.deputy_dept.pk}
    assert proposal.review_due_date > timezone.localdate()
    kinds = list(proposal.events.values_list("kind", flat=True))
    assert kinds == ["created", "submitted", "routed"]
    routed = proposal.events.get(kind="routed")
    assert set(OutboxMessage.objects.filter(event=routed).values_list("recipient_id", flat=True)) == {
        org.head_dept.pk, org.deputy_dept.pk}


def test_who_sees_a_submitted_proposal(org):
    proposal = submitted(org.proposer_dept)

    for viewer in (org.proposer_dept, org.head_dept, org.deputy_dept, org.homeaffairs):
        assert permissions.can_view(viewer, proposal), viewer
    for stranger in (org.head_city, org.head_ward, org.proposer_city, org.outsider):
        assert not permissions.can_view(stranger, proposal), stranger
        assert not permissions.proposals_visible_to(stranger).filter(pk=proposal.pk).exists()


def test_the_snapshot_does_not_follow_later_changes_of_post(org):
    proposal = submitted(org.proposer_dept)
    post = org.proposer_dept.posts.get()
    post.valid_to = timezone.localdate()
    post.save()
    PostFactory(user=org.proposer_dept, unit=org.home_affairs_dept, managing_authority=org.home_affairs_dept,
                valid_from=timezone.localdate() + datetime.timedelta(days=1))

    proposal.refresh_from_db()

    assert proposal.submitter_unit == org.construction_division


def test_a_deputy_does_not_decide_own_proposal(org):
    # the deputy director is managed by the city, so the proposal goes there; with a rule sending it to
    # Sở Xây dựng, the grant must still leave the deputy out
    from routing.models import RoutingRule

    RoutingRule.objects.create(name="x", priority=1, target="named_unit", target_unit=org.construction,
                               reason="Gửi {authority}")
    proposal = submitted(org.deputy_dept)

    assert proposal.deciding_authority == org.construction
    assert permissions.decider_ids(proposal) == [org.head_dept.pk]
    assert not permissions.serves_deciding_authority(org.deputy_dept, proposal)
    assert not permissions.proposals_to_decide(org.deputy_dept).filter(pk=proposal.pk).exists()


def test_incomplete_submission_is_refused_and_changes_nothing(org):
    proposal = draft(org.proposer_dept, bottleneck="", commitment=False, cond_common_good=False)

    with pytest.raises(Incomplete) as refusal:
        services.proposal_submit(actor=org.proposer_dept, proposal=proposal)

    assert refusal.value.code == "incomplete"
    assert set(refusal.value.errors) == {"bottleneck", "commitment", "cond_common_good"}
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.submitted_at is None
    assert not proposal.versions.exists()


def test_budget_needs_a_source(org):
    proposal = draft(org.proposer_dept, budget_source="")

    with pytest.raises(Incomplete) as refusal:
        services.proposal_submit(actor=org.proposer_dept, proposal=proposal)

    assert set(refusal.value.errors) == {"budget_source"}


def test_a_end_dateing_before_it_starts_is_never_stored(org):
    with pytest.raises(ValidationError):
        draft(org.proposer_dept, end_date=datetime.date(2026, 12, 1))

    assert not Proposal.objects.exists()


def test_no_matching_rule_keeps_the_draft_and_tells_administrators(org):
    from routing.models import RoutingRule

    RoutingRule.objects.filter(authority_kind="city_agency").update(valid_to=datetime.date(2024, 1, 1))
    proposal = draft(org.proposer_dept)

    with pytest.raises(RoutingFailed) as refusal:
        services.proposal_submit(actor=org.proposer_dept, proposal=proposal)

    assert refusal.value.code == "routing_failed"
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT
    assert proposal.deciding_authority is None
    failure = RoutingFailure.objects.get()
    assert failure.proposal_reference == proposal.reference
    assert failure.profile["managing_authority"] == "Sở Xây dựng"


def test_without_a_current_post_submission_is_refused(org):
    nobody = UserFactory(username="nobody")
    proposal = draft(nobody)

    with pytest.raises(NoCurrentPost):
        services.proposal_submit(actor=nobody, proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.DRAFT


def test_only_the_author_submits_and_only_once(org):
    proposal = draft(org.proposer_dept)

    with pytest.raises(PermissionDenied):
        services.proposal_submit(actor=org.head_dept, proposal=proposal)
    services.proposal_submit(actor=org.proposer_dept, proposal=proposal)
    with pytest.raises(InvalidTransition) as refusal:
        services.proposal_submit(actor=org.proposer_dept, proposal=proposal)
    assert refusal.value.code == "invalid_transition"


def test_the_author_withdraws_an_undecided_proposal(org):
    proposal = submitted(org.proposer_dept)

    services.proposal_withdraw(actor=org.proposer_dept, proposal=proposal, reason="Đã có quy định mới")

    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.WITHDRAWN
    event = proposal.events.get(kind="withdrawn")
    assert event.from_status == "submitted" and event.details["reason"] == "Đã có quy định mới"
    assert OutboxMessage.objects.filter(event=event).count() == 2
    with pytest.raises(InvalidTransition):
        services.proposal_withdraw(actor=org.proposer_dept, proposal=proposal)


def test_others_cannot_withdraw(org):
    proposal = submitted(org.proposer_dept)

    with pytest.raises(PermissionDenied):
        services.proposal_withdraw(actor=org.head_dept, proposal=proposal)


def test_content_of_a_submitted_proposal_cannot_be_edited(org):
    proposal = submitted(org.proposer_dept)

    with pytest.raises(Exception) as refusal:
        services.proposal_update_content(actor=org.proposer_dept, proposal=proposal, data={"title": "Khác"})

    assert refusal.value.code == "invalid_state"
    proposal.refresh_from_db()
    assert proposal.title == "Số hóa hồ sơ cấp phép xây dựng"


def test_the_audit_trail_cannot_be_changed(org):
    proposal = submitted(org.proposer_dept)
    event = ProposalEvent.objects.filter(proposal=proposal).first()

    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalEvent.objects.filter(pk=event.pk).update(details={"forged": True})
    with pytest.raises(IntegrityError), transaction.atomic():
        ProposalEvent.objects.filter(pk=event.pk).delete()


def test_a_view_grant_lets_someone_read_but_not_act(org):
    proposal = submitted(org.proposer_dept)

    permissions.grant_viewers(proposal, [org.head_city])
    permissions.grant_viewers(proposal, [org.head_city])

    assert permissions.can_view(org.head_city, proposal)
    assert permissions.proposals_visible_to(org.head_city).filter(pk=proposal.pk).count() == 1
    assert not permissions.serves_deciding_authority(org.head_city, proposal)
    assert not permissions.proposals_to_decide(org.head_city).filter(pk=proposal.pk).exists()


def test_an_html_file_named_pdf_is_refused(org):
    proposal = draft(org.proposer_dept)
    with pytest.raises(ValidationError):
        services.attachment_add(actor=org.proposer_dept, proposal=proposal,
                                upload=uploaded("bao-cao.pdf", b"<html><script>alert(1)</script></html>"))
    assert not Attachment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_three_posts_of_one_new_proposal_form_at_once_file_one_proposal(org):
    barrier, sending = threading.Barrier(3), threading.Barrier(3)
    statuses = []

    def post():
        try:
            client = Client()
            client.force_login(org.proposer_dept)
            barrier.wait()
            statuses.append(client.post("/proposals/new/all/", form_post()).status_code)
            # then all three press "send" on the page that checks the plan
            proposal = Proposal.objects.get(author=org.proposer_dept)
            sending.wait()
            statuses.append(client.post(f"/proposals/{proposal.pk}/submit/").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _i in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert statuses == [302] * 6
    filed = Proposal.objects.get(author=org.proposer_dept)
    assert filed.status == Proposal.Status.SUBMITTED
    assert ProposalEvent.objects.filter(proposal=filed, kind="submitted").count() == 1
