"""Taking in the organisation from HR files (docs/organisation.md): read, check, plan.

An import reads four sheets — units, officials, posts, authority memberships — from one XLSX workbook (a sheet
each) or from CSV files (a file each), with Vietnamese or English headers. `plan` compares them with what the
database holds and says, without changing anything, what would be created, changed and ended, and every row in
error with its column and a reason; `accounts.services.organisation_import_apply` carries out a plan without
problems in one transaction. Everything is keyed by codes (unit code, staff code), so the same file twice
changes nothing the second time.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePath

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import AuthorityMembership, OrganisationUnit, PositionCategory, Post, User

#: How many problems and changes a plan keeps to show (its counts are always whole).
SHOWN = 500


def normalised(text) -> str:
    """A header or a sheet's name as it is matched: no diacritics, lower case, words joined by "_"."""
    text = unicodedata.normalize("NFKD", str(text or "")).replace("đ", "d").replace("Đ", "D")
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    return "_".join("".join(char if char.isalnum() else " " for char in text).split())


@dataclasses.dataclass(frozen=True)
class Column:
    key: str
    vi: str
    en: str
    required: bool = False
    example: str = ""

    @property
    def names(self) -> set[str]:
        return {normalised(self.vi), normalised(self.en), self.key}


@dataclasses.dataclass(frozen=True)
class Sheet:
    key: str
    vi: str
    en: str
    title: object
    columns: tuple[Column, ...]
    #: Other names its sheet or CSV file may have (normalised).
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> set[str]:
        return {normalised(self.vi), normalised(self.en), self.key, *self.aliases}


SHEETS = (
    Sheet("units", "Đơn vị", "Units", gettext_lazy("Đơn vị"), (
        Column("code", "Mã đơn vị", "Unit code", True, "so-xay-dung"),
        Column("name", "Tên đơn vị", "Name", True, "Sở Xây dựng"),
        Column("kind", "Loại đơn vị", "Kind", True, "city_agency"),
        Column("parent", "Mã đơn vị cấp trên", "Parent code", False, "ubnd-tp"),
        Column("abbreviation", "Tên viết tắt", "Abbreviation", False, "SXD"),
        Column("valid_from", "Hiệu lực từ", "Valid from", False, "01/07/2025"),
        Column("valid_to", "Hiệu lực đến", "Valid to", False, ""),
    )),
    Sheet("officials", "Cán bộ", "Officials", gettext_lazy("Cán bộ"), (
        Column("staff_code", "Mã cán bộ", "Staff code", True, "CB000123"),
        Column("full_name", "Họ và tên", "Full name", True, "Nguyễn Văn An"),
        Column("email", "Thư điện tử", "E-mail", False, "nvan@tphcm.gov.vn"),
        Column("phone", "Điện thoại", "Phone", False, "028 3829 1234"),
    )),
    Sheet("posts", "Chức vụ", "Posts", gettext_lazy("Chức vụ"), (
        Column("staff_code", "Mã cán bộ", "Staff code", True, "CB000123"),
        Column("unit", "Mã đơn vị", "Unit code", True, "so-xay-dung"),
        Column("title", "Chức vụ", "Title", True, "Phó Giám đốc"),
        Column("category", "Nhóm đối tượng", "Position category", True, "admin_leader"),
        Column("managing_authority", "Mã cơ quan quản lý", "Managing authority code", True, "ubnd-tp"),
        Column("principal", "Chức vụ chính", "Principal", False, "có"),
        Column("head", "Người đứng đầu đơn vị", "Head of unit", False, "không"),
        Column("valid_from", "Từ ngày", "Valid from", True, "01/07/2025"),
        Column("valid_to", "Đến ngày", "Valid to", False, ""),
    )),
    Sheet("memberships", "Thành viên cơ quan", "Authority memberships", gettext_lazy("Thành viên cơ quan"), (
        Column("authority", "Mã cơ quan", "Authority code", True, "so-xay-dung"),
        Column("staff_code", "Mã cán bộ", "Staff code", True, "CB000123"),
        Column("role", "Vai trò", "Role", True, "deputy"),
        Column("valid_from", "Từ ngày", "Valid from", True, "01/07/2025"),
        Column("valid_to", "Đến ngày", "Valid to", False, ""),
    ), aliases=("thanh_vien",)),
)
SHEET_BY_KEY = {sheet.key: sheet for sheet in SHEETS}
MODES = ("update", "sync")


