import dataclasses

import pytest

from accounts.models import AuthorityMembership, OrganisationUnit, PositionCategory
from tests.factories import MembershipFactory, PostFactory, UnitFactory, UserFactory

Kind = OrganisationUnit.Kind
Role = AuthorityMembership.Role


@dataclasses.dataclass
class Org:
    """A small city shaped like the demo data: the City, two agencies, a ward, and their people."""

    city: OrganisationUnit
    construction: OrganisationUnit
    construction_division: OrganisationUnit
    home_affairs_dept: OrganisationUnit
    ward: OrganisationUnit
    ward_division: OrganisationUnit
    head_city: object
    head_dept: object
    deputy_dept: object
    head_ward: object
    proposer_city: object
    proposer_dept: object
    proposer_ward: object
    proposer_staff: object
    homeaffairs: object
    outsider: object


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """pytest-django's, but the test databases are created and dropped by the owner role: the tests themselves
    connect as the application's role, as the portal does (portal/database.py)."""
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    from portal.database import as_owner

    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    verbosity = request.config.option.verbose
    with django_db_blocker.unblock(), as_owner():
        databases = setup_databases(verbosity=verbosity, interactive=False, aliases=aliases,
                                    serialized_aliases=serialized_aliases)
    yield
    with django_db_blocker.unblock(), as_owner():
        teardown_databases(databases, verbosity=verbosity)


@pytest.fixture
def database_owner(django_db_blocker):
    """The test connects as the owner instead of the application's role, for what only the owner may do (gather
    statistics with ANALYZE). Request it before `db` or `org`, so that the test's transaction begins as the owner
    (not with the django_db mark, whose transaction begins first)."""
    from portal.database import as_owner

    with django_db_blocker.unblock(), as_owner():
        yield


@pytest.fixture
def reference_data(db):
    """Rows that migrations write (topics, routing rules, role groups); tests on live_server truncate them."""
    from accounts.services import roles_ensure
    from proposals.defaults import ensure_topics
    from proposals.models import Topic
    from routing.defaults import ensure_default_rules
    from routing.models import RoutingRule

    roles_ensure()
    ensure_topics(Topic)
    ensure_default_rules(RoutingRule)


@pytest.fixture
def org(reference_data):
    city = UnitFactory(name="UBND Thành phố Hồ Chí Minh", code="ubnd-tp", kind=Kind.CITY_COMMITTEE)
    construction = UnitFactory(name="Sở Xây dựng", code="so-xay-dung", parent=city)
    construction_division = UnitFactory(name="Phòng Quản lý nhà", code="sxd-qln", kind=Kind.DIVISION, parent=construction)
    home_affairs_dept = UnitFactory(name="Sở Nội vụ", code="so-noi-vu", parent=city)
    ward = UnitFactory(name="UBND phường Bến Thành", code="p-ben-thanh", kind=Kind.LOCAL_COMMITTEE,
                       local_level="ward", parent=city)
    ward_division = UnitFactory(name="Phòng Văn hóa - Xã hội phường Bến Thành", code="pbt-vhxh",
                                kind=Kind.DIVISION, parent=ward)

    head_city = UserFactory(username="head.city", full_name="Nguyễn Văn Phó Chủ tịch")
    PostFactory(user=head_city, unit=city, title="Phó Chủ tịch UBND Thành phố", managing_authority=city)
    MembershipFactory(user=head_city, authority=city, role=Role.HEAD)

    head_dept = UserFactory(username="head.dept", full_name="Trần Thị Giám Đốc")
    PostFactory(user=head_dept, unit=construction, title="Giám đốc", is_head=True, managing_authority=city)
    MembershipFactory(user=head_dept, authority=construction, role=Role.HEAD)

    deputy_dept = UserFactory(username="deputy.dept", full_name="Lê Văn Phó Giám Đốc")
    PostFactory(user=deputy_dept, unit=construction, title="Phó Giám đốc", managing_authority=city)
    MembershipFactory(user=deputy_dept, authority=construction, role=Role.DEPUTY)

    head_ward = UserFactory(username="head.ward", full_name="Phạm Thị Chủ Tịch")
    PostFactory(user=head_ward, unit=ward, title="Chủ tịch UBND phường", is_head=True, managing_authority=city)
    MembershipFactory(user=head_ward, authority=ward, role=Role.HEAD)

    proposer_city = UserFactory(username="proposer.city", full_name="Võ Văn Đề Xuất")
    PostFactory(user=proposer_city, unit=construction, title="Phó Giám đốc", managing_authority=city)

    proposer_dept = UserFactory(username="proposer.dept", full_name="Đặng Thị Trưởng Phòng")
    PostFactory(user=proposer_dept, unit=construction_division, title="Trưởng phòng", is_head=True,
                managing_authority=construction)

    proposer_ward = UserFactory(username="proposer.ward", full_name="Huỳnh Văn Phường")
    PostFactory(user=proposer_ward, unit=ward_division, title="Trưởng phòng", is_head=True, managing_authority=ward)

    proposer_staff = UserFactory(username="proposer.staff", full_name="Bùi Thị Chuyên Viên")
    PostFactory(user=proposer_staff, unit=construction, title="Chuyên viên", category=PositionCategory.STAFF,
                managing_authority=construction)

    homeaffairs = UserFactory(username="homeaffairs", full_name="Ngô Văn Giám Sát")
    PostFactory(user=homeaffairs, unit=home_affairs_dept, title="Chuyên viên", category=PositionCategory.STAFF,
                managing_authority=home_affairs_dept)
    from django.contrib.auth.models import Group

    from accounts.models import HOME_AFFAIRS_GROUP

    homeaffairs.groups.add(Group.objects.get(name=HOME_AFFAIRS_GROUP))

    outsider = UserFactory(username="outsider", full_name="Người Ngoài")
    PostFactory(user=outsider, unit=home_affairs_dept, title="Chuyên viên", category=PositionCategory.STAFF,
                managing_authority=home_affairs_dept)

    return Org(city=city, construction=construction, construction_division=construction_division,
               home_affairs_dept=home_affairs_dept, ward=ward, ward_division=ward_division,
               head_city=head_city, head_dept=head_dept, deputy_dept=deputy_dept, head_ward=head_ward,
               proposer_city=proposer_city, proposer_dept=proposer_dept, proposer_ward=proposer_ward,
               proposer_staff=proposer_staff, homeaffairs=homeaffairs, outsider=outsider)
