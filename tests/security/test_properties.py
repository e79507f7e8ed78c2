"""Security properties that hold across the portal's apps rather than in one of them: every state-changing URL
refuses GET and a POST without a CSRF token, text that people type is escaped on every page that shows it, and a
malformed id in a query or a form is a client error, never a server error.

Who may see or do what on one app's pages is tested beside that app's code (tests/<app>/test_views.py,
test_services_*.py).
"""

import pytest
from django.test import Client
from django.urls import reverse

from tests.helpers import client_for, deliver_all, submitted


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


def test_malformed_ids_are_not_server_errors(org):
    client = Client(raise_request_exception=False)
    client.force_login(org.homeaffairs)

    assert client.get(reverse("proposals:record") + "?user=abc").status_code in (400, 404)
    assert client.post(reverse("routing:calendar"), {"remove": "abc"}).status_code in (400, 404)
