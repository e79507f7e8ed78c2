"""`python manage.py seed_demo`: the demo organisation of Ho Chi Minh City and its demo accounts.

Idempotent: units are keyed on `code`, people on `username`, posts on (person, principal), memberships
on (person, authority); a row is written only when it differs from what the seed wants, so a second
run changes nothing. The password of every account is `demo`, or `DEMO_PASSWORD` when that is set.

The demo accounts are exactly those of DESIGN.md "Demo data". They are placed so that the routing
rules send each proposer's proposal to exactly one demo decider:

    proposer.dept  → Sở Xây dựng        (head.dept)
    proposer.staff → Sở Xây dựng        (head.dept)
    proposer.city  → UBND Thành phố     (head.city)
    head.dept      → UBND Thành phố     (head.city)
    proposer.ward  → UBND phường Bến Thành (head.ward)

so no other demo account is a member of those authorities, and UBND Thành phố has no member but
head.city. Around them a few hundred further officials (`canbo001`…) hold posts in every unit, and
every other authority has a head member, so any proposal can be decided.
"""

from __future__ import annotations

import dataclasses
import datetime
import os
import random

from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import (
    ADMINISTRATORS_GROUP,
    HOME_AFFAIRS_GROUP,
    AuthorityMembership,
    OrganisationUnit,
    PositionCategory,
    Post,
    User,
)
from accounts.services import roles_ensure

Kind = OrganisationUnit.Kind
Level = OrganisationUnit.LocalLevel
Role = AuthorityMembership.Role
Cat = PositionCategory

EMAIL_DOMAIN = "demo.hochiminhcity.gov.vn"
NAME_SEED = 73  # Decree 73; fixed so that reruns give every `canboNNN` the same name
CITY_FROM = datetime.date(1976, 7, 2)  # Sài Gòn – Gia Định becomes Thành phố Hồ Chí Minh
NEW_CITY = datetime.date(2025, 7, 1)  # merger with Bình Dương and Bà Rịa – Vũng Tàu; districts abolished
DISTRICTS_END = datetime.date(2025, 6, 30)
PLANNING_FROM = datetime.date(2025, 10, 1)  # Sở Quy hoạch - Kiến trúc re-established

