"""The city's organisation at bench size, around the demo organisation of `seed_demo`.

seed_demo writes UBND Thành phố, 16 agencies, 17 wards, a few public service units and enterprises, the demo
accounts and a few hundred officials. This module grows that tree to the city's shape (about 40 agencies and
170 ward and commune committees, with public service units, enterprises and their divisions: about 3,000 units)
and fills it with officials: every authority gets a head, deputies and a secretariat member (AuthorityMembership),
every division a head, a deputy and staff (Post), as seed_demo does for its own units. Rows are written with
COPY; ids are taken after the largest existing one and the sequences moved past them.

It also answers, for every official who may write proposals, which authority decides their proposals and under
which rule, by the table of routing rules in the database (routing.policy.route, evaluated in memory over the
whole organisation instead of a few queries per person; tests/bench checks the two agree).
"""

from __future__ import annotations

import dataclasses
import datetime
import io
import random

from accounts.management.commands.seed_demo import GIVEN, MIDDLE, SURNAMES

CITY_AGENCIES = 40
LOCAL_COMMITTEES = 170
PUBLIC_SERVICE_UNITS = 60
ENTERPRISES = 12
AGENCY_DIVISIONS = 16
WARD_DIVISIONS = 11
PSU_DIVISIONS = 4
SOE_DIVISIONS = 5
GENERATED_FROM = datetime.date(2021, 1, 1)

AGENCY_NAMES = (
    "Ban Quản lý các Khu chế xuất và công nghiệp", "Ban Quản lý Khu Công nghệ cao", "Ban Quản lý dự án đầu tư xây dựng các công trình giao thông",
    "Ban Quản lý dự án đầu tư xây dựng các công trình dân dụng và công nghiệp", "Ban Quản lý đường sắt đô thị",
    "Ban Quản lý dự án đầu tư xây dựng hạ tầng đô thị", "Ban Quản lý dự án đầu tư xây dựng các công trình nông nghiệp",
    "Ban Dân tộc Thành phố", "Ban Thi đua - Khen thưởng", "Ban Tôn giáo Thành phố", "Cục Thống kê Thành phố",
    "Sở Ngoại vụ", "Sở Lao động - Thương binh và Xã hội", "Sở Thông tin và Truyền thông", "Sở Giao thông vận tải",
    "Sở Kế hoạch và Đầu tư", "Sở Tài nguyên và Môi trường", "Sở Nông nghiệp và Phát triển nông thôn",
    "Ban Quản lý Khu Nông nghiệp công nghệ cao", "Ban Quản lý Khu đô thị mới Thủ Thiêm", "Trung tâm Chuyển đổi số",
    "Ban Quản lý các dự án đầu tư xây dựng khu vực Bình Dương", "Ban Quản lý các dự án đầu tư xây dựng khu vực Bà Rịa – Vũng Tàu",
    "Ban Quản lý Khu công nghiệp Bình Dương", "Ban Quản lý Khu kinh tế Vũng Tàu",
)
DIVISION_NAMES = (
    "Văn phòng", "Phòng Tổ chức cán bộ", "Phòng Kế hoạch - Tài chính", "Phòng Pháp chế", "Phòng Thanh tra",
    "Phòng Quản lý chất lượng", "Phòng Chuyển đổi số", "Phòng Hợp tác quốc tế", "Phòng Tổng hợp",
    "Phòng Quản lý đầu tư", "Phòng Nghiệp vụ 1", "Phòng Nghiệp vụ 2", "Phòng Nghiệp vụ 3", "Phòng Kiểm tra",
    "Phòng Thông tin - Tuyên truyền", "Phòng Cải cách hành chính",
)
WARD_DIVISION_NAMES = (
    "Văn phòng HĐND và UBND", "Phòng Kinh tế, Hạ tầng và Đô thị", "Phòng Văn hóa - Xã hội",
    "Trung tâm Phục vụ hành chính công", "Bộ phận Tư pháp - Hộ tịch", "Bộ phận Địa chính - Xây dựng",
    "Bộ phận Tài chính - Kế toán", "Bộ phận Lao động - Thương binh và Xã hội", "Bộ phận Y tế - Giáo dục",
    "Bộ phận Quản lý trật tự đô thị", "Bộ phận Tiếp công dân",
)
PLACE_NAMES = (
    "Đa Kao", "Phú Nhuận", "Gia Định", "Bình Thạnh", "Thạnh Mỹ Tây", "Hạnh Thông", "Gò Vấp", "An Nhơn",
    "Thông Tây Hội", "Tân Sơn Nhất", "Bảy Hiền", "Tân Bình", "Tân Sơn Hòa", "Phú Thọ Hòa", "Tân Phú", "Tây Thạnh",
    "Bình Tân", "An Lạc", "Bình Trị Đông", "Tân Tạo", "Chánh Hưng", "Phú Định", "Bình Đông", "Tân Thuận", "Phú Thuận",
    "Tân Mỹ", "Tân Hưng", "Linh Xuân", "Tam Bình", "Hiệp Bình", "Long Bình", "Phước Long", "Long Phước", "Tăng Nhơn Phú",
    "Bình Trưng", "Cát Lái", "An Phú Đông", "Thới An", "Tân Thới Hiệp", "Trung Mỹ Tây", "Đông Hưng Thuận", "Vĩnh Lộc",
    "Tân Nhựt", "Hưng Long", "Bình Lợi", "Nhà Bè", "Hiệp Phước", "Cần Giờ", "An Thới Đông", "Thạnh An", "Bình Khánh",
    "Phú Hòa Đông", "Nhuận Đức", "Thái Mỹ", "An Nhơn Tây", "Dĩ An", "Thuận An", "Lái Thiêu", "Bến Cát", "Tân Uyên",
    "Phú Lợi", "Chánh Hiệp", "Bà Rịa", "Long Hương", "Tam Long", "Phú Mỹ", "Châu Pha", "Long Hải", "Xuyên Mộc",
)
PSU_KINDS = (("Bệnh viện", "Giám đốc", "Khoa"), ("Trường THPT", "Hiệu trưởng", "Tổ"),
             ("Trung tâm", "Giám đốc", "Phòng"), ("Viện", "Viện trưởng", "Phòng"))


