"""accounts.selectors.user_standing: what every signed-in page asks about its reader, in one query, agreeing with
the ORM's own answers (groups, ModelBackend's permissions, today's memberships, the principal post)."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import HOME_AFFAIRS_GROUP, AuthorityMembership, User
from accounts.selectors import Membership, post_current_principal, user_standing
from tests.factories import MembershipFactory, PostFactory

pytestmark = pytest.mark.django_db


def _fresh(user) -> User:
    return User.objects.get(pk=user.pk)


def test_one_query_answers_every_question_of_the_request(org):
    user = _fresh(org.head_city)
    with CaptureQueriesContext(connection) as queries:
        standing = user_standing(user=user)
        assert user_standing(user=user) is standing
    assert len(queries) == 1
    assert standing.memberships == (Membership(org.city.pk, "head", org.city.kind),)
    assert standing.post_label == str(post_current_principal(user=user))


def test_groups_and_permissions_are_those_django_finds(org):
    homeaffairs = _fresh(org.homeaffairs)
    homeaffairs.user_permissions.add(Permission.objects.get(codename="view_routingrule"))
    homeaffairs = _fresh(homeaffairs)
    standing = user_standing(user=homeaffairs)
    assert standing.group_names == {HOME_AFFAIRS_GROUP}
    assert standing.permissions == _fresh(homeaffairs).get_all_permissions()
    assert "proposals.view_proposal" in standing.permissions and "routing.view_routingrule" in standing.permissions
    outsider = user_standing(user=_fresh(org.outsider))
    assert outsider.group_names == set() and outsider.permissions == set() and outsider.memberships == ()


def test_only_todays_memberships_count_in_the_order_of_the_tree(org):
    user = org.proposer_staff
    MembershipFactory(user=user, authority=org.ward, role=AuthorityMembership.Role.SECRETARIAT)
    MembershipFactory(user=user, authority=org.construction, role=AuthorityMembership.Role.DEPUTY,
                      valid_from=datetime.date(2020, 1, 1), valid_to=datetime.date(2021, 1, 1))
    MembershipFactory(user=user, authority=org.home_affairs_dept, role=AuthorityMembership.Role.DEPUTY,
                      valid_from=datetime.date(2999, 1, 1))
    standing = user_standing(user=_fresh(user))
    expected = list(AuthorityMembership.objects.current().filter(user=user).values_list(
        "authority_id", "role", "authority__kind"))
    assert [(m.authority_id, m.role, m.authority_kind) for m in standing.memberships] == expected
    assert [m.authority_id for m in standing.memberships] == [org.ward.pk]


def test_an_ended_post_is_not_shown_and_no_post_is_none(org):
    user = org.outsider
    user.posts.update(valid_to=datetime.date(2021, 1, 1))
    assert user_standing(user=_fresh(user)).post_label is None
    PostFactory(user=user, unit=org.ward, title="Chuyên viên", valid_from=datetime.date(2021, 1, 2))
    assert user_standing(user=_fresh(user)).post_label == f"Chuyên viên — {org.ward.name}"
