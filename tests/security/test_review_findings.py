"""Security review of every URL the portal serves.

The `test_f*` tests each pin down a finding of the review that has since been fixed (a leak or an
authorisation gap); they fail if it comes back. The other tests pin down properties the review verified
and that no other test covered.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import ADMINISTRATORS_GROUP
from proposals import permissions, services
from proposals.errors import PermissionDenied
from proposals.models import (
    Attachment,
    ConfidentialAccess,
    Proposal,
    RetaliationReport,
    Reward,
)
from tests.factories import MembershipFactory
from tests.helpers import (
    FINDINGS_GOOD_FAITH,
    PDF,
    approved,
    client_for,
    deliver_all,
    draft,
    evaluated,
    head_of,
    submitted,
)

TODAY = timezone.localdate()
PROTECTION_REASON = "Lý do riêng của quyết định bảo vệ 7Q"
PROTECTION_NUMBER = "BV-MAT-77"


# — helpers —————————————————————————————————————————————————————————————————————————————————————————


def make_admin(user):
    user.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))
    return user


def conclude(proposal, *, tier="not_liable", reasons="", number=PROTECTION_NUMBER):
    return services.proposal_conclude(
        actor=head_of(proposal), proposal=proposal, conclusion_number=f"KL-{proposal.pk}", conclusion_date=TODAY,
        conclusion_text="Kết luận", protection_number=number, protection_date=TODAY, tier=tier,
        tier_reasons=reasons)


def evaluated_with_implementer(org, implementer):
    """An approved proposal of proposer.dept carried out with `implementer`, reported and evaluated."""
    proposal = approved(org.proposer_dept)
    services.implementer_add(actor=org.proposer_dept, proposal=proposal, user=implementer)
    services.implementation_start(actor=org.proposer_dept, proposal=proposal)
    services.proposal_complete(actor=org.proposer_dept, proposal=proposal)
    services.results_report_file(actor=org.proposer_dept, proposal=proposal, summary="Đạt",
                                 results_against_plan="Đạt")
    head = head_of(proposal)
    services.party_opinion_record(actor=head, proposal=proposal, document_number="CV-E", document_date=TODAY,
                                  summary="Nhất trí", stage="evaluation")
    services.evaluation_record(
        actor=head, proposal=proposal, meeting_date=TODAY, members_present=5, votes_for=5, votes_against=0,
        votes_abstain=0, head_vote="for", outcome="completed", damage_caused=False, **FINDINGS_GOOD_FAITH)
    proposal.refresh_from_db()
    return proposal


def upload(name="tai-lieu.pdf", content=PDF):
    return SimpleUploadedFile(name, content)


# — findings, fixed ———————————————————————————————————————————————————————————————————————


@pytest.mark.parametrize("who", ["homeaffairs", "admin"])
def test_f1_a_withdrawn_draft_stays_its_authors_alone(org, who):
    proposal = draft(org.proposer_dept, title="Bản nháp riêng chưa từng gửi")
    attachment = services.attachment_add(actor=org.proposer_dept, proposal=proposal, upload=upload())
    services.proposal_withdraw(actor=org.proposer_dept, proposal=proposal, reason="Không gửi nữa")
    reader = org.homeaffairs if who == "homeaffairs" else make_admin(org.outsider)
    client = client_for(reader)

    assert client.get(proposal.get_absolute_url()).status_code == 404
    assert client.get(reverse("proposals:attachment", args=[proposal.pk, attachment.pk])).status_code == 404


def test_f2a_an_implementer_does_not_read_the_protection_decision_in_the_history(org):
    proposal = evaluated_with_implementer(org, org.proposer_staff)
    conclude(proposal, tier="excluded", reasons=PROTECTION_REASON)
    client = client_for(org.proposer_staff)
    assert client.get(reverse("proposals:protection", args=[proposal.pk])).status_code == 404  # holds

    page = client.get(proposal.get_absolute_url()).content.decode()

    assert PROTECTION_REASON not in page
    assert PROTECTION_NUMBER not in page


@pytest.mark.parametrize("reader", ["proposer_dept", "homeaffairs", "head_city"])
def test_f2b_reading_the_protection_decision_anywhere_is_logged(org, reader):
    proposal = evaluated(org.proposer_dept)
    conclude(proposal, tier="excluded", reasons=PROTECTION_REASON)
    user = getattr(org, reader)

    page = client_for(user).get(proposal.get_absolute_url()).content.decode()

    assert PROTECTION_REASON not in page or ConfidentialAccess.objects.filter(user=user).exists()


def test_f3_a_leaver_of_the_authority_above_loses_the_read_grant(org, django_capture_on_commit_callbacks):
    from proposals.tasks import sync_all_authority_grants

    proposal = evaluated(org.proposer_dept)
    conclude(proposal)
    assert client_for(org.head_city).get(proposal.get_absolute_url()).status_code == 200

    membership = org.head_city.memberships.get()
    with django_capture_on_commit_callbacks(execute=True):
        membership.valid_to = TODAY - datetime.timedelta(days=1)
        membership.save()
    sync_all_authority_grants()

    assert client_for(org.head_city).get(proposal.get_absolute_url()).status_code == 404


def test_f4_administrators_do_not_read_retaliation_reports(org):
    proposal = approved(org.proposer_dept)
    report = services.retaliation_report_file(actor=org.proposer_dept, proposal=proposal, incident_date=TODAY,
                                              accused="Phó phòng X", description="Bị gây khó khăn")
    admin = make_admin(org.outsider)

    assert client_for(admin).get(reverse("proposals:retaliation_detail", args=[report.pk])).status_code == 404
    assert "Phó phòng X" not in client_for(admin).get(reverse("proposals:retaliation_list")).content.decode()


def test_f5_an_administrator_cannot_pick_the_authority_for_their_own_proposal(org):
    make_admin(org.proposer_dept)
    proposal = submitted(org.proposer_dept)

    client_for(org.proposer_dept).post(reverse("proposals:transfer", args=[proposal.pk]), {
        "authority": str(org.ward.pk), "reason": "Tôi muốn phường quyết định"})

    proposal.refresh_from_db()
    assert proposal.deciding_authority == org.construction


def test_f6_unsubmitted_revisions_stay_with_the_author(org):
    proposal = submitted(org.proposer_dept)
    services.proposal_return_for_revision(actor=org.head_dept, proposal=proposal, message="Bổ sung số liệu")
    services.proposal_update_content(actor=org.proposer_dept, proposal=proposal,
                                     data={"summary": "Bản sửa đang soạn, chưa gửi"})

    for reader in (org.head_dept, org.homeaffairs):
        assert "Bản sửa đang soạn, chưa gửi" not in client_for(reader).get(proposal.get_absolute_url()).content.decode()


def test_f7_opening_an_officials_record_logs_the_protection_decisions_it_shows(org):
    proposal = evaluated(org.proposer_dept)
    conclude(proposal)

    response = client_for(org.homeaffairs).get(reverse("proposals:record") + f"?user={org.proposer_dept.pk}")

    assert response.status_code == 200
    assert ConfidentialAccess.objects.filter(user=org.homeaffairs, protection=proposal.protection).exists()


def test_f8_a_member_of_the_deciding_authority_is_never_an_implementer(org):
    from proposals.errors import DomainError

    proposal = approved(org.proposer_dept)

    with pytest.raises(DomainError):
        services.implementer_add(actor=org.proposer_dept, proposal=proposal, user=org.deputy_dept)
    assert not proposal.implementer_links.exists()


def test_f8_an_implementer_who_joins_the_authority_does_not_evaluate_their_own_work(
        org, django_capture_on_commit_callbacks):
    proposal = approved(org.proposer_dept)
    services.implementer_add(actor=org.proposer_dept, proposal=proposal, user=org.proposer_staff)
    services.implementation_start(actor=org.proposer_dept, proposal=proposal)
    services.proposal_complete(actor=org.proposer_dept, proposal=proposal)
    services.results_report_file(actor=org.proposer_dept, proposal=proposal, summary="Đạt", results_against_plan="Đạt")
    services.party_opinion_record(actor=org.head_dept, proposal=proposal, document_number="CV-E",
                                  document_date=TODAY, summary="Nhất trí", stage="evaluation")
    with django_capture_on_commit_callbacks(execute=True):
        MembershipFactory(user=org.proposer_staff, authority=org.construction, role="deputy", valid_from=TODAY)
    proposal = Proposal.objects.get(pk=proposal.pk)

    with pytest.raises(PermissionDenied):
        services.evaluation_record(
            actor=org.proposer_staff, proposal=proposal, meeting_date=TODAY, members_present=5, votes_for=5,
            votes_against=0, votes_abstain=0, head_vote="for", outcome="completed", damage_caused=False,
            **FINDINGS_GOOD_FAITH)


def test_f9_malformed_ids_are_not_server_errors(org):
    client = Client(raise_request_exception=False)
    client.force_login(org.homeaffairs)

    assert client.get(reverse("proposals:record") + "?user=abc").status_code in (400, 404)
    assert client.post(reverse("routing:calendar"), {"remove": "abc"}).status_code in (400, 404)


# — verified properties (passing) ——————————————————————————————————————————————————————————————————————


def test_a_reward_id_of_another_proposal_in_the_settle_form_is_404_and_changes_nothing(org):
    victim = evaluated(org.proposer_dept)
    conclude(victim)
    reward = services.reward_recommend(actor=org.head_dept, proposal=victim, beneficiary=org.proposer_dept,
                                       kind=Reward.Kind.SALARY_STEP, description="Nâng lương")
    own = evaluated(org.proposer_ward)
    conclude(own, number="BV-WARD")

    response = client_for(org.head_ward).post(reverse("proposals:reward_settle", args=[own.pk]), {
        "reward_settle-reward": str(reward.pk), "reward_settle-result": "refused", "reward_settle-note": "x"})

    assert response.status_code == 404
    assert Reward.objects.get(pk=reward.pk).result == Reward.Result.PENDING


def test_attachment_ids_of_another_proposal_are_404_for_download_and_removal(org):
    secret = draft(org.proposer_dept)
    attachment = services.attachment_add(actor=org.proposer_dept, proposal=secret, upload=upload("mat.pdf"))
    own = draft(org.proposer_ward)
    client = client_for(org.proposer_ward)

    assert client.get(reverse("proposals:attachment", args=[own.pk, attachment.pk])).status_code == 404
    assert client.post(reverse("proposals:attachment_remove", args=[own.pk, attachment.pk])).status_code == 404
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_document_ids_of_another_proposal_are_404(org):
    victim = approved(org.proposer_dept)
    decision = victim.decision
    opinion = victim.party_opinions.first()
    meeting = victim.meetings.first()
    own = approved(org.proposer_ward)
    client = client_for(org.proposer_ward)

    for kind, pk in (("decision", decision.pk), ("party-opinion", opinion.pk), ("minutes", meeting.pk),
                     ("conclusion", decision.pk), ("progress", decision.pk), ("results-report", decision.pk),
                     ("../decision", decision.pk)):
        try:
            url = reverse("proposals:document", args=[own.pk, kind, pk])
        except Exception:  # a kind that is not a slug has no URL at all
            continue
        assert client.get(url).status_code == 404, kind
    assert client.get(reverse("proposals:document", args=[victim.pk, "decision", decision.pk])).status_code == 404


def test_a_protection_page_is_404_to_an_implementer_who_may_read_the_proposal(org):
    proposal = evaluated_with_implementer(org, org.proposer_staff)
    conclude(proposal)
    client = client_for(org.proposer_staff)

    assert client.get(proposal.get_absolute_url()).status_code == 200
    assert client.get(reverse("proposals:protection", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("proposals:protection_document", args=[proposal.pk])).status_code == 404
    assert not ConfidentialAccess.objects.filter(user=org.proposer_staff).exists()


def test_retaliation_reports_cannot_be_advanced_by_the_reporter_or_the_authority_involved(org):
    proposal = approved(org.proposer_dept)
    report = services.retaliation_report_file(actor=org.proposer_dept, proposal=proposal, incident_date=TODAY,
                                              accused="X", description="Y")
    url = reverse("proposals:retaliation_detail", args=[report.pk])

    assert client_for(org.head_dept).post(url, {"status": "concluded", "outcome": "Bác"}).status_code == 404
    client_for(org.proposer_dept).post(url, {"status": "concluded", "outcome": "Tự kết luận"})

    report.refresh_from_db()
    assert report.status == RetaliationReport.Status.RECEIVED and report.outcome == ""


def test_retaliation_notifications_say_nothing_and_link_nowhere(org):
    from django.core import mail

    from notifications.models import Notification

    proposal = approved(org.proposer_dept, title="Đề xuất bị trù dập ABC")
    deliver_all()
    mail.outbox.clear()
    report = services.retaliation_report_file(actor=org.proposer_dept, proposal=proposal, incident_date=TODAY,
                                              accused="Phó phòng Trù Dập", description="Mô tả mật XYZ")
    services.retaliation_report_advance(actor=org.homeaffairs, report=report, status="examining", note="Ghi chú")
    deliver_all()

    notes = Notification.objects.filter(category="retaliation")
    assert {n.recipient_id for n in notes} == {org.homeaffairs.pk, org.head_city.pk, org.proposer_dept.pk}
    for note in notes:
        text = f"{note.title} {note.body} {note.link}"
        assert note.proposal_id is None and note.link == ""
        for secret in ("Phó phòng Trù Dập", "Mô tả mật XYZ", "Đề xuất bị trù dập ABC", proposal.reference):
            assert secret not in text
    for message in mail.outbox:
        for secret in ("Phó phòng Trù Dập", "Mô tả mật XYZ", "Đề xuất bị trù dập ABC"):
            assert secret not in message.subject + message.body
    assert mail.outbox
    for member in (org.head_dept, org.deputy_dept):
        page = client_for(member).get(reverse("notifications:list")).content.decode()
        assert "Phó phòng Trù Dập" not in page and "Có cập nhật về một phản ánh" not in page
        assert not Notification.objects.filter(recipient=member, category="retaliation").exists()


def test_internal_notes_reach_neither_home_affairs_nor_notifications_nor_history(org):
    proposal = submitted(org.proposer_dept)
    services.note_add(actor=org.deputy_dept, proposal=proposal, text="Nhận xét nội bộ QWE",
                      visibility="internal")
    deliver_all()
    from notifications.models import Notification

    assert "Nhận xét nội bộ QWE" not in client_for(org.homeaffairs).get(proposal.get_absolute_url()).content.decode()
    assert not proposal.events.filter(kind="commented").exists()
    assert not Notification.objects.filter(body__contains="Nhận xét nội bộ QWE").exists()
    assert not Notification.objects.filter(recipient=org.proposer_dept, category="comment").exists()


@pytest.mark.parametrize(("name", "args"), [
    ("proposals:submit", "pk"), ("proposals:withdraw", "pk"), ("proposals:return", "pk"),
    ("proposals:approve", "pk"), ("proposals:reward_settle", "pk"), ("proposals:close", "pk"),
    ("proposals:comment", "pk"), ("notifications:mark_all_read", None), ("reports:plan_remind", None),
])
def test_state_changing_urls_refuse_get(org, name, args):
    proposal = submitted(org.proposer_dept)
    url = reverse(name, args=[proposal.pk] if args else [])

    for user in (org.proposer_dept, org.head_dept, org.homeaffairs):
        assert client_for(user).get(url).status_code in (404, 405), user
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_posts_without_a_csrf_token_are_refused(org):
    proposal = submitted(org.proposer_dept)
    client = Client(enforce_csrf_checks=True)
    client.force_login(org.proposer_dept)

    assert client.post(reverse("proposals:withdraw", args=[proposal.pk]), {"reason": "x"}).status_code == 403
    head = Client(enforce_csrf_checks=True)
    head.force_login(org.head_dept)
    assert head.post(reverse("proposals:return", args=[proposal.pk]), {"return-message": "x"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_login_next_does_not_redirect_off_site(org):
    for target in ("https://evil.example/", "//evil.example/", "https:evil.example"):
        response = Client().post(reverse("login") + f"?next={target}",
                                 {"username": "proposer.dept", "password": "demo", "next": target})
        assert response.status_code == 302
        assert "evil.example" not in response["Location"], target


def test_titles_and_search_targets_are_escaped(org):
    proposal = submitted(org.proposer_dept, title='<script>alert("t")</script>')
    deliver_all()

    for user, url in ((org.head_dept, proposal.get_absolute_url()), (org.head_dept, reverse("notifications:list")),
                      (org.head_dept, reverse("review:inbox")), (org.proposer_dept, reverse("proposals:list"))):
        page = client_for(user).get(url).content.decode()
        assert '<script>alert("t")</script>' not in page, url
    results = client_for(org.proposer_dept).get(
        reverse("proposals:unit_search") + '?q=S&target="><img src=x onerror=alert(1)>').content.decode()
    assert "<img src=x" not in results


def test_an_upload_is_stored_under_a_random_name_with_the_sniffed_type(org):
    proposal = draft(org.proposer_dept)
    attachment = services.attachment_add(actor=org.proposer_dept, proposal=proposal,
                                         upload=upload("..\\..\\etc\\passwd.pdf"))

    assert attachment.original_name == "passwd.pdf"
    assert ".." not in attachment.file.name and "passwd" not in attachment.file.name
    response = client_for(org.proposer_dept).get(reverse("proposals:attachment", args=[proposal.pk, attachment.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")


def test_an_html_file_named_pdf_is_refused(org):
    from django.core.exceptions import ValidationError

    proposal = draft(org.proposer_dept)
    with pytest.raises(ValidationError):
        services.attachment_add(actor=org.proposer_dept, proposal=proposal,
                                upload=upload("bao-cao.pdf", b"<html><script>alert(1)</script></html>"))
    assert not Attachment.objects.exists()


def test_nobody_decides_their_own_proposal_even_after_joining_the_authority(org, django_capture_on_commit_callbacks):
    proposal = submitted(org.proposer_dept)
    with django_capture_on_commit_callbacks(execute=True):
        MembershipFactory(user=org.proposer_dept, authority=org.construction, role="deputy", valid_from=TODAY)
    proposal = Proposal.objects.get(pk=proposal.pk)

    assert not permissions.serves_deciding_authority(org.proposer_dept, proposal)
    assert proposal not in permissions.proposals_to_decide(org.proposer_dept)
    client_for(org.proposer_dept).post(reverse("proposals:return", args=[proposal.pk]), {"return-message": "x"})
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_a_transfer_takes_the_old_authoritys_access_to_files_too(org):
    proposal = submitted(org.proposer_dept)
    services.proposal_transfer(actor=org.head_dept, proposal=proposal, authority=org.ward, reason="Sai thẩm quyền")

    for url in (proposal.get_absolute_url(), reverse("proposals:versions", args=[proposal.pk]),
                reverse("proposals:version", args=[proposal.pk, 1])):
        assert client_for(org.deputy_dept).get(url).status_code == 404, url
    assert client_for(org.head_ward).get(proposal.get_absolute_url()).status_code == 200


def test_a_plan_document_of_another_unit_is_404_to_a_head(org):
    from reports import services as report_services

    plan = report_services.implementation_plan_file(
        actor=org.head_dept, unit=org.construction, year=TODAY.year, document=upload("ke-hoach.pdf"),
        document_date=TODAY, measures="Biện pháp")

    assert client_for(org.head_ward).get(reverse("reports:plan_document", args=[plan.pk])).status_code == 404
    assert client_for(org.head_dept).get(reverse("reports:plan_document", args=[plan.pk])).status_code == 200


def test_f10_the_admin_site_does_not_show_other_peoples_drafts(org, admin_client):
    proposal = draft(org.proposer_dept, title="Bản nháp riêng trong trang quản trị",
                     necessity="Nội dung nháp riêng tư")

    listing = admin_client.get(reverse("admin:proposals_proposal_changelist")).content.decode()
    detail = admin_client.get(reverse("admin:proposals_proposal_change", args=[proposal.pk]))

    assert "Bản nháp riêng trong trang quản trị" not in listing
    assert detail.status_code in (302, 404) or "Nội dung nháp riêng tư" not in detail.content.decode()