# The 16 specialised agencies of UBND Thành phố: the 15 set up by HĐND on 1 Jul 2025 after the merger,
# and Sở Quy hoạch - Kiến trúc, split again from Sở Xây dựng from 1 Oct 2025.
# (code, name, short name, valid from, head title, deputy title, divisions [(suffix, name)])
_OFFICE = ("van-phong", "Văn phòng Sở")
AGENCIES = [
    ("vp-ubnd", "Văn phòng UBND Thành phố", "VP UBND TP", NEW_CITY, "Chánh Văn phòng", "Phó Chánh Văn phòng",
     [("tong-hop", "Phòng Tổng hợp"), ("hc-tc", "Phòng Hành chính - Tổ chức"), ("kinh-te", "Phòng Kinh tế")]),
    ("so-tai-chinh", "Sở Tài chính", "STC", NEW_CITY, "Giám đốc", "Phó Giám đốc",
     [_OFFICE, ("ngan-sach", "Phòng Quản lý ngân sách"), ("dau-tu", "Phòng Quản lý đầu tư")]),
    ("so-noi-vu", "Sở Nội vụ", "SNV", NEW_CITY, "Giám đốc", "Phó Giám đốc",
     [_OFFICE, ("cong-chuc", "Phòng Công chức, viên chức"), ("to-chuc", "Phòng Tổ chức bộ máy")]),
    ("so-xay-dung", "Sở Xây dựng", "SXD", NEW_CITY, "Giám đốc", "Phó Giám đốc",
     [_OFFICE, ("qln-bds", "Phòng Quản lý nhà và Thị trường bất động sản"),
      ("phat-trien-do-thi", "Phòng Phát triển đô thị"), ("ha-tang", "Phòng Quản lý hạ tầng kỹ thuật")]),
    ("so-y-te", "Sở Y tế", "SYT", NEW_CITY, "Giám đốc", "Phó Giám đốc",
     [_OFFICE, ("nghiep-vu-y", "Phòng Nghiệp vụ Y"), ("to-chuc-can-bo", "Phòng Tổ chức cán bộ")]),
    ("so-gd-dt", "Sở Giáo dục và Đào tạo", "SGDĐT", NEW_CITY, "Giám đốc", "Phó Giám đốc",
     [_OFFICE, ("trung-hoc", "Phòng Giáo dục Trung học"), ("to-chuc-can-bo", "Phòng Tổ chức cán bộ")]),
    ("so-tu-phap", "Sở Tư pháp", "STP", NEW_CITY, "Giám đốc", "Phó Giám đốc",
     [_OFFICE, ("van-ban", "Phòng Xây dựng và Kiểm tra văn bản"), ("bo-tro", "Phòng Bổ trợ tư pháp")]),
    ("so-cong-thuong", "Sở Công Thương", "SCT", NEW_CITY, "Giám đốc", "Phó Giám đốc",
     [_OFFICE, ("cong-nghiep", "Phòng Quản lý công nghiệp"), ("thuong-mai", "Phòng Quản lý thương mại")]),
    ("so-khcn", "Sở Khoa học và Công nghệ", "SKHCN", NEW_CITY, "Giám đốc", "Phó Giám đốc",
     [_OFFICE, ("chuyen-doi-so", "Phòng Chuyển đổi số"), ("quan-ly-khoa-hoc", "Phòng Quản lý khoa học")]),
    ("so-vh-tt", "Sở Văn hóa và Thể thao", "SVHTT", NEW_CITY, "Giám đốc", "Phó Giám đốc",
     [_OFFICE, ("van-hoa", "Phòng Quản lý văn hóa"), ("the-thao", "Phòng Thể dục thể thao")]),
    ("so-du-lich", "Sở Du lịch", "SDL", NEW_CITY, "Giám đốc", "Phó Giám đốc",
     [_OFFICE, ("lu-hanh", "Phòng Quản lý lữ hành"), ("xuc-tien", "Phòng Xúc tiến du lịch")]),
    ("so-nn-mt", "Sở Nông nghiệp và Môi trường", "SNNMT", NEW_CITY, "Giám đốc", "Phó Giám đốc",
     [_OFFICE, ("moi-truong", "Phòng Quản lý môi trường"), ("dat-dai", "Phòng Quản lý đất đai")]),
    ("so-dt-tg", "Sở Dân tộc và Tôn giáo", "SDTTG", NEW_CITY, "Giám đốc", "Phó Giám đốc",
     [_OFFICE, ("dan-toc", "Phòng Công tác dân tộc"), ("ton-giao", "Phòng Công tác tôn giáo")]),
    ("thanh-tra-tp", "Thanh tra Thành phố", "TTTP", NEW_CITY, "Chánh Thanh tra", "Phó Chánh Thanh tra",
     [("van-phong", "Văn phòng"), ("nghiep-vu-1", "Phòng Nghiệp vụ 1"),
      ("pctn", "Phòng Phòng, chống tham nhũng")]),
    ("so-qh-kt", "Sở Quy hoạch - Kiến trúc", "SQHKT", PLANNING_FROM, "Giám đốc", "Phó Giám đốc",
     [("van-phong", "Văn phòng"), ("quy-hoach-chung", "Phòng Quy hoạch chung"),
      ("kiem-tra-phap-che", "Phòng Kiểm tra và Pháp chế")]),
    ("so-attp", "Sở An toàn thực phẩm", "SATTP", NEW_CITY, "Giám đốc", "Phó Giám đốc",
     [_OFFICE, ("cap-phep", "Phòng Cấp phép"), ("chat-luong", "Phòng Quản lý chất lượng")]),
]