# — reading —————————————————————————————————————————————————————————————————————————————————————————————


class Unreadable(Exception):
    """The file cannot be read as the import's format; the message says why, in the reader's language."""


@dataclasses.dataclass
class Row:
    sheet: str
    number: int
    values: dict[str, str | datetime.date | None]


def _cell(value):
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if value is None:
        return None
    text = unicodedata.normalize("NFC", str(value)).strip()
    return text or None


def _rows(sheet: Sheet, table: Iterable[tuple], problems: list) -> Iterator[Row]:
    table = iter(table)
    header = next(table, None)
    if header is None:
        return
    columns = {}
    for index, title in enumerate(header):
        name = normalised(title)
        column = next((column for column in sheet.columns if name in column.names), None)
        if column is not None:
            columns[index] = column.key
    missing = [column for column in sheet.columns if column.required and column.key not in columns.values()]
    if missing:
        problems.append(Problem(sheet.key, 1, ", ".join(column.vi for column in missing),
                                _("Thiếu cột bắt buộc.")))
        return
    for number, cells in enumerate(table, start=2):
        values = {key: _cell(cells[index]) if index < len(cells) else None for index, key in columns.items()}
        if any(value is not None for value in values.values()):
            yield Row(sheet.key, number, values)


def _sheet_for(name: str) -> Sheet | None:
    """The table a sheet or a CSV file holds, by its name: "Chức vụ", "posts", "chuc_vu.csv", "Thành viên cơ quan
    có thẩm quyền"…"""
    name = normalised(PurePath(name).stem if "." in name else name)
    return next((sheet for sheet in SHEETS if any(name.startswith(known) for known in sheet.names)), None)


#: Sheets of the template that hold no table to import.
IGNORED_SHEETS = {"ma", "codes"}


def read(files: list[tuple[str, bytes]], problems: list) -> dict[str, list[Row]]:
    """The rows of every sheet found in `files` (name, content): an XLSX workbook, CSV files, or both. A table the
    files do not have is absent from the answer (a full sync ends nothing of it); a sheet whose name is no
    table's is a problem, so that a renamed sheet is never read as an empty table."""
    rows: dict[str, list[Row]] = {}
    for name, content in files:
        if name.lower().endswith(".xlsx"):
            from openpyxl import load_workbook

            try:
                workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            except Exception as error:  # a damaged or disguised file: openpyxl raises many kinds
                raise Unreadable(_("Không đọc được tệp %(name)s như một tệp Excel (XLSX).") % {"name": name}) from error
            for worksheet in workbook.worksheets:
                sheet = _sheet_for(worksheet.title)
                if sheet is not None:
                    rows.setdefault(sheet.key, []).extend(
                        _rows(sheet, worksheet.iter_rows(values_only=True), problems))
                elif normalised(worksheet.title) not in IGNORED_SHEETS:
                    problems.append(Problem("", 0, worksheet.title, _(
                        "Không nhận ra bảng “%(name)s”: tên các bảng là Đơn vị, Cán bộ, Chức vụ và Thành viên cơ "
                        "quan (như trong tệp mẫu).") % {"name": worksheet.title}))
        elif name.lower().endswith(".csv"):
            sheet = _sheet_for(name)
            if sheet is None:
                raise Unreadable(_("Tên tệp %(name)s không cho biết đó là bảng nào: hãy đặt tên don_vi.csv, "
                                   "can_bo.csv, chuc_vu.csv hoặc thanh_vien.csv.") % {"name": name})
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                raise Unreadable(_("Tệp %(name)s không ở bảng mã UTF-8.") % {"name": name}) from error
            dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t") if text.strip() else csv.excel
            try:
                rows.setdefault(sheet.key, []).extend(_rows(sheet, csv.reader(io.StringIO(text), dialect), problems))
            except csv.Error as error:
                raise Unreadable(_("Không đọc được tệp CSV %(name)s.") % {"name": name}) from error
        else:
            raise Unreadable(_("Chỉ nhận tệp Excel (.xlsx) hoặc CSV (.csv)."))
    if not any(rows.values()) and not problems:
        raise Unreadable(_("Không tìm thấy bảng nào có dữ liệu: tên các bảng là Đơn vị, Cán bộ, Chức vụ và "
                           "Thành viên cơ quan có thẩm quyền (hoặc tên tiếng Anh trong mẫu)."))
    return rows


