import datetime

from django.utils import timezone

from proposals import permissions
from proposals.tasks import sync_all_authority_grants
from tests.factories import MembershipFactory, UserFactory
from tests.helpers import client_for, conclude, evaluated, head_of, submitted


def test_a_new_member_gets_the_authoritys_proposals_and_a_leaver_loses_them(org, django_capture_on_commit_callbacks):
    proposal = submitted(org.proposer_dept)
    newcomer = UserFactory(username="new.deputy")

    with django_capture_on_commit_callbacks(execute=True):
        MembershipFactory(user=newcomer, authority=org.construction, role="deputy",
                          valid_from=timezone.localdate())
    assert permissions.serves_deciding_authority(newcomer, proposal)

    membership = org.deputy_dept.memberships.get()
    with django_capture_on_commit_callbacks(execute=True):
        membership.valid_to = timezone.localdate() - datetime.timedelta(days=1)
        membership.save()
    proposal.refresh_from_db()
    assert not permissions.serves_deciding_authority(org.deputy_dept, type(proposal).objects.get(pk=proposal.pk))
    assert permissions.serves_deciding_authority(org.head_dept, type(proposal).objects.get(pk=proposal.pk))


def test_the_author_is_never_granted_by_a_sync(org, django_capture_on_commit_callbacks):
    proposal = submitted(org.proposer_dept)

    with django_capture_on_commit_callbacks(execute=True):
        MembershipFactory(user=org.proposer_dept, authority=org.construction, role="secretariat",
                          valid_from=timezone.localdate())

    assert org.proposer_dept.pk not in permissions.decider_ids(proposal)


def test_the_nightly_task_drops_grants_of_memberships_that_ended_by_date(org):
    proposal = submitted(org.proposer_dept)
    # a membership that ended without anybody saving it (valid_to set long ago by an import)
    type(org.deputy_dept.memberships.get()).objects.filter(user=org.deputy_dept).update(
        valid_to=timezone.localdate() - datetime.timedelta(days=1))

    sync_all_authority_grants()

    assert permissions.decider_ids(proposal) == [org.head_dept.pk]


def test_a_leaver_of_the_authority_above_loses_the_read_grant(org, django_capture_on_commit_callbacks):
    proposal = evaluated(org.proposer_dept)
    conclude(head_of(proposal), proposal)
    assert client_for(org.head_city).get(proposal.get_absolute_url()).status_code == 200

    membership = org.head_city.memberships.get()
    with django_capture_on_commit_callbacks(execute=True):
        membership.valid_to = timezone.localdate() - datetime.timedelta(days=1)
        membership.save()
    sync_all_authority_grants()

    assert client_for(org.head_city).get(proposal.get_absolute_url()).status_code == 404
