"""Each January the year's review opens and every agency and local committee head is reminded, through the
outbox, to file the unit's implementation plan."""

from django.core import mail
from django.utils import timezone

from notifications import services as notification_services
from notifications.models import Category, Notification
from proposals.models import NoticeKind, OutboxMessage
from reports import services, tasks
from reports.models import AnnualReview
from tests.helpers import deliver_all


def test_every_agency_and_local_committee_head_is_reminded_once_a_year(
        org, django_capture_on_commit_callbacks, enqueued):
    with django_capture_on_commit_callbacks(execute=True):
        queued = services.annual_review_open(year=2025)

    assert AnnualReview.objects.filter(year=2025).exists()
    # Sở Xây dựng and the ward have heads; the City is not a plan-filing unit, Sở Nội vụ has no head here
    assert {message.recipient_id for message in queued} == {org.head_dept.pk, org.head_ward.pk}
    assert {(message.kind, message.key) for message in queued} == {(NoticeKind.ANNUAL_REVIEW, "annual-review:2025")}
    # the reminders are outbox rows handed to the broker after commit; opening the review sends nothing itself
    assert sorted(enqueued) == sorted(message.pk for message in queued)
    assert mail.outbox == []

    assert deliver_all() == 2

    notification = Notification.objects.get(recipient=org.head_ward)
    assert notification.category == Category.ANNUAL_REVIEW and "2025" in notification.title
    assert org.ward.name in notification.body
    assert notification.outbox_message.key == notification.key == "annual-review:2025"
    assert sorted(m.to[0] for m in mail.outbox) == sorted([org.head_dept.email, org.head_ward.email])

    # a second run (a retry, a beat that fired twice) tells nobody again
    assert services.annual_review_open(year=2025) == []
    assert deliver_all() == 0
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(key="annual-review:2025").count() == 2
    # the next year is a new review
    assert len(services.annual_review_open(year=2026)) == 2


def test_a_head_who_wants_no_email_for_plans_is_told_in_app_only(org):
    notification_services.preferences_update(
        actor=org.head_ward, email_categories=[c for c in Category.values if c != Category.ANNUAL_REVIEW])

    services.annual_review_open(year=2025)
    deliver_all()

    assert Notification.objects.filter(recipient=org.head_ward, key="annual-review:2025").exists()
    assert [m.to for m in mail.outbox] == [[org.head_dept.email]]


def test_a_head_told_before_reminders_went_through_the_outbox_is_not_told_again(org):
    # what the January task wrote directly before the outbox carried its reminders
    Notification.objects.create(recipient=org.head_ward, key="annual-review:2025", category=Category.ANNUAL_REVIEW,
                                title="Tổng kết năm 2025", emailed_at=timezone.now())

    services.annual_review_open(year=2025)
    deliver_all()

    assert Notification.objects.filter(recipient=org.head_ward).count() == 1
    assert [m.to for m in mail.outbox] == [[org.head_dept.email]]
    assert not OutboxMessage.objects.filter(delivered_at__isnull=True).exists()


def test_the_january_task_opens_the_review_of_the_year_that_ended(org):
    assert tasks.annual_review_open(2024) == 2
    assert AnnualReview.objects.filter(year=2024).exists()
    assert OutboxMessage.objects.filter(key="annual-review:2024").count() == 2

    assert tasks.annual_review_open() == 2
    assert AnnualReview.objects.filter(year=timezone.localdate().year - 1).exists()