# — checking and planning ———————————————————————————————————————————————————————————————————————————————


@dataclasses.dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    message: str

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Change:
    sheet: str
    row: int
    action: str  # "create", "change", "end"
    key: str
    fields: list[str] = dataclasses.field(default_factory=list)

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


@dataclasses.dataclass
class Plan:
    mode: str
    as_of: datetime.date
    problems: list[Problem] = dataclasses.field(default_factory=list)
    changes: list[Change] = dataclasses.field(default_factory=list)
    #: What to write, by sheet: (the object, built or changed in memory; whether it is new).
    writes: dict[str, list[tuple[object, bool]]] = dataclasses.field(default_factory=lambda: defaultdict(list))
    #: Posts and memberships a full sync ends.
    ends: dict[str, list[object]] = dataclasses.field(default_factory=lambda: defaultdict(list))
    rows: int = 0
    #: The tables the files have (a full sync ends only in those).
    present: set[str] = dataclasses.field(default_factory=set)

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        counts = {sheet.key: {"create": 0, "change": 0, "end": 0} for sheet in SHEETS}
        for change in self.changes:
            counts[change.sheet][change.action] += 1
        return counts

    def summary(self) -> dict:
        return {"rows": self.rows, "counts": self.counts, "problems": len(self.problems)}


def _choice(value, choices, labels) -> str | None:
    """A value given as its code or its label (Vietnamese or English), accent- and case-insensitive."""
    wanted = normalised(value)
    for code, label in choices:
        if wanted in {normalised(code), normalised(label), *labels.get(code, ())}:
            return code
    return None


YES = {"co", "x", "1", "yes", "true", "dung"}
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
#: Unit codes the directory's addresses take for themselves (/organisation/imports/).
RESERVED_CODES = {"imports"}
NO = {"khong", "0", "no", "false", "sai"}
ENGLISH_LABELS = {
    "city_committee": {"city_people_s_committee"}, "city_agency": {"department", "city_agency"},
    "local_committee": {"commune_people_s_committee", "ward_people_s_committee"}, "division": {"division"},
    "public_service_unit": {"public_service_unit"}, "state_enterprise": {"state_enterprise"},
    "head": {"head"}, "deputy": {"deputy"}, "secretariat": {"secretariat"}, "staff": {"staff"},
}


