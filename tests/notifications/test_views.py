import pytest
from django.urls import reverse

from notifications import broker
from notifications.models import Category, Notification, NotificationPreference
from proposals import services as proposal_services
from tests.factories import UserFactory
from tests.helpers import client_for, deliver_all, submitted


@pytest.fixture
def routed(org):
    """A proposal routed to Sở Xây dựng; its members have one notification each."""
    proposal = submitted(org.proposer_dept)
    deliver_all()
    return proposal


def test_the_centre_lists_my_notifications_unread_first_highlighted_with_the_count_in_the_header(org, routed):
    response = client_for(org.deputy_dept).get(reverse("notifications:list"))

    page = response.content.decode()
    assert response.status_code == 200
    assert routed.reference in page and "notification-unread" in page
    assert reverse("notifications:open", args=[Notification.objects.get(recipient=org.deputy_dept).pk]) in page
    assert 'id="unread-notifications">1<' in page


def test_nobody_sees_the_notifications_of_others(org, routed):
    mine = Notification.objects.get(recipient=org.deputy_dept)
    other = client_for(org.proposer_staff)

    assert routed.reference not in other.get(reverse("notifications:list")).content.decode()
    assert other.get(reverse("notifications:open", args=[mine.pk])).status_code == 404
    assert other.post(reverse("notifications:mark_read", args=[mine.pk])).status_code == 404
    assert Notification.objects.get(pk=mine.pk).read_at is None


def test_opening_a_notification_marks_it_read_and_opens_the_proposal(org, routed):
    notification = Notification.objects.get(recipient=org.deputy_dept)
    client = client_for(org.deputy_dept)

    response = client.get(reverse("notifications:open", args=[notification.pk]))

    assert response.status_code == 302 and response["Location"] == routed.get_absolute_url()
    assert Notification.objects.get(pk=notification.pk).read_at is not None
    assert client.get(response["Location"]).status_code == 200
    assert 'id="unread-notifications"' not in client.get(reverse("notifications:list")).content.decode()


def test_after_a_transfer_the_old_authority_gets_no_link_to_what_it_may_no_longer_see(org, routed):
    proposal_services.proposal_transfer(actor=org.head_dept, proposal=routed, authority=org.ward, reason="Sai thẩm quyền")
    notification = Notification.objects.get(recipient=org.deputy_dept, category=Category.ASSIGNED)
    client = client_for(org.deputy_dept)

    page = client.get(reverse("notifications:list")).content.decode()

    assert f'href="{reverse("notifications:open", args=[notification.pk])}"' not in page
    assert "Bạn không còn quyền xem đề xuất này." in page
    assert client.get(reverse("notifications:open", args=[notification.pk])).status_code == 404


def test_mark_one_and_mark_all_read_are_posts(org, routed):
    proposal_services.note_add(actor=org.proposer_dept, proposal=routed, text="Xin bổ sung tài liệu", visibility="thread")
    deliver_all()
    first, second = Notification.objects.filter(recipient=org.deputy_dept).order_by("pk")
    client = client_for(org.deputy_dept)

    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    response = client.post(reverse("notifications:mark_read", args=[first.pk]), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")
    assert Notification.objects.filter(recipient=org.deputy_dept, read_at__isnull=True).get() == second

    client.post(reverse("notifications:mark_all_read"))
    assert not Notification.objects.filter(recipient=org.deputy_dept, read_at__isnull=True).exists()
    assert Notification.objects.get(recipient=org.head_dept, category=Category.ASSIGNED).read_at is None


def test_the_centre_runs_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    for _ in range(6):
        submitted(org.proposer_dept)
    deliver_all()
    client = client_for(org.deputy_dept)
    client.get(reverse("notifications:list"))  # session and the like warm up

    # session, user, groups, two permission lookups (visibility), count, page, unread badge, header's post
    # and memberships: the same for 6 notifications as for 60
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notifications:list"))
    assert response.content.decode().count("notification-unread") == 6


def test_each_person_chooses_per_kind_whether_to_get_email(org):
    client = client_for(org.head_dept)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert page.count('type="checkbox"') == len(Category.values)
    assert page.count("checked") == len(Category.values)  # e-mail is on until someone turns it off

    response = client.post(reverse("notifications:preferences"), {"email_categories": [Category.DECISION]})

    assert response.status_code == 302
    assert dict(NotificationPreference.objects.filter(user=org.head_dept).values_list("category", "email")) == {
        c: c == Category.DECISION for c in Category.values}
    assert client.post(reverse("notifications:preferences"), {"email_categories": ["nope"]}).status_code == 400


def test_the_preferences_page_runs_a_fixed_number_of_queries(org, django_assert_max_num_queries):
    client = client_for(org.head_dept)
    client.get(reverse("notifications:preferences"))
    with django_assert_max_num_queries(8):
        assert client.get(reverse("notifications:preferences")).status_code == 200


def test_the_centre_needs_sign_in(client):
    response = client.get(reverse("notifications:list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_administrators_are_told_when_background_delivery_is_paused(org, broker_down, monkeypatch):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    checks = []
    real_check = broker._check
    monkeypatch.setattr(broker, "_check", lambda: checks.append(1) or real_check())
    client = client_for(admin)

    first = client.get(reverse("notifications:list")).content.decode()
    second = client.get(reverse("proposals:list")).content.decode()

    assert 'id="broker-paused"' in first and 'id="broker-paused"' in second
    assert len(checks) == 1  # the answer is kept for half a minute, not asked on every page
    assert 'id="broker-paused"' not in client_for(org.proposer_dept).get(reverse("notifications:list")).content.decode()


def test_no_notice_when_the_broker_answers(org):
    admin = UserFactory(username="admin", is_superuser=True, is_staff=True)
    assert 'id="broker-paused"' not in client_for(admin).get(reverse("notifications:list")).content.decode()
