import datetime
import io

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from notifications.models import Notification
from proposals import services
from proposals.models import ConfidentialAccess, Proposal, RetaliationReport, Reward
from tests.helpers import (
    approved,
    client_for,
    conclude,
    deliver_all,
    evaluated,
    head_of,
    make_admin,
    reported,
)

TODAY = timezone.localdate().strftime("%d/%m/%Y")
PROTECTION_REASON = "Lý do riêng của quyết định bảo vệ 7Q"


def post(user, proposal, action, data=None, url_name=None):
    url = reverse(f"proposals:{url_name or action}", args=[proposal.pk])
    return client_for(user).post(url, {**{f"{action}-{k}": v for k, v in (data or {}).items()}, "confirmed": "1"})


def test_implementation_through_the_pages(org):
    proposal = approved(org.proposer_dept)

    post(org.proposer_dept, proposal, "implementer", {"who": str(org.proposer_staff.pk)})
    post(org.proposer_dept, proposal, "start")
    over = post(org.proposer_staff, proposal, "progress", {"percent": "120"})
    assert over.status_code == 200 and 'id="error_1_id_progress-percent"' in over.content.decode()
    post(org.proposer_staff, proposal, "progress", {"percent": "40", "milestones": "Xong khảo sát"})
    post(org.head_dept, proposal, "suspend", {"reasons": "Chờ kinh phí"})
    post(org.proposer_dept, proposal, "progress", {"percent": "50"})
    post(org.head_dept, proposal, "resume", {"reasons": "Đã có kinh phí"})
    post(org.proposer_dept, proposal, "complete")

    proposal.refresh_from_db()
    assert proposal.status == "completed"
    page = client_for(org.head_dept).get(proposal.get_absolute_url()).content.decode()
    assert "Báo cáo trong thời gian có lệnh tạm dừng" in page
    assert "Chờ kinh phí" in page and "Xong khảo sát" in page
    assert proposal.progress_updates.count() == 2


def test_the_author_cannot_give_orders_and_strangers_get_404(org):
    proposal = approved(org.proposer_dept)
    services.implementation_start(actor=org.proposer_dept, proposal=proposal)

    response = post(org.proposer_dept, proposal, "suspend", {"reasons": "x"})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "implementing"
    for stranger in (org.head_ward, org.outsider):
        assert post(stranger, proposal, "progress", {"percent": "10"}).status_code == 404


def test_evaluation_and_conclusion_through_the_pages(org):
    proposal = evaluated(org.proposer_dept, outcome="partly", damage_caused=True)
    page = client_for(org.head_dept).get(proposal.get_absolute_url()).content.decode()
    assert "Xem xét loại trừ, miễn hoặc giảm nhẹ trách nhiệm" in page

    different = post(org.head_dept, proposal, "conclude", {
        "conclusion_date": TODAY, "conclusion_text": "Kết luận",
        "protection_date": TODAY, "tier": "excluded"})
    assert different.status_code == 200 and "hãy nêu lý do" in different.content.decode()
    post(org.head_dept, proposal, "conclude", {
        "conclusion_date": TODAY, "conclusion_text": "Kết luận",
        "protection_date": TODAY, "tier": "considered"})

    proposal.refresh_from_db()
    assert proposal.status == "concluded"
    assert proposal.protection.tier == "considered"