class _Checker:
    """Reads one row's values and records its problems."""

    def __init__(self, plan: Plan, row: Row):
        self.plan, self.row = plan, row
        self.ok = True

    def problem(self, column: str, message: str) -> None:
        self.ok = False
        sheet = SHEET_BY_KEY[self.row.sheet]
        label = next((c.vi for c in sheet.columns if c.key == column), column)
        self.plan.problems.append(Problem(self.row.sheet, self.row.number, label, message))

    def text(self, column: str, *, required: bool = False, limit: int = 255) -> str:
        value = self.row.values.get(column)
        value = value.isoformat() if isinstance(value, datetime.date) else (value or "")
        if required and not value:
            self.problem(column, _("Ô này bắt buộc."))
        elif len(value) > limit:
            self.problem(column, _("Dài quá %(n)s ký tự.") % {"n": limit})
        return value

    def date(self, column: str, *, required: bool = False) -> datetime.date | None:
        value = self.row.values.get(column)
        if value is None:
            if required:
                self.problem(column, _("Ô này bắt buộc."))
            return None
        if isinstance(value, datetime.date):
            return value
        for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
            try:
                return datetime.datetime.strptime(value, pattern).date()
            except ValueError:
                continue
        self.problem(column, _("Ngày “%(value)s” không hợp lệ: hãy ghi dd/mm/yyyy.") % {"value": value})
        return None

    def flag(self, column: str, default: bool) -> bool:
        value = self.row.values.get(column)
        if value is None:
            return default
        word = normalised(value)
        if word in YES:
            return True
        if word in NO:
            return False
        self.problem(column, _("Hãy ghi “có” hoặc “không”."))
        return default

    def choice(self, column: str, choices, what: str) -> str:
        value = self.text(column, required=True)
        if not value:
            return ""
        code = _choice(value, choices, ENGLISH_LABELS)
        if code is None:
            self.problem(column, _("“%(value)s” không phải %(what)s hợp lệ.") % {"value": value, "what": what})
            return ""
        return code

    def period(self, required_from: bool = True) -> tuple[datetime.date | None, datetime.date | None]:
        start = self.date("valid_from", required=required_from)
        end = self.date("valid_to")
        if start and end and end < start:
            self.problem("valid_to", _("Ngày kết thúc trước ngày bắt đầu."))
        return start, end


def _overlap(a_from, a_to, b_from, b_to) -> bool:
    far = datetime.date.max
    return a_from <= (b_to or far) and b_from <= (a_to or far)


def plan(rows: dict[str, list[Row]], *, mode: str = "update", as_of: datetime.date | None = None,
         progress: Callable[[int], None] | None = None, problems: list | None = None) -> Plan:
    """What applying `rows` would do, and every row in error. Reads the database, changes nothing."""
    result = Plan(mode=mode, as_of=as_of or datetime.date.today(), problems=list(problems or []))
    result.rows = sum(len(sheet_rows) for sheet_rows in rows.values())
    result.present = set(rows)
    rows = {sheet.key: rows.get(sheet.key, []) for sheet in SHEETS}
    done = 0

    def tick():
        nonlocal done
        done += 1
        if progress and done % 1000 == 0:
            progress(done)

    units = _plan_units(result, rows["units"], tick)
    referenced = {row.values.get("staff_code") for sheet in ("posts", "memberships") for row in rows[sheet]}
    users = _plan_officials(result, rows["officials"], tick, referenced - {None})
    _plan_posts(result, rows["posts"], units, users, tick)
    _plan_memberships(result, rows["memberships"], units, users, tick)
    if progress:
        progress(result.rows)
    return result


