"""Issued documents signed with the issuing body's certificate (PAdES, pyHanko): a throw-away CA and signer made
with `cryptography` (proposals.signing_ca), signatures validated by pyHanko, a modified file refused."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from proposals import signing, signing_ca
from proposals.models import Decision
from tests.factories import UnitFactory
from tests.helpers import approve, client_for, evaluated, head_of, submitted, vote_passed


@pytest.fixture
def certificates(tmp_path, settings, org):
    """Sở Xây dựng has a certificate from a CA the portal trusts; the ward has none."""
    ca, key = signing_ca.ca_create(tmp_path)
    signing_ca.signer_create(tmp_path, code=org.construction.code, common_name=org.construction.name, ca=ca,
                             ca_key=key)
    settings.DOCUMENT_SIGNING_DIR = str(tmp_path)
    settings.DOCUMENT_SIGNING_TRUST = [str(tmp_path / signing_ca.CA_FILE)]
    return tmp_path


def read(field) -> bytes:
    field.open("rb")
    try:
        return field.read()
    finally:
        field.close()


def text(pdf: bytes) -> str:
    return " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_a_decision_is_signed_by_its_issuing_body_and_the_signature_holds(certificates, org):
    proposal = approve(org.head_dept, submitted(org.proposer_dept))
    pdf = read(proposal.decision.document)

    status = signing.signature_status(pdf)

    assert status.signed and status.intact and status.trusted and status.valid
    assert status.signer == "Sở Xây dựng"
    assert abs((timezone.now() - status.signed_at).total_seconds()) < 300
    assert "(Đã ký số)" in text(pdf) and "chưa được ký số" not in text(pdf)


def test_a_modified_file_fails_validation(certificates, org):
    pdf = read(approve(org.head_dept, submitted(org.proposer_dept)).decision.document)
    at = pdf.index(b"stream", 2000) + 40  # a byte of page content, inside the signed range
    forged = pdf[:at] + bytes([pdf[at] ^ 0x01]) + pdf[at + 1:]

    status = signing.signature_status(forged)

    assert not status.valid and not status.intact


def test_a_signature_from_a_ca_the_portal_does_not_trust_is_not_valid(certificates, org, settings):
    pdf = read(approve(org.head_dept, submitted(org.proposer_dept)).decision.document)
    settings.DOCUMENT_SIGNING_TRUST = []

    status = signing.signature_status(pdf)

    assert status.signed and status.intact and not status.trusted and not status.valid


def test_an_authority_without_a_certificate_issues_unsigned_documents_that_say_so(certificates, org):
    proposal = submitted(org.proposer_ward)
    from proposals import services

    services.proposal_reject(actor=head_of(proposal), proposal=proposal, decision_date=timezone.localdate(),
                             reasons="Chưa đủ cơ sở")
    proposal.refresh_from_db()
    pdf = read(proposal.decision.document)

    assert not signing.signature_status(pdf).signed
    assert "Văn bản chưa được ký số: cơ quan ban hành chưa có chứng thư số trên Cổng." in text(pdf)


def test_the_proposal_page_says_who_signed_each_document_when_and_whether_it_holds(certificates, org):
    proposal = evaluated(org.proposer_dept)
    from proposals import services

    services.proposal_conclude(actor=head_of(proposal), proposal=proposal, conclusion_date=timezone.localdate(),
                               conclusion_text="Hoàn thành", protection_date=timezone.localdate(), tier="not_liable")
    proposal.refresh_from_db()
    decision_url = reverse("proposals:document_signature", args=[proposal.pk, "decision", proposal.decision.pk])
    conclusion_url = reverse("proposals:document_signature",
                             args=[proposal.pk, "conclusion", proposal.conclusion.pk])

    page = client_for(org.proposer_dept).get(proposal.get_absolute_url()).content.decode()
    assert decision_url in page and conclusion_url in page  # loaded beside each document's link
    for url in (decision_url, conclusion_url):
        fragment = client_for(org.proposer_dept).get(url).content.decode()
        assert "Ký số bởi Sở Xây dựng" in fragment and "chữ ký hợp lệ" in fragment
    protection_page = client_for(org.proposer_dept).get(reverse("proposals:protection", args=[proposal.pk]))
    assert "chữ ký hợp lệ" in protection_page.content.decode()
    # the same answer as the documents themselves: 404 to whoever may not see the proposal, and for other files
    assert client_for(org.outsider).get(decision_url).status_code == 404
    assert client_for(org.proposer_dept).get(
        reverse("proposals:document_signature", args=[proposal.pk, "minutes", 1])).status_code == 404


def test_the_demo_command_gives_each_deciding_authority_a_certificate(org, tmp_path, settings):
    from django.core.management import call_command

    settings.DOCUMENT_SIGNING_DIR = str(tmp_path)
    call_command("signing_demo_ca", stdout=io.StringIO())
    call_command("signing_demo_ca", stdout=io.StringIO())  # twice: the CA is kept

    for unit in (org.city, org.construction, org.ward):
        assert signing.credentials(unit) is not None
    long_name = UnitFactory(name="Ban Quản lý các Khu chế xuất và công nghiệp Thành phố Hồ Chí Minh (thử nghiệm)",
                            code="ban-khu-che-xuat", parent=org.city)
    ca, key = signing_ca.ca_create(tmp_path / "other")
    signing_ca.signer_create(tmp_path, code=long_name.code, common_name=long_name.name, ca=ca, ca_key=key)
    assert signing.credentials(long_name) is not None  # a name longer than a certificate's 64 bytes
    assert signing.credentials(org.construction_division) is None  # a division issues nothing


def test_a_certificate_that_cannot_be_opened_stops_the_approval_with_a_clear_message_and_saves_nothing(
        certificates, org):
    (certificates / f"{org.construction.code}.passphrase").write_text("not-the-passphrase\n")
    proposal = submitted(org.proposer_dept)
    head = head_of(proposal)
    client = client_for(head)
    vote_passed(head, proposal)
    response = client.post(reverse("proposals:approve", args=[proposal.pk]),
                           {"approve-decision_date": timezone.localdate().strftime("%d/%m/%Y"), "confirmed": "1"},
                           follow=True)

    assert response.status_code == 200
    assert "không mở được chứng thư số của Sở Xây dựng" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert not Decision.objects.filter(proposal=proposal).exists()