@dataclasses.dataclass
class Unit:
    id: int
    code: str
    kind: str
    parent_id: int | None
    path: str
    valid_from: datetime.date
    name: str = ""
    new: bool = False


@dataclasses.dataclass
class Official:
    user_id: int
    username: str
    unit_id: int
    title: str
    category: str
    ma_id: int
    is_head: bool
    valid_from: datetime.date


@dataclasses.dataclass
class Route:
    authority_id: int
    rule_id: int
    reason: str


AUTHORITY_KINDS = ("city_committee", "city_agency", "local_committee", "public_service_unit", "state_enterprise")
SUBJECT_CATEGORIES = ("admin_leader", "psu_manager", "soe_officer", "soe_capital_rep")


def _next_id(cursor, table: str) -> int:
    cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
    return cursor.fetchone()[0] + 1


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    buffer = io.StringIO()
    count = 0
    for row in rows:
        count += 1
        buffer.write("\t".join(r"\N" if value is None else str(value).replace("\\", "\\\\").replace("\t", " ")
                               .replace("\n", r"\n") for value in row))
        buffer.write("\n")
    buffer.seek(0)
    cursor.copy_expert(f"COPY {table} ({', '.join(columns)}) FROM STDIN", buffer)
    return count


def reset_sequence(cursor, table: str) -> None:
    cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT coalesce(max(id), 1) FROM {table}))")