def _plan_units(result: Plan, rows: list[Row], tick) -> dict[str, OrganisationUnit]:
    existing = {unit.code: unit for unit in OrganisationUnit.objects.select_related("parent")}
    given: dict[str, tuple[Row, dict]] = {}
    for row in rows:
        tick()
        check = _Checker(result, row)
        code = check.text("code", required=True, limit=64)
        if code and (not SLUG.fullmatch(code) or code in RESERVED_CODES):
            check.problem("code", _("Mã đơn vị chỉ gồm chữ cái không dấu, chữ số, dấu gạch ngang hoặc gạch dưới "
                                    "(và không là “%(reserved)s”).") % {"reserved": ", ".join(sorted(RESERVED_CODES))})
        values = {
            "name": check.text("name", required=True), "kind": check.choice(
                "kind", OrganisationUnit.Kind.choices, _("loại đơn vị")),
            "abbreviation": check.text("abbreviation", limit=20),
            "parent": check.text("parent", limit=64),
        }
        values["valid_from"], values["valid_to"] = check.period(required_from=False)
        # A column the file does not have leaves what the portal holds as it is.
        current = existing.get(code)
        if "abbreviation" not in row.values:
            values["abbreviation"] = current.abbreviation if current else ""
        if "parent" not in row.values:
            values["parent"] = current.parent.code if current and current.parent_id else ""
        if "valid_to" not in row.values:
            values["valid_to"] = current.valid_to if current else None
        if code and code in given:
            check.problem("code", _("Mã đơn vị trùng với dòng %(row)s.") % {"row": given[code][0].number})
        if code and values["parent"] == code:
            check.problem("parent", _("Đơn vị không thể là cấp trên của chính nó."))
        if check.ok:
            given[code] = (row, values)
    known = {**existing}
    for code in given:
        known[code] = existing.get(code) or OrganisationUnit(code=code)
    # Parents: known in the database or in the file; no cycle; a unit's validity within its parent's.
    for code, (row, values) in given.items():
        check = _Checker(result, row)
        parent_code = values["parent"]
        if parent_code and parent_code not in known:
            check.problem("parent", _("Không có đơn vị mã “%(code)s”.") % {"code": parent_code})
            continue
        seen, cursor = {code}, parent_code
        while cursor:
            if cursor in seen:
                check.problem("parent", _("Cấp trên tạo thành vòng lặp (%(code)s).") % {"code": cursor})
                break
            seen.add(cursor)
            cursor = given[cursor][1]["parent"] if cursor in given else (
                known[cursor].parent.code if known[cursor].parent_id else "")
        if not check.ok:
            continue
        if parent_code:
            parent_from, parent_to = _validity(parent_code, given, existing)
            start = values["valid_from"] or (existing[code].valid_from if code in existing else parent_from)
            end = values["valid_to"]
            if start < parent_from or (parent_to and (end is None or end > parent_to)):
                check.problem("valid_from", _("Thời gian hiệu lực nằm ngoài thời gian hiệu lực của đơn vị cấp "
                                              "trên (%(code)s).") % {"code": parent_code})
                continue
        _stage_unit(result, row, code, values, existing.get(code), known)
    return known


def _validity(code, given, existing) -> tuple[datetime.date, datetime.date | None]:
    if code in given:
        values = given[code][1]
        start = values["valid_from"] or (existing[code].valid_from if code in existing else datetime.date(1976, 1, 1))
        return start, values["valid_to"]
    return existing[code].valid_from, existing[code].valid_to


def _stage_unit(result: Plan, row: Row, code: str, values: dict, current: OrganisationUnit | None, known) -> None:
    unit = known[code]
    wanted = {"name": values["name"], "kind": values["kind"], "abbreviation": values["abbreviation"],
              "valid_to": values["valid_to"]}
    if values["valid_from"] or current is None:
        wanted["valid_from"] = values["valid_from"] or datetime.date(1976, 1, 1)
    changed = [field for field, value in wanted.items() if getattr(unit, field) != value]
    parent = known.get(values["parent"]) if values["parent"] else None
    if (parent.code if parent else None) != (current.parent.code if current is not None and current.parent_id
                                              else None):
        changed.append("parent")
    for field, value in wanted.items():
        setattr(unit, field, value)
    unit._import_parent = parent
    if current is None:
        result.changes.append(Change("units", row.number, "create", code))
        result.writes["units"].append((unit, True))
    elif changed:
        result.changes.append(Change("units", row.number, "change", code, changed))
        result.writes["units"].append((unit, False))


