import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from notifications import services as notification_services
from notifications.models import Category, Notification
from proposals.models import NoticeKind, OutboxMessage
from reports import selectors, services
from reports.errors import NotAllowed
from reports.models import ImplementationPlan, PlanReminder
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import PDF, client_for, deliver_all, uploaded

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
        with pytest.raises(NotAllowed) as refusal:
            file_plan(outsider, org.construction)
        assert refusal.value.code == "not_allowed"
    assert ImplementationPlan.objects.count() == 1


def test_a_plan_needs_measures_and_a_real_document(org):
    from django.core.exceptions import ValidationError

    from reports.errors import DomainError

    with pytest.raises(DomainError) as no_measures:
        file_plan(org.head_dept, org.construction, measures="  ")
    with pytest.raises(ValidationError):
        file_plan(org.head_dept, org.construction, document=SimpleUploadedFile("x.pdf", b"MZ not a pdf"))
    with pytest.raises(DomainError) as dated_tomorrow:
        file_plan(org.head_dept, org.construction, document_date=timezone.localdate() + datetime.timedelta(days=1))
    assert no_measures.value.code == "plan_measures_missing"
    assert dated_tomorrow.value.code == "plan_dated_in_future"
    assert not ImplementationPlan.objects.exists()


def test_home_affairs_sees_who_filed_and_reminds_the_rest(org, django_capture_on_commit_callbacks, enqueued):
    file_plan(org.head_dept, org.construction)

    counts = selectors.plan_counts(year=YEAR)
    missing = list(selectors.plan_overview(year=YEAR, filed="no"))
    with django_capture_on_commit_callbacks(execute=True):
        reminders = services.plan_reminders_send(actor=org.homeaffairs, year=YEAR,
                                                 units=[org.construction, org.ward, org.home_affairs_dept])

    assert counts == {"units": 3, "filed": 1}
    assert {unit.pk for unit in missing} == {org.ward.pk, org.home_affairs_dept.pk}
    # Sở Xây dựng has filed, so it is not reminded; the ward's head is told (Sở Nội vụ has nobody to tell here)
    assert {reminder.unit_id for reminder in reminders} == {org.ward.pk, org.home_affairs_dept.pk}
    assert PlanReminder.objects.get(unit=org.ward).recipients == [org.head_ward.email]
    # the reminder is an outbox message handed to the broker after commit; the service sends no mail itself
    message = OutboxMessage.objects.get()
    assert (message.kind, message.recipient, enqueued) == (NoticeKind.PLAN_REMINDER, org.head_ward, [message.pk])
    assert mail.outbox == []

    assert deliver_all() == 1

    notification = Notification.objects.get(recipient=org.head_ward)
    assert notification.category == Category.ANNUAL_REVIEW
    assert str(YEAR) in notification.title and org.ward.name in notification.body
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [org.head_ward.email]
    assert str(YEAR) in mail.outbox[0].subject


def test_reminding_a_unit_again_tells_it_again_and_only_by_email_if_wanted(org):
    secretary = UserFactory(username="secretary.ward")
    MembershipFactory(user=secretary, authority=org.ward, role="secretariat")
    notification_services.preferences_update(actor=secretary, email_categories=[])

    services.plan_reminders_send(actor=org.homeaffairs, year=YEAR, units=[org.ward])
    services.plan_reminders_send(actor=org.homeaffairs, year=YEAR, units=[org.ward])
    deliver_all()

    assert Notification.objects.filter(recipient=org.head_ward).count() == 2
    assert Notification.objects.filter(recipient=secretary).count() == 2
    assert [m.to for m in mail.outbox] == [[org.head_ward.email]] * 2


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


def test_the_remind_request_queues_the_reminders_and_sends_no_mail_itself(
        org, django_capture_on_commit_callbacks, enqueued):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(org.homeaffairs).post(reverse("reports:plan_remind"), {"year": YEAR, "unit": org.ward.pk})

    assert response.status_code == 302
    assert mail.outbox == []
    assert enqueued == list(OutboxMessage.objects.filter(recipient=org.head_ward).values_list("pk", flat=True))
    assert len(enqueued) == 1


def test_a_plan_document_of_another_unit_is_404_to_a_head(org):
    plan = services.implementation_plan_file(
        actor=org.head_dept, unit=org.construction, year=timezone.localdate().year, document=uploaded("ke-hoach.pdf"),
        document_date=timezone.localdate(), measures="Biện pháp")

    assert client_for(org.head_ward).get(reverse("reports:plan_document", args=[plan.pk])).status_code == 404
    assert client_for(org.head_dept).get(reverse("reports:plan_document", args=[plan.pk])).status_code == 200