def grow_units(cursor, *, unit_scale: float) -> dict[int, Unit]:
    """Add agencies, local committees, public service units, enterprises and divisions to reach the city's shape."""
    cursor.execute("SELECT id, code, kind, parent_id, path, valid_from, name FROM accounts_organisationunit "
                   "WHERE valid_to IS NULL")
    units = {row[0]: Unit(*row) for row in cursor.fetchall()}
    city = next(unit for unit in units.values() if unit.kind == "city_committee")
    next_id = _next_id(cursor, "accounts_organisationunit")

    def add(code, name, kind, parent, valid_from=None):
        nonlocal next_id
        unit = Unit(next_id, code, kind, parent.id, f"{parent.path}{next_id}/",
                    max(valid_from or GENERATED_FROM, parent.valid_from), name, new=True)
        units[unit.id] = unit
        next_id += 1
        return unit

    def scaled(count, minimum):
        return max(minimum, round(count * unit_scale))

    def of_kind(kind):
        return [unit for unit in units.values() if unit.kind == kind]

    for n in range(scaled(CITY_AGENCIES, 18) - len(of_kind("city_agency"))):
        name = AGENCY_NAMES[n % len(AGENCY_NAMES)] + (f" {n // len(AGENCY_NAMES) + 1}" if n >= len(AGENCY_NAMES) else "")
        add(f"bench-agency-{n}", name, "city_agency", city)
    for n in range(scaled(LOCAL_COMMITTEES, 20) - len(of_kind("local_committee"))):
        place = PLACE_NAMES[n % len(PLACE_NAMES)] + (f" {n // len(PLACE_NAMES) + 1}" if n >= len(PLACE_NAMES) else "")
        word = "xã" if n % 4 == 3 else "phường"
        add(f"bench-local-{n}", f"UBND {word} {place}", "local_committee", city)
    agencies = of_kind("city_agency")
    for n in range(scaled(PUBLIC_SERVICE_UNITS, 4) - len(of_kind("public_service_unit"))):
        kind_name, _head, _division = PSU_KINDS[n % len(PSU_KINDS)]
        parent = agencies[n % len(agencies)]
        add(f"bench-psu-{n}", f"{kind_name} {PLACE_NAMES[n % len(PLACE_NAMES)]}", "public_service_unit", parent)
    for n in range(scaled(ENTERPRISES, 3) - len(of_kind("state_enterprise"))):
        add(f"bench-soe-{n}", f"Công ty TNHH MTV Dịch vụ công ích {PLACE_NAMES[(n * 7) % len(PLACE_NAMES)]}",
            "state_enterprise", city)
    # Divisions, up to the count of each kind of authority (the seeded authorities have a few already).
    wanted = {"city_agency": (AGENCY_DIVISIONS, DIVISION_NAMES), "local_committee": (WARD_DIVISIONS, WARD_DIVISION_NAMES),
              "public_service_unit": (PSU_DIVISIONS, None), "state_enterprise": (SOE_DIVISIONS, DIVISION_NAMES)}
    children: dict[int, int] = {}
    for unit in units.values():
        if unit.kind == "division" and unit.parent_id:
            children[unit.parent_id] = children.get(unit.parent_id, 0) + 1
    for authority in [unit for unit in units.values() if unit.kind in wanted]:
        target, names = wanted[authority.kind]
        target = max(2, round(target * min(1.0, unit_scale * 2)))
        for k in range(children.get(authority.id, 0), target):
            name = names[k % len(names)] if names else f"{PSU_KINDS[authority.id % 4][2]} {k + 1}"
            add(f"bench-div-{authority.id}-{k}", name, "division", authority, authority.valid_from)
    new = [unit for unit in units.values() if unit.new]
    _copy(cursor, "accounts_organisationunit",
          ["id", "name", "short_name", "code", "kind", "local_level", "parent_id", "successor_id", "valid_from",
           "valid_to", "path"],
          ((u.id, u.name, "", u.code, u.kind, ("ward" if "phường" in u.name else "commune")
            if u.kind == "local_committee" else "", u.parent_id, None, u.valid_from, None, u.path) for u in new))
    reset_sequence(cursor, "accounts_organisationunit")
    return units


def deciding_authority(units: dict[int, Unit], unit_id: int) -> Unit:
    unit = units[unit_id]
    while unit is not None and unit.kind not in AUTHORITY_KINDS:
        unit = units.get(unit.parent_id)
    return unit or units[unit_id]