def _plan_officials(result: Plan, rows: list[Row], tick, referenced: set) -> dict[str, User]:
    """The officials of the file, and those of the database that its posts and memberships name."""
    codes = {row.values.get("staff_code") for row in rows if row.values.get("staff_code")} | referenced
    existing = {user.employee_code: user for user in User.objects.filter(employee_code__in=codes)}
    known: dict[str, User] = dict(existing)
    given: dict[str, int] = {}
    for row in rows:
        tick()
        check = _Checker(result, row)
        code = check.text("staff_code", required=True, limit=32)
        name = check.text("full_name", required=True, limit=200)
        email = check.text("email", limit=254).lower()
        phone = check.text("phone", limit=32)
        current = existing.get(code)
        if "email" not in row.values:  # a column the file does not have leaves the stored value
            email = current.email if current else ""
        if "phone" not in row.values:
            phone = current.phone if current else ""
        if email and "@" not in email:
            check.problem("email", _("Địa chỉ thư điện tử không hợp lệ."))
        if code in given:
            check.problem("staff_code", _("Mã cán bộ trùng với dòng %(row)s.") % {"row": given[code]})
        if not check.ok:
            continue
        given[code] = row.number
        user = existing.get(code)
        if user is None:
            user = User(username=code.lower(), employee_code=code, full_name=name, email=email, phone=phone)
            user.set_unusable_password()
            known[code] = user
            result.changes.append(Change("officials", row.number, "create", code))
            result.writes["officials"].append((user, True))
            continue
        changed = [field for field, value in (("full_name", name), ("email", email), ("phone", phone))
                   if getattr(user, field) != value]
        if changed:
            user.full_name, user.email, user.phone = name, email, phone
            result.changes.append(Change("officials", row.number, "change", code, changed))
            result.writes["officials"].append((user, False))
    # Staff codes that are taken as usernames by someone else cannot be created.
    new_usernames = {user.username for user, new in result.writes["officials"] if new}
    taken = set(User.objects.filter(username__in=new_usernames).values_list("username", flat=True))
    if taken:
        for change in [c for c in result.changes if c.sheet == "officials" and c.action == "create"]:
            if change.key.lower() in taken:
                result.problems.append(Problem("officials", change.row, SHEET_BY_KEY["officials"].columns[0].vi,
                                               _("Tên đăng nhập “%(name)s” đã được dùng cho người khác.")
                                               % {"name": change.key.lower()}))
    return known


def _post_key(user_code, unit_code, title, start) -> tuple:
    return (user_code, unit_code, normalised(title), start)


def _plan_posts(result: Plan, rows: list[Row], units, users, tick) -> None:
    existing_posts = list(Post.objects.select_related("user", "unit", "managing_authority")
                          .filter(user__employee_code__isnull=False))
    by_key = {_post_key(p.user.employee_code, p.unit.code, p.title, p.valid_from): p for p in existing_posts}
    in_file: set[tuple] = set()
    principal: dict[str, list[tuple[datetime.date, datetime.date | None, int]]] = defaultdict(list)
    for row in rows:
        tick()
        check = _Checker(result, row)
        code = check.text("staff_code", required=True, limit=32)
        unit_code = check.text("unit", required=True, limit=64)
        title = check.text("title", required=True, limit=200)
        category = check.choice("category", PositionCategory.choices, _("nhóm đối tượng"))
        authority_code = check.text("managing_authority", required=True, limit=64)
        is_principal = check.flag("principal", True)
        is_head = check.flag("head", False)
        start, end = check.period()
        if code and code not in users:
            check.problem("staff_code", _("Không có cán bộ mã “%(code)s”.") % {"code": code})
        if unit_code and unit_code not in units:
            check.problem("unit", _("Không có đơn vị mã “%(code)s”.") % {"code": unit_code})
        authority = units.get(authority_code)
        if authority_code and authority is None:
            check.problem("managing_authority", _("Không có đơn vị mã “%(code)s”.") % {"code": authority_code})
        elif authority is not None and not authority.is_authority:
            check.problem("managing_authority", _("“%(code)s” không phải cơ quan có thẩm quyền quản lý.")
                          % {"code": authority_code})
        key = _post_key(code, unit_code, title, start)
        if key in in_file:
            check.problem("title", _("Chức vụ này đã có ở một dòng khác của tệp."))
        if not check.ok:
            continue
        in_file.add(key)
        post = by_key.get(key)
        if post is not None:  # a column the file does not have leaves the stored value
            is_principal = is_principal if "principal" in row.values else post.is_principal
            is_head = is_head if "head" in row.values else post.is_head
            end = end if "valid_to" in row.values else post.valid_to
        if is_principal:
            for other_from, other_to, other_row in principal[code]:
                if _overlap(start, end, other_from, other_to):
                    check.problem("valid_from", _("Trùng thời gian với chức vụ chính ở dòng %(row)s.")
                                  % {"row": other_row})
                    break
            if not check.ok:
                continue
            principal[code].append((start, end, row.number))
        wanted = {"category": category, "managing_authority": authority, "is_principal": is_principal,
                  "is_head": is_head, "valid_to": end}
        if post is None:
            post = Post(user=users[code], unit=units[unit_code], title=title, valid_from=start, **wanted)
            result.changes.append(Change("posts", row.number, "create", f"{code} · {unit_code} · {title}"))
            result.writes["posts"].append((post, True))
            continue
        changed = [field for field, value in wanted.items() if getattr(post, field) != value]
        if changed:
            for field, value in wanted.items():
                setattr(post, field, value)
            result.changes.append(Change("posts", row.number, "change", f"{code} · {unit_code} · {title}", changed))
            result.writes["posts"].append((post, False))
    ending = _ending(result, [post for key, post in by_key.items() if key not in in_file], "posts",
                     lambda post: f"{post.user.employee_code} · {post.unit.code} · {post.title}")
    # A principal post kept from the database must not overlap one the file gives the same person.
    for post in existing_posts:
        code = post.user.employee_code
        key = _post_key(code, post.unit.code, post.title, post.valid_from)
        if not post.is_principal or key in in_file or code not in principal:
            continue
        end = result.as_of - datetime.timedelta(days=1) if post in ending else post.valid_to
        for start, stop, row_number in principal[code]:
            if _overlap(post.valid_from, end, start, stop):
                result.problems.append(Problem(
                    "posts", row_number, SHEET_BY_KEY["posts"].columns[7].vi,
                    _("Trùng thời gian với chức vụ chính đang có trên Cổng: %(title)s, %(unit)s.")
                    % {"title": post.title, "unit": post.unit.name}))


