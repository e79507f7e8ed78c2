"""The organisation's invariants: a tree without cycles, validity inside the parent's, one principal
post and one head at a time — checked by `clean()` for forms and by the database for everything else."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from accounts.models import AuthorityMembership, OrganisationUnit, Post
from tests.factories import MembershipFactory, PostFactory, UnitFactory, UserFactory

Kind = OrganisationUnit.Kind
Role = AuthorityMembership.Role

pytestmark = pytest.mark.django_db


def test_clean_refuses_a_unit_as_its_own_parent(org):
    # given
    org.construction.parent = org.construction
    # when / then
    with pytest.raises(ValidationError) as error:
        org.construction.full_clean()
    assert "parent" in error.value.message_dict


def test_clean_refuses_a_descendant_as_parent(org):
    # given: UBND TP → Sở Xây dựng → Phòng Quản lý nhà
    org.construction.parent = org.construction_division
    # when / then
    with pytest.raises(ValidationError) as error:
        org.construction.full_clean()
    assert "parent" in error.value.message_dict


def test_clean_accepts_a_move_to_another_branch(org):
    division = org.construction_division
    division.parent = org.home_affairs_dept

    division.full_clean()  # raises no ValidationError
    division.save()

    division.refresh_from_db()
    assert division.parent == org.home_affairs_dept
    assert division.path == f"{org.home_affairs_dept.path}{division.pk}/"


def test_clean_refuses_validity_starting_before_the_parent():
    parent = UnitFactory(valid_from=datetime.date(2025, 7, 1))
    child = OrganisationUnit(name="Phòng A", code="phong-a", kind=Kind.DIVISION, parent=parent,
                             valid_from=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        child.full_clean()
    assert "valid_from" in error.value.message_dict


def test_clean_refuses_validity_outlasting_an_ended_parent():
    district = UnitFactory(kind=Kind.LOCAL_COMMITTEE, local_level="district", valid_to=datetime.date(2025, 6, 30))
    open_ended = OrganisationUnit(name="Phòng B", code="phong-b", kind=Kind.DIVISION, parent=district,
                                  valid_from=datetime.date(2010, 1, 1))
    late = OrganisationUnit(name="Phòng C", code="phong-c", kind=Kind.DIVISION, parent=district,
                            valid_from=datetime.date(2010, 1, 1), valid_to=datetime.date(2025, 12, 31))
    for child in (open_ended, late):
        with pytest.raises(ValidationError) as error:
            child.full_clean()
        assert "valid_to" in error.value.message_dict
    inside = OrganisationUnit(name="Phòng D", code="phong-d", kind=Kind.DIVISION, parent=district,
                              valid_from=datetime.date(2010, 1, 1), valid_to=datetime.date(2025, 6, 30))
    inside.full_clean()


def test_clean_requires_an_end_date_for_a_unit_with_a_successor():
    ward = UnitFactory(kind=Kind.LOCAL_COMMITTEE, local_level="ward")
    district = UnitFactory(kind=Kind.LOCAL_COMMITTEE, local_level="district", successor=ward)
    with pytest.raises(ValidationError) as error:
        district.full_clean()
    assert "valid_to" in error.value.message_dict


def test_path_follows_the_tree(org):
    assert org.city.path == f"/{org.city.pk}/"
    assert org.construction_division.path == f"/{org.city.pk}/{org.construction.pk}/{org.construction_division.pk}/"
    assert org.construction_division.depth == 2
    assert org.construction_division.ancestor_ids() == [org.city.pk, org.construction.pk]


def test_path_of_descendants_is_re_rooted_when_a_parent_changes(org):
    # given: a team under the division, so the move carries two levels
    team = UnitFactory(name="Tổ A", code="to-a", kind=Kind.DIVISION, parent=org.construction_division)
    # when: the division moves to Sở Nội vụ
    org.construction_division.parent = org.home_affairs_dept
    org.construction_division.save()
    # then
    team.refresh_from_db()
    org.construction_division.refresh_from_db()
    expected = f"/{org.city.pk}/{org.home_affairs_dept.pk}/{org.construction_division.pk}/"
    assert org.construction_division.path == expected
    assert team.path == f"{expected}{team.pk}/"
    assert not OrganisationUnit.objects.filter(path__startswith=org.construction.path).filter(pk=team.pk).exists()


def test_database_refuses_two_overlapping_principal_posts(org):
    user = UserFactory()
    PostFactory(user=user, unit=org.construction, valid_from=datetime.date(2020, 1, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        PostFactory(user=user, unit=org.home_affairs_dept, valid_from=datetime.date(2024, 1, 1))


def test_database_accepts_consecutive_principal_posts_and_overlapping_secondary_ones(org):
    user = UserFactory()
    PostFactory(user=user, unit=org.construction, valid_from=datetime.date(2020, 1, 1),
                valid_to=datetime.date(2023, 12, 31))
    PostFactory(user=user, unit=org.home_affairs_dept, valid_from=datetime.date(2024, 1, 1))
    PostFactory(user=user, unit=org.ward, valid_from=datetime.date(2024, 6, 1), is_principal=False)
    assert Post.objects.filter(user=user).count() == 3
    assert Post.objects.current().principal().get(user=user).unit == org.home_affairs_dept


def _second_principal_post(org):
    return Post(user=org.proposer_dept, unit=org.home_affairs_dept, title="Chuyên viên", category="staff",
                managing_authority=org.home_affairs_dept, valid_from=datetime.date(2025, 1, 1))


def test_clean_refuses_a_second_principal_post(org):
    with pytest.raises(ValidationError) as error:
        _second_principal_post(org).clean()
    assert "is_principal" in error.value.message_dict


def test_full_clean_reports_a_second_principal_post_as_a_validation_error(org):
    with pytest.raises(ValidationError) as error:
        _second_principal_post(org).full_clean()
    assert "is_principal" in error.value.message_dict


def test_clean_refuses_a_division_as_managing_authority(org):
    post = Post(user=UserFactory(), unit=org.construction_division, title="Chuyên viên", category="staff",
                managing_authority=org.construction_division)
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "managing_authority" in error.value.message_dict


def test_database_refuses_two_heads_of_one_authority_at_a_time(org):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(user=org.deputy_dept, authority=org.construction, role=Role.HEAD,
                          valid_from=datetime.date(2024, 1, 1))


def test_heads_may_follow_each_other_and_deputies_may_be_many(org):
    # given: the current head's term ends
    current = AuthorityMembership.objects.get(authority=org.construction, role=Role.HEAD)
    current.valid_to = datetime.date(2025, 12, 31)
    current.save()
    # when
    MembershipFactory(user=UserFactory(), authority=org.construction, role=Role.HEAD,
                      valid_from=datetime.date(2026, 1, 1))
    MembershipFactory(user=UserFactory(), authority=org.construction, role=Role.DEPUTY)
    # then
    assert AuthorityMembership.objects.filter(authority=org.construction, role=Role.HEAD).count() == 2
    assert AuthorityMembership.objects.filter(authority=org.construction, role=Role.DEPUTY).count() == 2


def test_membership_clean_refuses_a_division(org):
    membership = AuthorityMembership(user=org.outsider, authority=org.construction_division, role=Role.HEAD)
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "authority" in error.value.message_dict


def test_a_post_must_lie_within_its_units_validity(org):
    import datetime

    from accounts.models import Post

    district = UnitFactory(name="Quận 1", code="q1-test", kind="local_committee", local_level="district",
                           parent=org.city, valid_to=datetime.date(2025, 6, 30))
    post = Post(user=UserFactory(), unit=district, title="Chuyên viên", category="staff",
                managing_authority=district, valid_from=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "valid_to" in error.value.message_dict
    post.valid_to = datetime.date(2025, 6, 30)
    post.full_clean()
    post.valid_from = datetime.date(1970, 1, 1)
    with pytest.raises(ValidationError) as error:
        post.full_clean()
    assert "valid_from" in error.value.message_dict


def test_a_membership_must_lie_within_its_authoritys_validity(org):
    import datetime

    from accounts.models import AuthorityMembership

    district = UnitFactory(name="Quận 3", code="q3-test", kind="local_committee", local_level="district",
                           parent=org.city, valid_to=datetime.date(2025, 6, 30))
    membership = AuthorityMembership(user=UserFactory(), authority=district, role="deputy",
                                     valid_from=datetime.date(2024, 1, 1))
    with pytest.raises(ValidationError) as error:
        membership.full_clean()
    assert "valid_to" in error.value.message_dict


def test_an_overlapping_membership_gets_a_clear_message(org):
    from accounts.models import AuthorityMembership

    duplicate = AuthorityMembership(user=org.head_dept, authority=org.construction, role="deputy",
                                    valid_from=org.head_dept.memberships.get().valid_from)
    with pytest.raises(ValidationError) as error:
        duplicate.full_clean()
    assert "Người này đã là thành viên của cơ quan này trong khoảng thời gian này." in str(error.value)
