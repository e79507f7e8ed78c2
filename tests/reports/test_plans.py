import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from reports import selectors, services
from reports.errors import NotAllowed
from reports.models import ImplementationPlan, PlanReminder
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import PDF, client_for, uploaded

YEAR = 2026


def pdf(name="ke-hoach.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def file_plan(actor, unit, **overrides):
    data = {"actor": actor, "unit": unit, "year": YEAR, "document": pdf(),
            "document_date": timezone.localdate(), "measures": "Rà soát thủ tục, khuyến khích đề xuất."}
    data.update(overrides)
    return services.implementation_plan_file(**data)


def test_a_head_files_the_plan_and_refiling_replaces_it(org):
    plan = file_plan(org.head_dept, org.construction)
    first_file = plan.document.name

    again = file_plan(org.head_dept, org.construction, measures="Bản sửa đổi", document=pdf("ban-sua.pdf"))

    assert again.pk == plan.pk
    assert ImplementationPlan.objects.get().measures == "Bản sửa đổi"
    assert again.document_name == "ban-sua.pdf"
    assert again.document.name != first_file


def test_the_secretariat_files_too_but_not_other_people(org):
    secretary = UserFactory(username="secretary.dept")
    MembershipFactory(user=secretary, authority=org.construction, role="secretariat")

    file_plan(secretary, org.construction)

    for outsider in (org.deputy_dept, org.proposer_dept, org.head_ward, org.homeaffairs):
        with pytest.raises(NotAllowed):
            file_plan(outsider, org.construction)
    assert ImplementationPlan.objects.count() == 1


def test_a_plan_needs_measures_and_a_real_document(org):
    from django.core.exceptions import ValidationError

    from reports.errors import DomainError

    with pytest.raises(DomainError):
        file_plan(org.head_dept, org.construction, measures="  ")
    with pytest.raises(ValidationError):
        file_plan(org.head_dept, org.construction, document=SimpleUploadedFile("x.pdf", b"MZ not a pdf"))
    with pytest.raises(DomainError):
        file_plan(org.head_dept, org.construction, document_date=timezone.localdate() + datetime.timedelta(days=1))
    assert not ImplementationPlan.objects.exists()


def test_home_affairs_sees_who_filed_and_reminds_the_rest(org, django_capture_on_commit_callbacks):
    file_plan(org.head_dept, org.construction)

    counts = selectors.plan_counts(year=YEAR)
    missing = list(selectors.plan_overview(year=YEAR, filed="no"))
    with django_capture_on_commit_callbacks(execute=True):
        reminders = services.plan_reminders_send(actor=org.homeaffairs, year=YEAR,
                                                 units=[org.construction, org.ward, org.home_affairs_dept])

    assert counts == {"units": 3, "filed": 1}
    assert {unit.pk for unit in missing} == {org.ward.pk, org.home_affairs_dept.pk}
    # Sở Xây dựng has filed, so it is not reminded; the ward's head gets an e-mail
    assert {reminder.unit_id for reminder in reminders} == {org.ward.pk, org.home_affairs_dept.pk}
    assert PlanReminder.objects.get(unit=org.ward).recipients == [org.head_ward.email]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [org.head_ward.email]
    assert str(YEAR) in mail.outbox[0].subject


def test_only_home_affairs_sends_reminders(org):
    with pytest.raises(NotAllowed):
        services.plan_reminders_send(actor=org.head_dept, year=YEAR, units=[org.ward])


def test_plan_pages_for_home_affairs_and_for_a_head(org, django_assert_max_num_queries):
    file_plan(org.head_dept, org.construction)
    home_affairs, head = client_for(org.homeaffairs), client_for(org.head_dept)

    with django_assert_max_num_queries(14):
        overview = home_affairs.get(reverse("reports:plans"), {"year": YEAR})
    upload = head.post(reverse("reports:plans"), {
        "unit": org.construction.pk, "year": timezone.localdate().year, "document_date": "01/02/2026",
        "measures": "Các biện pháp", "document": pdf()})
    reminded = home_affairs.post(reverse("reports:plan_remind"), {"year": YEAR, "all": "1"})

    assert overview.status_code == 200
    assert [u.pk for u in overview.context["page"].object_list if u.has_plan] == [org.construction.pk]
    assert upload.status_code == 302
    assert reminded.status_code == 302
    assert set(PlanReminder.objects.values_list("unit_id", flat=True)) == {org.ward.pk, org.home_affairs_dept.pk}


def test_plan_documents_are_served_only_to_home_affairs_and_the_unit(org):
    plan = file_plan(org.head_dept, org.construction)
    url = reverse("reports:plan_document", args=[plan.pk])

    assert client_for(org.homeaffairs).get(url).status_code == 200
    assert client_for(org.head_dept).get(url).status_code == 200
    assert client_for(org.head_ward).get(url).status_code == 404
    assert client_for(org.proposer_dept).get(url).status_code == 404


def test_a_head_cannot_file_for_another_unit_through_the_form(org):
    response = client_for(org.head_dept).post(reverse("reports:plans"), {
        "unit": org.ward.pk, "year": timezone.localdate().year, "document_date": "01/02/2026",
        "measures": "x", "document": pdf()})

    assert response.status_code == 200
    assert "unit" in response.context["plan_form"].errors
    assert not ImplementationPlan.objects.exists()


def test_reminding_is_refused_to_others(org):
    response = client_for(org.head_dept).post(reverse("reports:plan_remind"), {"year": YEAR, "all": "1"})

    assert response.status_code == 404
    assert not PlanReminder.objects.exists()


def test_a_plan_document_of_another_unit_is_404_to_a_head(org):
    plan = services.implementation_plan_file(
        actor=org.head_dept, unit=org.construction, year=timezone.localdate().year, document=uploaded("ke-hoach.pdf"),
        document_date=timezone.localdate(), measures="Biện pháp")

    assert client_for(org.head_ward).get(reverse("reports:plan_document", args=[plan.pk])).status_code == 404
    assert client_for(org.head_dept).get(reverse("reports:plan_document", args=[plan.pk])).status_code == 200