# Wards, communes and the special zone in force since 1 Jul 2025: (code, place, level).
WARDS = [
    ("p-ben-thanh", "phường Bến Thành", Level.WARD),
    ("p-sai-gon", "phường Sài Gòn", Level.WARD),
    ("p-tan-dinh", "phường Tân Định", Level.WARD),
    ("p-cau-ong-lanh", "phường Cầu Ông Lãnh", Level.WARD),
    ("p-ban-co", "phường Bàn Cờ", Level.WARD),
    ("p-xuan-hoa", "phường Xuân Hòa", Level.WARD),
    ("p-nhieu-loc", "phường Nhiêu Lộc", Level.WARD),
    ("p-cho-quan", "phường Chợ Quán", Level.WARD),
    ("p-cho-lon", "phường Chợ Lớn", Level.WARD),
    ("p-thu-duc", "phường Thủ Đức", Level.WARD),
    ("p-an-khanh", "phường An Khánh", Level.WARD),
    ("p-thu-dau-mot", "phường Thủ Dầu Một", Level.WARD),
    ("p-vung-tau", "phường Vũng Tàu", Level.WARD),
    ("x-binh-chanh", "xã Bình Chánh", Level.COMMUNE),
    ("x-cu-chi", "xã Củ Chi", Level.COMMUNE),
    ("x-can-gio", "xã Cần Giờ", Level.COMMUNE),
    ("dk-con-dao", "đặc khu Côn Đảo", Level.SPECIAL_ZONE),
]
_LEVEL_WORD = {Level.WARD: "phường", Level.COMMUNE: "xã", Level.SPECIAL_ZONE: "đặc khu"}

# Local committees abolished on 30 Jun 2025: (code, name, level, valid from, successor code).
DISTRICTS = [
    ("tp-thu-duc", "UBND thành phố Thủ Đức", Level.CITY_WITHIN_CITY, datetime.date(2021, 1, 1), "p-thu-duc"),
    ("q-1", "UBND Quận 1", Level.DISTRICT, CITY_FROM, "p-sai-gon"),
    ("q-3", "UBND Quận 3", Level.DISTRICT, CITY_FROM, "p-xuan-hoa"),
    ("h-binh-chanh", "UBND huyện Bình Chánh", Level.RURAL_DISTRICT, CITY_FROM, "x-binh-chanh"),
]

# Public service units: (code, name, parent code, head title, deputy title, manager title, staff title).
PUBLIC_SERVICE_UNITS = [
    ("bv-nd-gia-dinh", "Bệnh viện Nhân dân Gia Định", "so-y-te", "Giám đốc", "Phó Giám đốc", "Trưởng khoa", "Bác sĩ"),
    ("bv-nd-115", "Bệnh viện Nhân dân 115", "so-y-te", "Giám đốc", "Phó Giám đốc", "Trưởng khoa", "Bác sĩ"),
    ("thpt-le-hong-phong", "Trường THPT chuyên Lê Hồng Phong", "so-gd-dt", "Hiệu trưởng", "Phó Hiệu trưởng",
     "Tổ trưởng chuyên môn", "Giáo viên"),
    ("ttpvhcc", "Trung tâm Phục vụ hành chính công Thành phố", "ubnd-tp", "Giám đốc", "Phó Giám đốc",
     "Trưởng bộ phận", "Viên chức"),
    ("vien-qhxd", "Viện Quy hoạch Xây dựng Thành phố", "so-qh-kt", "Viện trưởng", "Phó Viện trưởng",
     "Trưởng phòng", "Kiến trúc sư"),
]

# City-owned enterprises: (code, name, short name, valid from, chief executive title).
ENTERPRISES = [
    ("sawaco", "Tổng Công ty Cấp nước Sài Gòn – TNHH MTV", "SAWACO", datetime.date(2010, 7, 1), "Tổng Giám đốc"),
    ("satra", "Tổng Công ty Thương mại Sài Gòn – TNHH MTV", "SATRA", datetime.date(2010, 7, 1), "Tổng Giám đốc"),
    ("citenco", "Công ty TNHH MTV Môi trường Đô thị Thành phố Hồ Chí Minh", "CITENCO", datetime.date(2010, 7, 1),
     "Giám đốc"),
]

# Demo accounts: username → full name (fictional people).
DEMO_NAMES = {
    "proposer.city": "Võ Thành Đạt",
    "proposer.dept": "Đặng Thị Thu Hà",
    "proposer.ward": "Huỳnh Văn Lộc",
    "proposer.staff": "Bùi Thị Ngọc Lan",
    "head.city": "Nguyễn Minh Khoa",
    "head.dept": "Trần Thị Mai Phương",
    "head.ward": "Phạm Quốc Bảo",
    "homeaffairs": "Ngô Thị Thanh Tâm",
    "admin": "Lê Hoàng Nam",
}

