"""factory_boy factories for the organisation. Proposals are built through the real services, not here."""

import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.models import AuthorityMembership, OrganisationUnit, PositionCategory, Post, User


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Faker("name", locale="vi_VN")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.gov.vn")

    @factory.post_generation
    def password(self, create, extracted, **kwargs):
        self.set_password(extracted or "demo")
        if create:
            self.save(update_fields=["password"])


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = OrganisationUnit

    name = factory.Sequence(lambda n: f"Đơn vị {n}")
    code = factory.Sequence(lambda n: f"unit-{n}")
    kind = OrganisationUnit.Kind.CITY_AGENCY
    valid_from = datetime.date(2000, 1, 1)


class PostFactory(DjangoModelFactory):
    class Meta:
        model = Post

    user = factory.SubFactory(UserFactory)
    unit = factory.SubFactory(UnitFactory)
    title = "Trưởng phòng"
    category = PositionCategory.ADMIN_LEADER
    managing_authority = factory.LazyAttribute(lambda p: p.unit.deciding_authority())
    valid_from = datetime.date(2020, 1, 1)


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = AuthorityMembership

    user = factory.SubFactory(UserFactory)
    authority = factory.SubFactory(UnitFactory)
    role = AuthorityMembership.Role.HEAD
    valid_from = datetime.date(2020, 1, 1)
