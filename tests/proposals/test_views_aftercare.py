import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from proposals import services
from proposals.models import ConfidentialAccess, Proposal, RetaliationReport
from tests.helpers import (
    approved,
    client_for,
    evaluated,
    head_of,
    reported,
)

TODAY = timezone.localdate().strftime("%d/%m/%Y")


def post(user, proposal, action, data=None, url_name=None):
    url = reverse(f"proposals:{url_name or action}", args=[proposal.pk])
    return client_for(user).post(url, {f"{action}-{k}": v for k, v in (data or {}).items()})


def test_implementation_through_the_pages(org):
    proposal = approved(org.proposer_dept)

    post(org.proposer_dept, proposal, "implementer", {"who": "proposer.staff"})
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
        "conclusion_number": "KL-1", "conclusion_date": TODAY, "conclusion_text": "Kết luận",
        "protection_number": "BV-1", "protection_date": TODAY, "tier": "excluded"})
    assert different.status_code == 200 and "hãy nêu lý do" in different.content.decode()
    post(org.head_dept, proposal, "conclude", {
        "conclusion_number": "KL-1", "conclusion_date": TODAY, "conclusion_text": "Kết luận",
        "protection_number": "BV-1", "protection_date": TODAY, "tier": "considered"})

    proposal.refresh_from_db()
    assert proposal.status == "concluded"
    assert proposal.protection.tier == "considered"


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
    services.proposal_conclude(actor=head_of(proposal), proposal=proposal, conclusion_number="KL",
                               conclusion_date=timezone.localdate(), conclusion_text="x", protection_number="BV",
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
    services.proposal_conclude(actor=head_of(proposal), proposal=proposal, conclusion_number="KL",
                               conclusion_date=timezone.localdate(), conclusion_text="x", protection_number="BV",
                               protection_date=timezone.localdate(), tier="not_liable")
    services.reward_recommend(actor=org.head_dept, proposal=proposal, beneficiary=org.proposer_dept,
                              kind="salary_step", description="Nâng lương")
    client = client_for(org.proposer_dept)

    page = client.get(reverse("proposals:record")).content.decode()
    pdf = client.get(reverse("proposals:record") + "?format=pdf")
    xlsx = client.get(reverse("proposals:record") + "?format=xlsx")

    assert "Nâng bậc lương trước thời hạn 12 tháng" in page
    assert pdf.content.startswith(b"%PDF")
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