SURNAMES = ("Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Huỳnh", "Hoàng", "Võ", "Phan",
            "Vũ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai", "Tô", "Châu")
MIDDLE = {"m": ("Văn", "Hữu", "Minh", "Quốc", "Thanh", "Đức", "Hoàng", "Ngọc", "Tấn", "Công", "Xuân", "Gia",
                "Trung", "Văn Minh"),
          "f": ("Thị", "Ngọc", "Thanh", "Thu", "Kim", "Mỹ", "Bích", "Hồng", "Minh", "Phương", "Thị Thanh",
                "Thị Ngọc")}
GIVEN = {"m": ("An", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Hải", "Hiếu", "Hoàng", "Hùng", "Huy",
               "Khang", "Khoa", "Kiên", "Lâm", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Nhân", "Phong", "Phúc",
               "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thiện", "Thịnh", "Toàn", "Trí", "Trung",
               "Tuấn", "Tùng", "Việt", "Vinh", "Vũ"),
         "f": ("Anh", "Châu", "Chi", "Diễm", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương",
               "Huyền", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung", "Oanh",
               "Phương", "Quyên", "Tâm", "Thảo", "Thư", "Trang", "Trâm", "Tuyết", "Uyên", "Vân", "Vy", "Yến")}


def vietnamese_names(count: int, seed: int = NAME_SEED) -> list[str]:
    """`count` names in Vietnamese order (họ, đệm, tên), the same ones on every run.

    Faker's vi_VN provider supplies the seeded randomness (its own name formats put the given name
    first, so the parts are composed here); without Faker, installed only for development, a seeded
    `random.Random` does the same job."""
    try:
        from faker import Faker
    except ImportError:  # pragma: no cover - production installs without the dev extras
        rng = random.Random(seed)
        pick, surnames = rng.choice, SURNAMES
    else:
        fake = Faker("vi_VN")
        fake.seed_instance(seed)
        pick, surnames = fake.random_element, SURNAMES  # Faker's vi_VN surnames are all in SURNAMES
    names = []
    for _i in range(count):
        sex = pick(("m", "f"))
        names.append(f"{pick(surnames)} {pick(MIDDLE[sex])} {pick(GIVEN[sex])}")
    return names


@dataclasses.dataclass(frozen=True)
class Slot:
    """A post to fill with one of the further officials, and the membership that goes with it."""

    unit: OrganisationUnit
    title: str
    category: str
    managing_authority: OrganisationUnit
    is_head: bool = False
    role: str | None = None
    membership_in: OrganisationUnit | None = None  # defaults to the post's unit


def _post_start(unit: OrganisationUnit) -> datetime.date:
    return max(unit.valid_from, NEW_CITY)