def authority_above(units: dict[int, Unit], authority: Unit) -> Unit | None:
    return deciding_authority(units, authority.parent_id) if authority.parent_id in units else None


def names(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    result = []
    for _i in range(count):
        sex = rng.choice("mf")
        result.append(f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}")
    return result


def add_officials(cursor, units: dict[int, Unit], *, officials: int, seed: int) -> None:
    """Posts for the new units' officials and memberships for the new authorities (and UBND Thành phố)."""
    city = next(unit for unit in units.values() if unit.kind == "city_committee")
    slots = []  # (unit, title, category, managing authority, is_head, membership role in authority or None)
    category_of = {"city_agency": "admin_leader", "local_committee": "admin_leader", "city_committee": "admin_leader",
                   "public_service_unit": "psu_manager", "state_enterprise": "soe_officer"}
    new_authorities = [u for u in units.values() if u.new and u.kind in AUTHORITY_KINDS]
    for authority in new_authorities:
        above = authority_above(units, authority) or city
        category = category_of[authority.kind]
        head = {"local_committee": "Chủ tịch UBND", "public_service_unit": "Giám đốc",
                "state_enterprise": "Chủ tịch Hội đồng thành viên"}.get(authority.kind, "Giám đốc")
        slots.append((authority, head, category, above, True, ("head", authority)))
        slots.append((authority, f"Phó {head[0].lower()}{head[1:]}", category, above, False, ("deputy", authority)))
        slots.append((authority, f"Phó {head[0].lower()}{head[1:]}", category, above, False, ("deputy", authority)))
    # UBND Thành phố: deputies and a secretariat beside head.city, so that its inbox is shared as in life.
    slots += [(city, "Phó Chủ tịch UBND Thành phố", "admin_leader", city, False, ("deputy", city))] * 2
    slots += [(city, "Chuyên viên tổng hợp", "staff", city, False, ("secretariat", city))] * 3
    divisions = [u for u in units.values() if u.new and u.kind == "division"]
    for division in divisions:
        authority = deciding_authority(units, division.id)
        category = category_of.get(authority.kind, "admin_leader")
        office = division.name.startswith("Văn phòng")
        slots.append((division, "Chánh Văn phòng" if office else "Trưởng phòng", category, authority, True, None))
        slots.append((division, "Phó Chánh Văn phòng" if office else "Phó Trưởng phòng", category, authority, False,
                      None))
        slots.append((division, "Chuyên viên", "staff", authority, False,
                      ("secretariat", authority) if office and authority.new else None))
    staff = max(0, officials - len(slots))
    for n in range(staff):
        division = divisions[(n * 7919) % len(divisions)]
        authority = deciding_authority(units, division.id)
        slots.append((division, "Chuyên viên" if n % 3 else "Cán sự", "staff", authority, False, None))

    user_id = _next_id(cursor, "accounts_user")
    first_user = user_id
    cursor.execute("SELECT password FROM accounts_user WHERE username = 'canbo001'")
    row = cursor.fetchone()
    password = row[0] if row else "!bench"
    full_names = names(len(slots), seed)
    now = datetime.datetime.now(datetime.UTC).isoformat()
    users, posts, memberships = [], [], []
    post_id = _next_id(cursor, "accounts_post")
    membership_id = _next_id(cursor, "accounts_authoritymembership")
    for n, (unit, title, category, ma, is_head, membership) in enumerate(slots):
        username = f"bcb{n + 1:06d}"
        users.append((user_id, password, None, False, username, "", "", f"{username}@bench.hochiminhcity.gov.vn",
                      False, True, now, full_names[n], f"BCB{n + 1:06d}"))
        start = max(unit.valid_from, ma.valid_from)
        posts.append((post_id, title, category, is_head, True, start, None, ma.id, unit.id, user_id))
        post_id += 1
        if membership:
            role, authority = membership
            memberships.append((membership_id, role, max(start, authority.valid_from), None, authority.id, user_id))
            membership_id += 1
        user_id += 1
    _copy(cursor, "accounts_user", ["id", "password", "last_login", "is_superuser", "username", "first_name",
                                    "last_name", "email", "is_staff", "is_active", "date_joined", "full_name",
                                    "employee_code"], users)
    _copy(cursor, "accounts_post", ["id", "title", "category", "is_head", "is_principal", "valid_from", "valid_to",
                                    "managing_authority_id", "unit_id", "user_id"], posts)
    _copy(cursor, "accounts_authoritymembership", ["id", "role", "valid_from", "valid_to", "authority_id", "user_id"],
          memberships)
    for table in ("accounts_user", "accounts_post", "accounts_authoritymembership"):
        reset_sequence(cursor, table)
    return first_user


def routes(cursor, units: dict[int, Unit], *, on: datetime.date, exclude: tuple[str, ...]) -> dict[int, tuple[Official, Route]]:
    """The deciding authority and rule of every official with a current principal post (routing.policy.route)."""
    cursor.execute("""
        SELECT id, priority, submitter_category, decree73_subject, authority_kind, submitter_heads_authority,
               spans_several_units, target, target_unit_id, reason
        FROM routing_routingrule
        WHERE valid_from <= %s AND (valid_to IS NULL OR valid_to >= %s) ORDER BY priority, id""", [on, on])
    rules = cursor.fetchall()
    cursor.execute("SELECT user_id, authority_id FROM accounts_authoritymembership WHERE role = 'head' "
                   "AND valid_from <= %s AND (valid_to IS NULL OR valid_to >= %s)", [on, on])
    heads_of: dict[int, set[int]] = {}
    for user_id, authority_id in cursor.fetchall():
        heads_of.setdefault(user_id, set()).add(authority_id)
    cursor.execute("""
        SELECT p.user_id, u.username, p.unit_id, p.title, p.category, p.managing_authority_id, p.is_head, p.valid_from
        FROM accounts_post p JOIN accounts_user u ON u.id = p.user_id
        WHERE p.is_principal AND p.valid_from <= %s AND (p.valid_to IS NULL OR p.valid_to >= %s)
          AND u.is_active AND NOT u.is_superuser AND NOT (u.username = ANY(%s))""", [on, on, list(exclude)])
    result = {}
    for row in cursor.fetchall():
        official = Official(*row)
        if official.unit_id not in units or official.ma_id not in units:
            continue
        route = _route(units, rules, heads_of, official)
        if route is not None:
            result[official.user_id] = (official, route)
    return result


def _route(units, rules, heads_of, official: Official) -> Route | None:
    ma = units[official.ma_id]
    subject = official.category in SUBJECT_CATEGORIES

    def heads(authority: Unit) -> bool:
        return (official.is_head and official.unit_id == authority.id) or authority.id in heads_of.get(
            official.user_id, ())

    for rule_id, _priority, category, decree73, kind, heads_flag, spans, target, target_unit_id, reason in rules:
        if category and official.category != category:
            continue
        if decree73 is not None and subject != decree73:
            continue
        if kind and ma.kind != kind:
            continue
        if heads_flag is not None and heads(ma) != heads_flag:
            continue
        if spans is not None and spans:  # no generated proposal names other units
            continue
        if target == "managing_authority":
            authority = ma
        elif target == "authority_above":
            authority = authority_above(units, ma)
        elif target == "city_committee":
            authority = next(u for u in units.values() if u.kind == "city_committee")
        elif target == "employing_unit":
            authority = deciding_authority(units, official.unit_id)
        elif target == "common_authority":
            authority = ma
        else:
            authority = units.get(target_unit_id)
        if authority is None:
            continue
        text = reason.format(authority=authority.name)
        while heads(authority):
            above = authority_above(units, authority)
            if above is None:
                break
            text = (f"Gửi {above.name} vì người đề xuất là người đứng đầu {authority.name} "
                    "(Điều 7 khoản 4 Nghị định 73)")
            authority = above
        return Route(authority.id, rule_id, text)
    return None