def test_staff_conclude_without_a_protection_decision_and_the_page_says_their_track(org):
    proposal = evaluated(org.proposer_staff)
    head = client_for(head_of(proposal))

    page = head.get(proposal.get_absolute_url()).content.decode()
    form = head.get(reverse("proposals:conclude_form", args=[proposal.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert "Kế hoạch sáng kiến của Thành phố" in page and "không có quyết định bảo vệ" in page
    assert 'name="conclude-conclusion_text"' in form and 'name="conclude-tier"' not in form
    post(head_of(proposal), proposal, "conclude", {
        "conclusion_date": TODAY, "conclusion_text": "Hoàn thành sáng kiến"})

    proposal.refresh_from_db()
    assert proposal.status == "concluded" and proposal.conclusion.number == "02/KL-SXD"  # after the approval
    assert not hasattr(proposal, "protection")
    assert "Nghị định 73" in client_for(org.proposer_dept).get(
        evaluated(org.proposer_dept).get_absolute_url()).content.decode()


def test_an_evaluation_with_damage_but_no_description_is_refused_beside_the_field(org):
    proposal = reported(org.proposer_dept)
    services.party_opinion_record(actor=org.head_dept, proposal=proposal, document_number="1",
                                  document_date=timezone.localdate(), summary="x", stage="evaluation")

    response = post(org.head_dept, proposal, "evaluation", {
        "meeting_date": TODAY, "members_present": "5", "votes_for": "5", "votes_against": "0", "votes_abstain": "0",
        "head_vote": "for", "outcome": "partly", "damage_caused": "on", "objective_causes": "a",
        "subjective_causes": "b", "followed_plan": "on", "pure_motives": "on", "common_good": "on"})

    assert response.status_code == 200
    assert 'id="error_1_id_evaluation-damage_description"' in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "reported"


@pytest.mark.parametrize(("reader", "status"), [
    ("proposer_dept", 200), ("head_dept", 200), ("head_city", 200), ("homeaffairs", 200),
    ("head_ward", 404), ("outsider", 404),
])
def test_protection_decision_page_and_pdf_are_logged(org, reader, status):
    proposal = evaluated(org.proposer_dept)
    services.proposal_conclude(actor=head_of(proposal), proposal=proposal, conclusion_date=timezone.localdate(), conclusion_text="x",
                               protection_date=timezone.localdate(), tier="not_liable")
    client = client_for(getattr(org, reader))

    page = client.get(reverse("proposals:protection", args=[proposal.pk]))
    pdf = client.get(reverse("proposals:protection_document", args=[proposal.pk]))

    assert page.status_code == status and pdf.status_code == status
    logged = ConfidentialAccess.objects.filter(user=getattr(org, reader)).count()
    assert logged == (2 if status == 200 else 0)
    if status == 200:
        assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    if reader == "homeaffairs":
        assert "Nhật ký truy cập" in page.content.decode()
    elif status == 200:
        assert "Nhật ký truy cập" not in page.content.decode()


def test_retaliation_report_through_the_pages(org):
    proposal = approved(org.proposer_dept)
    client = client_for(org.proposer_dept)

    form = client.get(reverse("proposals:retaliation_new", args=[proposal.pk]))
    assert form.status_code == 200
    empty = client.post(reverse("proposals:retaliation_new", args=[proposal.pk]), {"incident_date": TODAY})
    assert empty.status_code == 200 and not RetaliationReport.objects.exists()
    response = client.post(reverse("proposals:retaliation_new", args=[proposal.pk]), {
        "incident_date": TODAY, "accused": "Trưởng phòng Y", "description": "Bị từ chối cấp tài liệu"})
    report = RetaliationReport.objects.get()
    assert response.status_code == 302
    detail = reverse("proposals:retaliation_detail", args=[report.pk])

    for reader in ("homeaffairs", "head_city", "proposer_dept"):
        assert client_for(getattr(org, reader)).get(detail).status_code == 200
        assert detail in client_for(getattr(org, reader)).get(reverse("proposals:retaliation_list")).content.decode()
    for outsider in ("head_dept", "deputy_dept", "outsider", "head_ward"):
        assert client_for(getattr(org, outsider)).get(detail).status_code == 404
        assert detail not in client_for(getattr(org, outsider)).get(
            reverse("proposals:retaliation_list")).content.decode()
    assert "Trưởng phòng Y" not in client_for(org.head_dept).get(proposal.get_absolute_url()).content.decode()

    client_for(org.homeaffairs).post(detail, {"status": "concluded", "outcome": ""})
    report.refresh_from_db()
    assert report.status == "received"
    client_for(org.homeaffairs).post(detail, {"status": "concluded", "outcome": "Đã xử lý kỷ luật"})
    report.refresh_from_db()
    assert report.status == "concluded"
    assert "Đã kết luận" in client_for(org.proposer_dept).get(detail).content.decode()


def test_only_authors_and_implementers_can_open_the_report_form(org):
    proposal = approved(org.proposer_dept)

    assert client_for(org.head_dept).get(reverse("proposals:retaliation_new", args=[proposal.pk])).status_code == 404
    assert client_for(org.outsider).get(reverse("proposals:retaliation_new", args=[proposal.pk])).status_code == 404


def test_official_record_exports_pdf_and_xlsx(org):
    proposal = evaluated(org.proposer_dept, outcome="completed", plan={"title": '=HYPERLINK("http://x","bấm")'})
    services.proposal_conclude(actor=head_of(proposal), proposal=proposal, conclusion_date=timezone.localdate(), conclusion_text="x",
                               protection_date=timezone.localdate(), tier="not_liable")
    services.reward_recommend(actor=org.head_dept, proposal=proposal, beneficiary=org.proposer_dept,
                              kind="salary_step", description="Nâng lương")
    client = client_for(org.proposer_dept)

    page = client.get(reverse("proposals:record")).content.decode()
    pdf = client.get(reverse("proposals:record") + "?format=pdf")
    xlsx = client.get(reverse("proposals:record") + "?format=xlsx")

    assert "Nâng bậc lương trước thời hạn 12 tháng" in page
    assert pdf.content.startswith(b"%PDF")
    # The record names protection decisions: neither the browser nor a proxy may keep a copy.
    for export in (pdf, xlsx):
        assert export["Cache-Control"] == "private, no-store"
        assert export["X-Content-Type-Options"] == "nosniff"
        assert export["Content-Disposition"].startswith("attachment;")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    title_cell = workbook.active["B2"]
    assert title_cell.value.startswith("=HYPERLINK") and title_cell.data_type == "s"
    assert workbook.active["H2"].value == "Không bị xử lý trách nhiệm"
    assert workbook["Khen thưởng"]["B2"].value == "Nâng bậc lương trước thời hạn 12 tháng"
    # others' records: only Home Affairs
    assert client_for(org.outsider).get(reverse("proposals:record") + f"?user={org.proposer_dept.pk}").status_code == 404
    assert "Nâng bậc lương" in client_for(org.homeaffairs).get(
        reverse("proposals:record") + f"?user={org.proposer_dept.pk}").content.decode()


def test_the_inbox_shows_each_open_clock_and_its_overdue_items(org):
    proposal = reported(org.proposer_dept)
    client = client_for(org.head_dept)

    page = client.get(reverse("review:inbox")).content.decode()
    assert proposal.title in page
    assert "Họp đánh giá: " + proposal.evaluation_due_date.strftime("%d/%m/%Y") in page
    assert proposal.title not in client.get(reverse("review:inbox") + "?overdue=on").content.decode()
    Proposal.objects.filter(pk=proposal.pk).update(evaluation_due_date=datetime.date(2020, 1, 2))
    overdue = client.get(reverse("review:inbox") + "?overdue=on").content.decode()
    assert proposal.title in overdue and "quá hạn" in overdue
    detail = client.get(proposal.get_absolute_url()).content.decode()
    assert "Họp đánh giá: " in detail and "02/01/2020" in detail


def test_an_implementer_does_not_read_the_protection_decision_in_the_history(org):
    proposal = evaluated(org.proposer_dept, implementer=org.proposer_staff)
    conclude(head_of(proposal), proposal, tier="excluded", reasons=PROTECTION_REASON)
    client = client_for(org.proposer_staff)
    assert client.get(reverse("proposals:protection", args=[proposal.pk])).status_code == 404  # holds

    page = client.get(proposal.get_absolute_url()).content.decode()

    assert PROTECTION_REASON not in page
    assert proposal.protection.number not in page


@pytest.mark.parametrize("reader", ["proposer_dept", "homeaffairs", "head_city"])
def test_reading_the_protection_decision_anywhere_is_logged(org, reader):
    proposal = evaluated(org.proposer_dept)
    conclude(head_of(proposal), proposal, tier="excluded", reasons=PROTECTION_REASON)
    user = getattr(org, reader)

    page = client_for(user).get(proposal.get_absolute_url()).content.decode()

    assert PROTECTION_REASON not in page or ConfidentialAccess.objects.filter(user=user).exists()


def test_a_protection_page_is_404_to_an_implementer_who_may_read_the_proposal(org):
    proposal = evaluated(org.proposer_dept, implementer=org.proposer_staff)
    conclude(head_of(proposal), proposal)
    client = client_for(org.proposer_staff)

    assert client.get(proposal.get_absolute_url()).status_code == 200
    assert client.get(reverse("proposals:protection", args=[proposal.pk])).status_code == 404
    assert client.get(reverse("proposals:protection_document", args=[proposal.pk])).status_code == 404
    assert not ConfidentialAccess.objects.filter(user=org.proposer_staff).exists()


def test_opening_an_officials_record_logs_the_protection_decisions_it_shows(org):
    proposal = evaluated(org.proposer_dept)
    conclude(head_of(proposal), proposal)

    response = client_for(org.homeaffairs).get(reverse("proposals:record") + f"?user={org.proposer_dept.pk}")

    assert response.status_code == 200
    assert ConfidentialAccess.objects.filter(user=org.homeaffairs, protection=proposal.protection).exists()


def test_a_reward_id_of_another_proposal_in_the_settle_form_is_404_and_changes_nothing(org):
    victim = evaluated(org.proposer_dept)
    conclude(head_of(victim), victim)
    reward = services.reward_recommend(actor=org.head_dept, proposal=victim, beneficiary=org.proposer_dept,
                                       kind=Reward.Kind.SALARY_STEP, description="Nâng lương")
    own = evaluated(org.proposer_ward)
    conclude(head_of(own), own)

    response = client_for(org.head_ward).post(reverse("proposals:reward_settle", args=[own.pk]), {
        "reward_settle-reward": str(reward.pk), "reward_settle-result": "refused", "reward_settle-note": "x"})

    assert response.status_code == 404
    assert Reward.objects.get(pk=reward.pk).result == Reward.Result.PENDING


def test_administrators_do_not_read_retaliation_reports(org):
    proposal = approved(org.proposer_dept)
    report = services.retaliation_report_file(actor=org.proposer_dept, proposal=proposal,
                                              incident_date=timezone.localdate(), accused="Phó phòng X",
                                              description="Bị gây khó khăn")
    admin = make_admin(org.outsider)

    assert client_for(admin).get(reverse("proposals:retaliation_detail", args=[report.pk])).status_code == 404
    assert "Phó phòng X" not in client_for(admin).get(reverse("proposals:retaliation_list")).content.decode()


def test_retaliation_reports_cannot_be_advanced_by_the_reporter_or_the_authority_involved(org):
    proposal = approved(org.proposer_dept)
    report = services.retaliation_report_file(actor=org.proposer_dept, proposal=proposal,
                                              incident_date=timezone.localdate(), accused="X", description="Y")
    url = reverse("proposals:retaliation_detail", args=[report.pk])

    assert client_for(org.head_dept).post(url, {"status": "concluded", "outcome": "Bác"}).status_code == 404
    client_for(org.proposer_dept).post(url, {"status": "concluded", "outcome": "Tự kết luận"})

    report.refresh_from_db()
    assert report.status == RetaliationReport.Status.RECEIVED and report.outcome == ""


def test_retaliation_notifications_say_nothing_and_link_nowhere(org):
    proposal = approved(org.proposer_dept, title="Đề xuất bị trù dập ABC")
    deliver_all()
    mail.outbox.clear()
    report = services.retaliation_report_file(actor=org.proposer_dept, proposal=proposal,
                                              incident_date=timezone.localdate(), accused="Phó phòng Trù Dập",
                                              description="Mô tả mật XYZ")
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


def test_an_administrator_opening_an_officials_record_sees_no_protection_tier(org):
    proposal = evaluated(org.proposer_dept, outcome="completed")
    services.proposal_conclude(actor=head_of(proposal), proposal=proposal, conclusion_date=timezone.localdate(), conclusion_text="x",
                               protection_date=timezone.localdate(), tier="not_liable")
    administrator = make_admin(org.outsider)
    url = reverse("proposals:record") + f"?user={org.proposer_dept.pk}"
    client = client_for(administrator)

    page = client.get(url)
    pdf = client.get(url + "&format=pdf")
    xlsx = client.get(url + "&format=xlsx")

    assert page.status_code == 200 and proposal.reference in page.content.decode()
    assert "Không bị xử lý trách nhiệm" not in page.content.decode() and "Bảo vệ" not in page.content.decode()
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert [cell.value for cell in sheet[1]][-1] == "Kết quả đánh giá"
    assert "Không bị xử lý trách nhiệm" not in [cell.value for row in sheet.iter_rows() for cell in row]
    # nothing was shown, so nothing is logged as read; the official and Home Affairs still see the tier
    assert not ConfidentialAccess.objects.filter(user=administrator).exists()
    for reader in (org.proposer_dept, org.homeaffairs):
        assert "Không bị xử lý trách nhiệm" in client_for(reader).get(url).content.decode()