class Command(BaseCommand):
    help = _("Tạo dữ liệu mẫu: đơn vị của TP. Hồ Chí Minh, các tài khoản demo và vài trăm cán bộ (chạy lại an toàn).")

    def add_arguments(self, parser):
        parser.add_argument("--organisation-only", action="store_true",
                            help=_("Chỉ tạo đơn vị, tài khoản và chức vụ, không tạo đề xuất mẫu."))

    def handle(self, *args, **options):
        self.stats = {"units": [0, 0], "users": [0, 0], "posts": [0, 0], "memberships": [0, 0]}
        roles_ensure()
        with transaction.atomic():
            self.password_hash = self._password_hash()
            units = self._units()
            self._demo_accounts(units)
            self._officials(self._slots(units))
        self._summary()
        # Proposals over the last three years, through the real services; named, not imported, since accounts
        # does not depend on proposals.
        if not options["organisation_only"]:
            call_command("seed_demo_proposals", stdout=self.stdout, stderr=self.stderr)

    # --- helpers ------------------------------------------------------------------------------------

    def _count(self, kind: str, created: bool) -> None:
        self.stats[kind][0 if created else 1] += 1

    def _password_hash(self) -> str:
        """One salted hash shared by every seeded account, reused while it still matches the password:
        hashing once keeps the seed fast, and reusing it means a rerun leaves the rows untouched."""
        password = os.environ.get("DEMO_PASSWORD") or "demo"
        usernames = [*DEMO_NAMES, "canbo001"]
        for encoded in set(User.objects.filter(username__in=usernames).values_list("password", flat=True)):
            if check_password(password, encoded):
                return encoded
        return make_password(password)

    def _unit(self, code: str, *, name: str, kind: str, parent=None, short_name: str = "", local_level: str = "",
              valid_from: datetime.date = NEW_CITY, valid_to=None, successor=None) -> OrganisationUnit:
        unit = OrganisationUnit.objects.filter(code=code).first()
        created = unit is None
        unit = unit or OrganisationUnit(code=code)
        wanted = {"name": name, "short_name": short_name, "kind": kind, "local_level": local_level,
                  "parent_id": parent.pk if parent else None, "valid_from": valid_from, "valid_to": valid_to,
                  "successor_id": successor.pk if successor else None}
        if created or any(getattr(unit, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(unit, field, value)
            unit.full_clean()
            unit.save()
            self._count("units", created)
        return unit

    def _user(self, username: str, *, superuser: bool = False) -> User:
        user = User.objects.filter(username=username).first()
        created = user is None
        user = user or User(username=username)
        wanted = {"full_name": DEMO_NAMES[username], "email": f"{username}@{EMAIL_DOMAIN}",
                  "password": self.password_hash, "is_active": True,
                  "is_staff": superuser, "is_superuser": superuser}
        if created or any(getattr(user, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(user, field, value)
            user.full_clean()
            user.save()
            self._count("users", created)
        return user

    def _principal_post(self, user: User, *, unit: OrganisationUnit, title: str, category: str,
                        managing_authority: OrganisationUnit, is_head: bool = False) -> Post:
        post = user.posts.filter(is_principal=True).order_by("-valid_from").first()
        created = post is None
        post = post or Post(user=user, is_principal=True)
        wanted = {"unit_id": unit.pk, "title": title, "category": category,
                  "managing_authority_id": managing_authority.pk, "is_head": is_head,
                  "valid_from": _post_start(unit), "valid_to": None}
        if created or any(getattr(post, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(post, field, value)
            post.unit, post.managing_authority = unit, managing_authority
            post.full_clean()
            post.save()
            self._count("posts", created)
        return post

    def _membership(self, user: User, authority: OrganisationUnit, role: str) -> AuthorityMembership:
        membership = AuthorityMembership.objects.filter(user=user, authority=authority).first()
        created = membership is None
        membership = membership or AuthorityMembership(user=user, authority=authority)
        wanted = {"role": role, "valid_from": _post_start(authority), "valid_to": None}
        if created or any(getattr(membership, field) != value for field, value in wanted.items()):
            for field, value in wanted.items():
                setattr(membership, field, value)
            membership.full_clean()
            membership.save()
            self._count("memberships", created)
        return membership

    # --- the organisation ---------------------------------------------------------------------------

    def _units(self) -> dict[str, OrganisationUnit]:
        units: dict[str, OrganisationUnit] = {}
        city = units["ubnd-tp"] = self._unit(
            "ubnd-tp", name="UBND Thành phố Hồ Chí Minh", short_name="UBND TP", kind=Kind.CITY_COMMITTEE,
            valid_from=CITY_FROM)
        for code, name, short, valid_from, _head, _deputy, divisions in AGENCIES:
            agency = units[code] = self._unit(code, name=name, short_name=short, kind=Kind.CITY_AGENCY,
                                              parent=city, valid_from=valid_from)
            for suffix, division in divisions:
                units[f"{code}-{suffix}"] = self._unit(f"{code}-{suffix}", name=division, kind=Kind.DIVISION,
                                                       parent=agency, valid_from=valid_from)
        for code, place, level in WARDS:
            ward = units[code] = self._unit(code, name=f"UBND {place}", short_name=place[0].upper() + place[1:],
                                            kind=Kind.LOCAL_COMMITTEE, local_level=level, parent=city)
            economy = "Phòng Kinh tế" if level == Level.COMMUNE else "Phòng Kinh tế, Hạ tầng và Đô thị"
            for suffix, division in (("van-phong", "Văn phòng HĐND và UBND"), ("kinh-te", economy),
                                     ("van-hoa-xa-hoi", "Phòng Văn hóa - Xã hội")):
                units[f"{code}-{suffix}"] = self._unit(f"{code}-{suffix}", name=f"{division} {place}",
                                                       kind=Kind.DIVISION, parent=ward)
        for code, name, level, valid_from, successor in DISTRICTS:
            units[code] = self._unit(code, name=name, kind=Kind.LOCAL_COMMITTEE, local_level=level, parent=city,
                                     valid_from=valid_from, valid_to=DISTRICTS_END, successor=units[successor])
        for code, name, parent, *_titles in PUBLIC_SERVICE_UNITS:
            parent_unit = units[parent]
            units[code] = self._unit(code, name=name, kind=Kind.PUBLIC_SERVICE_UNIT, parent=parent_unit,
                                     valid_from=max(parent_unit.valid_from, NEW_CITY))
        for code, name, short, valid_from, _ceo in ENTERPRISES:
            units[code] = self._unit(code, name=name, short_name=short, kind=Kind.STATE_ENTERPRISE, parent=city,
                                     valid_from=valid_from)
        return units

    # --- the demo accounts --------------------------------------------------------------------------

    def _demo_accounts(self, units: dict[str, OrganisationUnit]) -> None:
        city, construction, ward = units["ubnd-tp"], units["so-xay-dung"], units["p-ben-thanh"]

        user = self._user("head.city")
        self._principal_post(user, unit=city, title="Phó Chủ tịch UBND Thành phố", category=Cat.ADMIN_LEADER,
                             managing_authority=city)
        self._membership(user, city, Role.HEAD)

        user = self._user("head.dept")
        self._principal_post(user, unit=construction, title="Giám đốc", category=Cat.ADMIN_LEADER,
                             managing_authority=city, is_head=True)
        self._membership(user, construction, Role.HEAD)

        user = self._user("head.ward")
        self._principal_post(user, unit=ward, title="Chủ tịch UBND phường", category=Cat.ADMIN_LEADER,
                             managing_authority=city, is_head=True)
        self._membership(user, ward, Role.HEAD)

        self._principal_post(self._user("proposer.city"), unit=construction, title="Phó Giám đốc",
                             category=Cat.ADMIN_LEADER, managing_authority=city)
        self._principal_post(self._user("proposer.dept"), unit=units["so-xay-dung-qln-bds"], title="Trưởng phòng",
                             category=Cat.ADMIN_LEADER, managing_authority=construction, is_head=True)
        self._principal_post(self._user("proposer.ward"), unit=units["p-ben-thanh-kinh-te"], title="Trưởng phòng",
                             category=Cat.ADMIN_LEADER, managing_authority=ward, is_head=True)
        self._principal_post(self._user("proposer.staff"), unit=construction, title="Chuyên viên",
                             category=Cat.STAFF, managing_authority=construction)

        user = self._user("homeaffairs")
        self._principal_post(user, unit=units["so-noi-vu"], title="Chuyên viên theo dõi, giám sát",
                             category=Cat.STAFF, managing_authority=units["so-noi-vu"])
        user.groups.add(Group.objects.get(name=HOME_AFFAIRS_GROUP))

        user = self._user("admin", superuser=True)
        self._principal_post(user, unit=units["so-khcn-chuyen-doi-so"], title="Chuyên viên quản trị hệ thống",
                             category=Cat.STAFF, managing_authority=units["so-khcn"])
        user.groups.add(Group.objects.get(name=ADMINISTRATORS_GROUP))

    # --- the further officials ----------------------------------------------------------------------

    def _slots(self, units: dict[str, OrganisationUnit]) -> list[Slot]:
        """Every post the further officials fill, in a fixed order (so `canbo001` is always the same post)."""
        city = units["ubnd-tp"]
        A, S = Cat.ADMIN_LEADER, Cat.STAFF
        slots = [Slot(city, "Chủ tịch UBND Thành phố", A, city, is_head=True)]  # not a member: head.city decides
        slots += [Slot(city, "Phó Chủ tịch UBND Thành phố", A, city) for _i in range(3)]

        for code, _name, _short, _from, head, deputy, divisions in AGENCIES:
            agency = units[code]
            construction = code == "so-xay-dung"
            if not construction:  # head.dept heads Sở Xây dựng
                slots.append(Slot(agency, head, A, city, is_head=True, role=Role.HEAD))
            slots.append(Slot(agency, deputy, A, city, role=Role.DEPUTY))
            if not construction:  # proposer.city is the other deputy of Sở Xây dựng
                slots.append(Slot(agency, deputy, A, city))
            for suffix, division_name in divisions:
                division = units[f"{code}-{suffix}"]
                office = division_name.startswith("Văn phòng")
                if not (construction and suffix == "qln-bds"):  # proposer.dept heads that division
                    slots.append(Slot(division, "Chánh Văn phòng" if office else "Trưởng phòng", A, agency,
                                      is_head=True))
                slots.append(Slot(division, "Phó Chánh Văn phòng" if office else "Phó Trưởng phòng", A, agency))
                slots.append(Slot(division, "Chuyên viên", S, agency, role=Role.SECRETARIAT if office else None,
                                  membership_in=agency if office else None))
                slots.append(Slot(division, "Chuyên viên", S, agency))

        for code, _place, level in WARDS:
            ward = units[code]
            word = _LEVEL_WORD[level]
            ben_thanh = code == "p-ben-thanh"  # only head.ward is a member of the demo ward
            if not ben_thanh:
                slots.append(Slot(ward, f"Chủ tịch UBND {word}", A, city, is_head=True, role=Role.HEAD))
            slots.append(Slot(ward, f"Phó Chủ tịch UBND {word}", A, city, role=None if ben_thanh else Role.DEPUTY))
            slots.append(Slot(ward, f"Phó Chủ tịch UBND {word}", A, city))
            for suffix in ("van-phong", "kinh-te", "van-hoa-xa-hoi"):
                division = units[f"{code}-{suffix}"]
                if not (ben_thanh and suffix == "kinh-te"):  # proposer.ward heads that division
                    slots.append(Slot(division, "Chánh Văn phòng" if suffix == "van-phong" else "Trưởng phòng",
                                      A, ward, is_head=True))
                slots.append(Slot(division, "Chuyên viên", S, ward))

        P = Cat.PSU_MANAGER
        for code, _name, parent, head, deputy, manager, staff in PUBLIC_SERVICE_UNITS:
            psu, above = units[code], units[parent]
            slots.append(Slot(psu, head, P, above, is_head=True, role=Role.HEAD))
            slots += [Slot(psu, deputy, P, above, role=Role.DEPUTY), Slot(psu, deputy, P, above)]
            slots += [Slot(psu, manager, P, psu) for _i in range(3)]
            slots += [Slot(psu, staff, S, psu) for _i in range(2)]

        E = Cat.SOE_OFFICER
        for code, _name, _short, _from, ceo in ENTERPRISES:
            soe = units[code]
            slots += [
                Slot(soe, "Chủ tịch Hội đồng thành viên", E, city, is_head=True, role=Role.HEAD),
                Slot(soe, ceo, E, city, role=Role.DEPUTY),
                Slot(soe, "Kiểm soát viên", E, city),
                Slot(soe, f"Phó {ceo[0].lower()}{ceo[1:]}", E, soe),
                Slot(soe, f"Phó {ceo[0].lower()}{ceo[1:]}", E, soe),
                Slot(soe, "Trưởng phòng Kế hoạch - Đầu tư", E, soe),
                Slot(soe, "Người đại diện phần vốn nhà nước tại công ty con", Cat.SOE_CAPITAL_REP, soe),
                Slot(soe, "Nhân viên", S, soe),
            ]
        return slots

    def _officials(self, slots: list[Slot]) -> None:
        """The further officials, written in bulk: a handful of queries per table whatever their number."""
        usernames = [f"canbo{n:03d}" for n in range(1, len(slots) + 1)]
        names = vietnamese_names(len(slots))

        existing = {u.username: u for u in User.objects.filter(username__in=usernames)}
        fields = ("full_name", "email", "employee_code", "password", "is_active")
        to_create, to_update = [], []
        for n, (username, name) in enumerate(zip(usernames, names, strict=True), start=1):
            wanted = dict(zip(fields, (name, f"{username}@{EMAIL_DOMAIN}", f"CB{n:05d}", self.password_hash, True),
                              strict=True))
            user = existing.get(username)
            if user is None:
                to_create.append(User(username=username, **wanted))
            elif any(getattr(user, field) != value for field, value in wanted.items()):
                for field, value in wanted.items():
                    setattr(user, field, value)
                to_update.append(user)
        User.objects.bulk_create(to_create)
        User.objects.bulk_update(to_update, fields)
        self.stats["users"][0] += len(to_create)
        self.stats["users"][1] += len(to_update)
        users = {u.username: u for u in User.objects.filter(username__in=usernames)}

        posts = {}
        for post in Post.objects.filter(user__in=users.values(), is_principal=True).order_by("valid_from"):
            posts[post.user_id] = post  # the latest principal post of each person
        fields = ("unit", "title", "category", "managing_authority", "is_head", "valid_from", "valid_to")
        to_create, to_update = [], []
        for username, slot in zip(usernames, slots, strict=True):
            user = users[username]
            wanted = dict(zip(fields, (slot.unit, slot.title, slot.category, slot.managing_authority, slot.is_head,
                                       _post_start(slot.unit), None), strict=True))
            post = posts.get(user.pk)
            if post is not None and not any(
                getattr(post, f"{field}_id" if field in ("unit", "managing_authority") else field)
                != (value.pk if isinstance(value, OrganisationUnit) else value)
                for field, value in wanted.items()
            ):
                continue
            post = post or Post(user=user, is_principal=True)
            for field, value in wanted.items():
                setattr(post, field, value)
            post.clean_fields(exclude=["user", "unit", "managing_authority"])
            post.clean()
            (to_update if post.pk else to_create).append(post)
        Post.objects.bulk_create(to_create)
        Post.objects.bulk_update(to_update, fields)
        self.stats["posts"][0] += len(to_create)
        self.stats["posts"][1] += len(to_update)

        have = set(AuthorityMembership.objects.filter(user__in=users.values()).values_list("user_id", "authority_id"))
        headed = set(AuthorityMembership.objects.current(NEW_CITY).filter(role=Role.HEAD)
                     .values_list("authority_id", flat=True))
        headed |= set(AuthorityMembership.objects.current().filter(role=Role.HEAD).values_list("authority_id", flat=True))
        to_create = []
        for username, slot in zip(usernames, slots, strict=True):
            authority = slot.membership_in or slot.unit
            if slot.role is None or (users[username].pk, authority.pk) in have:
                continue
            if slot.role == Role.HEAD:
                if authority.pk in headed:  # someone else already heads it; the database would refuse a second
                    continue
                headed.add(authority.pk)
            membership = AuthorityMembership(user=users[username], authority=authority, role=slot.role,
                                             valid_from=_post_start(authority))
            membership.clean()
            to_create.append(membership)
        AuthorityMembership.objects.bulk_create(to_create)
        self.stats["memberships"][0] += len(to_create)

    # --- report -------------------------------------------------------------------------------------

    def _summary(self) -> None:
        labels = {"units": _("Đơn vị"), "users": _("Người dùng"), "posts": _("Chức vụ"),
                  "memberships": _("Thành viên cơ quan có thẩm quyền")}
        totals = {"units": OrganisationUnit.objects.count(), "users": User.objects.count(),
                  "posts": Post.objects.count(), "memberships": AuthorityMembership.objects.count()}
        self.stdout.write(self.style.SUCCESS(_("Đã nạp dữ liệu mẫu.")))
        for key, (created, updated) in self.stats.items():
            self.stdout.write(_("  %(label)s: tạo mới %(created)d, cập nhật %(updated)d, tổng %(total)d") % {
                "label": labels[key], "created": created, "updated": updated, "total": totals[key]})
        agencies = OrganisationUnit.objects.current().filter(kind=Kind.CITY_AGENCY).count()
        local = OrganisationUnit.objects.current().filter(kind=Kind.LOCAL_COMMITTEE).count()
        self.stdout.write(_("  Sở, ngành đang hiệu lực: %(a)d; phường, xã, đặc khu: %(l)d") % {"a": agencies, "l": local})
        self.stdout.write(_("  Tài khoản demo: %(names)s (mật khẩu: 'demo' hoặc biến môi trường DEMO_PASSWORD)")
                          % {"names": ", ".join(DEMO_NAMES)})