def _ending(result: Plan, missing: list, sheet: str, describe) -> list:
    """In a full sync, what the file leaves out and still runs on the sync's date ends the day before."""
    if result.mode != "sync" or sheet not in result.present:
        return []
    ending = [item for item in missing if item.valid_from < result.as_of
              and (item.valid_to is None or item.valid_to >= result.as_of)]
    for item in ending:
        result.changes.append(Change(sheet, 0, "end", describe(item)))
        result.ends[sheet].append(item)
    return ending


def _plan_memberships(result: Plan, rows: list[Row], units, users, tick) -> None:
    existing = list(AuthorityMembership.objects.select_related("user", "authority")
                    .filter(user__employee_code__isnull=False))
    by_key = {(m.authority.code, m.user.employee_code, m.role, m.valid_from): m for m in existing}
    in_file: set[tuple] = set()
    heads: dict[str, list[tuple[datetime.date, datetime.date | None, int]]] = defaultdict(list)
    #: A person is a member of an authority once at a time, whatever the role (the database's
    #: membership_no_overlap): the periods of each (authority, person) the file gives.
    periods: dict[tuple, list[tuple[datetime.date, datetime.date | None, int]]] = defaultdict(list)
    for row in rows:
        tick()
        check = _Checker(result, row)
        authority_code = check.text("authority", required=True, limit=64)
        code = check.text("staff_code", required=True, limit=32)
        role = check.choice("role", AuthorityMembership.Role.choices, _("vai trò"))
        start, end = check.period()
        authority = units.get(authority_code)
        if authority_code and authority is None:
            check.problem("authority", _("Không có đơn vị mã “%(code)s”.") % {"code": authority_code})
        elif authority is not None and not authority.is_authority:
            check.problem("authority", _("“%(code)s” không phải cơ quan có thẩm quyền.") % {"code": authority_code})
        if code and code not in users:
            check.problem("staff_code", _("Không có cán bộ mã “%(code)s”.") % {"code": code})
        key = (authority_code, code, role, start)
        if key in in_file:
            check.problem("role", _("Vai trò này đã có ở một dòng khác của tệp."))
        if check.ok and role == AuthorityMembership.Role.HEAD:
            for other_from, other_to, other_row in heads[authority_code]:
                if _overlap(start, end, other_from, other_to):
                    check.problem("role", _("Cơ quan đã có người đứng đầu trong thời gian này (dòng %(row)s).")
                                  % {"row": other_row})
                    break
        membership = by_key.get(key)
        if membership is not None and "valid_to" not in row.values:
            end = membership.valid_to  # a column the file does not have leaves the stored value
        if check.ok:
            for other_from, other_to, other_row in periods[(authority_code, code)]:
                if _overlap(start, end, other_from, other_to):
                    check.problem("valid_from", _("Trùng thời gian với vai trò của người này trong cơ quan ở dòng "
                                                  "%(row)s: mỗi lúc chỉ một vai trò.") % {"row": other_row})
                    break
        if not check.ok:
            continue
        in_file.add(key)
        periods[(authority_code, code)].append((start, end, row.number))
        if role == AuthorityMembership.Role.HEAD:
            heads[authority_code].append((start, end, row.number))
        label = f"{authority_code} · {code} · {role}"
        if membership is None:
            membership = AuthorityMembership(authority=authority, user=users[code], role=role, valid_from=start,
                                             valid_to=end)
            result.changes.append(Change("memberships", row.number, "create", label))
            result.writes["memberships"].append((membership, True))
        elif membership.valid_to != end:
            membership.valid_to = end
            result.changes.append(Change("memberships", row.number, "change", label, ["valid_to"]))
            result.writes["memberships"].append((membership, False))
    ending = _ending(result, [m for key, m in by_key.items() if key not in in_file], "memberships",
                     lambda m: f"{m.authority.code} · {m.user.employee_code} · {m.role}")
    # What the database keeps against what the file gives: the same person's other role in the authority at the
    # same time, and a second head.
    for membership in existing:
        key = (membership.authority.code, membership.user.employee_code, membership.role, membership.valid_from)
        if key in in_file:
            continue
        end = result.as_of - datetime.timedelta(days=1) if membership in ending else membership.valid_to
        for start, stop, row_number in periods.get((membership.authority.code, membership.user.employee_code), []):
            if _overlap(membership.valid_from, end, start, stop):
                result.problems.append(Problem(
                    "memberships", row_number, SHEET_BY_KEY["memberships"].columns[3].vi,
                    _("Trùng thời gian với vai trò “%(role)s” của người này đang có trên Cổng: hãy ghi ngày kết "
                      "thúc cho vai trò đó.") % {"role": membership.get_role_display()}))
                break
        if membership.role != AuthorityMembership.Role.HEAD:
            continue
        for start, stop, row_number in heads.get(membership.authority.code, []):
            if _overlap(membership.valid_from, end, start, stop):
                result.problems.append(Problem(
                    "memberships", row_number, SHEET_BY_KEY["memberships"].columns[2].vi,
                    _("Cơ quan đã có người đứng đầu trên Cổng trong thời gian này: %(name)s.")
                    % {"name": membership.user.get_full_name()}))


# — the template ——————————————————————————————————————————————————————————————————————————————————————


def template_workbook(*, english: bool = False) -> bytes:
    """The import's template: a sheet per table, its headers (Vietnamese, or English) and an example row, and a
    sheet that lists the codes the "kind", "category" and "role" columns take."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    for sheet in SHEETS:
        worksheet = workbook.create_sheet((sheet.en if english else sheet.vi)[:31])
        worksheet.append([column.en if english else column.vi for column in sheet.columns])
        worksheet.append([column.example for column in sheet.columns])
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        for index, column in enumerate(sheet.columns, start=1):
            worksheet.column_dimensions[worksheet.cell(1, index).column_letter].width = max(14, len(column.vi) + 4)
    codes = workbook.create_sheet("Codes" if english else "Mã")
    codes.append(["Column" if english else "Cột", "Code" if english else "Mã", "Meaning" if english else "Ý nghĩa"])
    for column, choices in (("Loại đơn vị / Kind", OrganisationUnit.Kind.choices),
                            ("Nhóm đối tượng / Position category", PositionCategory.choices),
                            ("Vai trò / Role", AuthorityMembership.Role.choices)):
        for code, label in choices:
            codes.append([column, code, str(label)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
