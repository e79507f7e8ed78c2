"""The organisation: people, units (a dated tree with successors), posts and authority memberships."""

from __future__ import annotations

import datetime
import unicodedata

from django.contrib.auth.models import AbstractUser
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Func, Q
from django.db.models.functions import Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.choices import ChoiceLabels
from portal.storage import private_storage
from portal.text import validate_plain_name

HOME_AFFAIRS_GROUP = "Giám sát Sở Nội vụ"
ADMINISTRATORS_GROUP = "Quản trị hệ thống"


class DateRange(Func):
    """A closed [from, to] date range; an open end (NULL) runs forever."""

    function = "daterange"
    output_field = models.Field()

    def __init__(self, start, end):
        super().__init__(start, end, models.Value("[]"))


def today() -> datetime.date:
    return timezone.localdate()


class ValidityQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or today()
        return self.filter(Q(valid_from__lte=on), Q(valid_to__isnull=True) | Q(valid_to__gte=on))


class User(AbstractUser):
    full_name = models.CharField(_("họ và tên"), max_length=200, validators=[validate_plain_name])
    employee_code = models.CharField(
        _("mã cán bộ"), max_length=32, unique=True, null=True, blank=True,
        help_text=_("Mã số cán bộ, công chức, viên chức (nếu có)."),
    )
    # A default in the database too: the bench generator writes users with COPY, naming its columns.
    phone = models.CharField(_("điện thoại"), max_length=32, blank=True, default="", db_default="")

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        indexes = [
            models.Index(fields=["full_name"]),
            # Single sign-on finds an official by e-mail (email__iexact) when the provider gives no staff code.
            models.Index(Upper("email"), name="accounts_user_email_upper"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or super().get_full_name() or self.username

    def get_short_name(self) -> str:
        return self.get_full_name()


class OrganisationUnit(ChoiceLabels, models.Model):
    class Kind(models.TextChoices):
        CITY_COMMITTEE = "city_committee", _("UBND Thành phố")
        CITY_AGENCY = "city_agency", _("Sở, ban, ngành Thành phố")
        LOCAL_COMMITTEE = "local_committee", _("UBND cấp cơ sở (phường, xã, đặc khu; quận, huyện trước 01/07/2025)")
        PUBLIC_SERVICE_UNIT = "public_service_unit", _("Đơn vị sự nghiệp công lập")
        STATE_ENTERPRISE = "state_enterprise", _("Doanh nghiệp nhà nước")
        DIVISION = "division", _("Phòng, ban chuyên môn")

    class LocalLevel(models.TextChoices):
        WARD = "ward", _("Phường")
        COMMUNE = "commune", _("Xã")
        SPECIAL_ZONE = "special_zone", _("Đặc khu")
        DISTRICT = "district", _("Quận")
        RURAL_DISTRICT = "rural_district", _("Huyện")
        CITY_WITHIN_CITY = "city_within_city", _("Thành phố thuộc Thành phố")

    #: Kinds whose head decides proposals (units that can be a deciding authority).
    AUTHORITY_KINDS = (Kind.CITY_COMMITTEE, Kind.CITY_AGENCY, Kind.LOCAL_COMMITTEE,
                       Kind.PUBLIC_SERVICE_UNIT, Kind.STATE_ENTERPRISE)

    name = models.CharField(_("tên"), max_length=255, validators=[validate_plain_name])
    short_name = models.CharField(_("tên viết tắt"), max_length=100, blank=True, validators=[validate_plain_name])
    abbreviation = models.CharField(
        _("chữ viết tắt trong ký hiệu văn bản"), max_length=20, blank=True, db_default="",
        validators=[RegexValidator(r"^[A-ZĐ0-9]+$", _("Chỉ dùng chữ in hoa và chữ số, ví dụ SXD."))],
        help_text=_("Ví dụ SXD trong “Số: 12/QĐ-SXD” (Nghị định 30/2020/NĐ-CP). Để trống: lấy chữ cái đầu của tên "
                    "(UBND với ủy ban nhân dân)."),
    )
    code = models.SlugField(_("mã đơn vị"), max_length=64, unique=True)
    kind = models.CharField(_("loại đơn vị"), max_length=32, choices=Kind.choices)
    local_level = models.CharField(_("cấp địa phương"), max_length=32, choices=LocalLevel.choices, blank=True)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    successor = models.ForeignKey(
        "self", verbose_name=_("đơn vị kế thừa"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="predecessors",
        help_text=_("Đơn vị tiếp nhận chức năng khi đơn vị này sáp nhập, chia tách hoặc giải thể."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), default=datetime.date(1976, 1, 1))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    # Materialised path of ancestor ids ("/1/7/42/"), kept by save(); lets "this unit and
    # everything below it" be one indexed prefix query.
    path = models.CharField(max_length=512, editable=False, default="")

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="unit_not_own_parent"),
            models.CheckConstraint(condition=~Q(successor=F("id")), name="unit_not_own_successor"),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="unit_validity_ordered",
            ),
            models.CheckConstraint(
                condition=Q(local_level="") | Q(kind="local_committee"),
                name="unit_local_level_only_for_local_committees",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "valid_to"]),
            models.Index(fields=["path"], name="unit_path_prefix", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        old_path = self.path
        if not self.pk:
            super().save(*args, **kwargs)
            kwargs.pop("force_insert", None)
        new_path = (self.parent.path if self.parent_id else "/") + f"{self.pk}/"
        if new_path != self.path:
            self.path = new_path
            if "update_fields" in kwargs and kwargs["update_fields"] is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "path"}
        super().save(*args, **kwargs)
        if old_path and old_path != new_path:
            # Re-root every descendant in one statement.
            OrganisationUnit.objects.filter(path__startswith=old_path).exclude(pk=self.pk).update(
                path=Func(F("path"), models.Value(old_path), models.Value(new_path), function="replace")
            )

    @property
    def depth(self) -> int:
        return max(self.path.count("/") - 2, 0)

    @property
    def is_authority(self) -> bool:
        return self.kind in self.AUTHORITY_KINDS

    @property
    def document_abbreviation(self) -> str:
        """The body's part of a document's symbol (Decree 30/2020, Appendix I): its `abbreviation`, or else "UBND"
        for a people's committee and the initials of its name for any other body ("Sở Xây dựng" → "SXD")."""
        if self.abbreviation:
            return self.abbreviation
        if self.kind in (self.Kind.CITY_COMMITTEE, self.Kind.LOCAL_COMMITTEE):
            return "UBND"
        initials = []
        for word in self.name.split():
            if word.lower() in ("và", "-", "–"):
                continue
            letter = unicodedata.normalize("NFD", word)[0].upper()
            if letter.isalnum():
                initials.append(letter)
        return "".join(initials)[:20]

    def validity_label(self) -> str:
        end = self.valid_to.strftime("%d/%m/%Y") if self.valid_to else _("nay")
        return f"{self.valid_from:%d/%m/%Y} – {end}"

    def is_valid_on(self, on: datetime.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or self.valid_to >= on)

    def ancestor_ids(self) -> list[int]:
        return [int(part) for part in self.path.strip("/").split("/") if part][:-1]

    def clean(self) -> None:
        errors = {}
        if self.parent_id:
            parent = self.parent
            if self.pk and (parent.pk == self.pk or f"/{self.pk}/" in parent.path):
                errors["parent"] = _("Không thể chọn chính đơn vị này hoặc đơn vị cấp dưới của nó làm cấp trên.")
            else:
                if self.valid_from < parent.valid_from:
                    errors["valid_from"] = _("Ngày hiệu lực phải nằm trong thời gian hiệu lực của đơn vị cấp trên (từ %(d)s).") % {
                        "d": parent.valid_from.strftime("%d/%m/%Y")}
                if parent.valid_to and (self.valid_to is None or self.valid_to > parent.valid_to):
                    errors["valid_to"] = _("Đơn vị cấp trên hết hiệu lực ngày %(d)s; đơn vị này phải hết hiệu lực cùng lúc hoặc sớm hơn.") % {
                        "d": parent.valid_to.strftime("%d/%m/%Y")}
        if self.successor_id and self.pk and self.successor_id == self.pk:
            errors["successor"] = _("Một đơn vị không thể kế thừa chính nó.")
        if self.successor_id and not self.valid_to:
            errors["valid_to"] = _("Đơn vị có đơn vị kế thừa phải có ngày hết hiệu lực.")
        if self.local_level and self.kind != self.Kind.LOCAL_COMMITTEE:
            errors["local_level"] = _("Chỉ UBND cấp cơ sở mới có cấp địa phương.")
        if errors:
            raise ValidationError(errors)

    def deciding_authority(self) -> OrganisationUnit:
        """The nearest unit at or above this one whose head decides (divisions do not decide)."""
        unit = self
        while unit is not None and not unit.is_authority:
            unit = unit.parent
        return unit or self

    def authority_above(self) -> OrganisationUnit | None:
        parent = self.parent
        return parent.deciding_authority() if parent else None


def _outside_validity(unit: OrganisationUnit, start: datetime.date, end: datetime.date | None) -> str | None:
    """"before" or "after" when [start, end] does not lie within the unit's validity."""
    if start < unit.valid_from:
        return "before"
    if unit.valid_to and (end is None or end > unit.valid_to):
        return "after"
    return None


class PositionCategory(models.TextChoices):
    """The five kinds of submitter of DOMAIN.md "Who submits"."""

    ADMIN_LEADER = "admin_leader", _("Cán bộ, công chức lãnh đạo, quản lý trong cơ quan hành chính nhà nước")
    PSU_MANAGER = "psu_manager", _("Viên chức quản lý trong đơn vị sự nghiệp công lập")
    SOE_OFFICER = "soe_officer", _("Người giữ chức danh, chức vụ tại doanh nghiệp")
    SOE_CAPITAL_REP = "soe_capital_rep", _("Người đại diện phần vốn nhà nước tại doanh nghiệp")
    STAFF = "staff", _("Công chức, viên chức, người lao động (không giữ chức vụ quản lý)")

    @classmethod
    def decree73_subjects(cls) -> set[str]:
        return {cls.ADMIN_LEADER, cls.PSU_MANAGER, cls.SOE_OFFICER, cls.SOE_CAPITAL_REP}


class PostQuerySet(ValidityQuerySet):
    def principal(self):
        return self.filter(is_principal=True)


class Post(ChoiceLabels, models.Model):
    user = models.ForeignKey(User, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="posts")
    unit = models.ForeignKey(
        OrganisationUnit, verbose_name=_("cơ quan sử dụng"), on_delete=models.PROTECT, related_name="posts",
    )
    title = models.CharField(_("chức vụ, chức danh"), max_length=200)
    category = models.CharField(_("nhóm đối tượng"), max_length=32, choices=PositionCategory.choices)
    managing_authority = models.ForeignKey(
        OrganisationUnit, verbose_name=_("cơ quan có thẩm quyền quản lý"), on_delete=models.PROTECT,
        related_name="managed_posts",
    )
    is_head = models.BooleanField(_("là người đứng đầu đơn vị"), default=False)
    is_principal = models.BooleanField(_("là chức vụ chính"), default=True)
    valid_from = models.DateField(_("từ ngày"), default=today)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")
        ordering = ["-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="post_validity_ordered",
            ),
            # A person holds at most one principal post on any day.
            ExclusionConstraint(
                name="post_one_principal_at_a_time",
                violation_error_message=_("Người này đã có chức vụ chính trong khoảng thời gian này."),
                expressions=[("user", RangeOperators.EQUAL), (DateRange("valid_from", "valid_to"), RangeOperators.OVERLAPS)],
                condition=Q(is_principal=True),
            ),
        ]
        indexes = [models.Index(fields=["unit", "valid_to"]), models.Index(fields=["managing_authority", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.title} — {self.unit}"

    @property
    def is_decree73_subject(self) -> bool:
        return self.category in PositionCategory.decree73_subjects()

    def validate_constraints(self, exclude=None):
        # clean() reports overlapping principal posts itself; once it has flagged is_principal, Django
        # cannot evaluate the exclusion constraint's condition, so leave that constraint to clean().
        if exclude and "is_principal" in exclude:
            exclude = {*exclude, "user"}
        super().validate_constraints(exclude=exclude)

    def clean(self) -> None:
        errors = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("Ngày kết thúc phải sau ngày bắt đầu.")
        if self.managing_authority_id and not self.managing_authority.is_authority:
            errors["managing_authority"] = _("Cơ quan có thẩm quyền quản lý phải là cơ quan, không phải phòng, ban.")
        if self.unit_id and self.valid_from:
            outside = _outside_validity(self.unit, self.valid_from, self.valid_to)
            if outside:
                errors["valid_from" if outside == "before" else "valid_to"] = _(
                    "Chức vụ phải nằm trong thời gian hoạt động của %(unit)s (%(period)s).") % {
                    "unit": self.unit.name, "period": self.unit.validity_label()}
        if self.is_principal and self.user_id and self.valid_from:
            overlapping = Post.objects.filter(user_id=self.user_id, is_principal=True).exclude(pk=self.pk).filter(
                Q(valid_to__isnull=True) | Q(valid_to__gte=self.valid_from)
            )
            if self.valid_to:
                overlapping = overlapping.filter(valid_from__lte=self.valid_to)
            if overlapping.exists():
                errors["is_principal"] = _("Người này đã có chức vụ chính trong khoảng thời gian này.")
        if errors:
            raise ValidationError(errors)


class AuthorityMembership(ChoiceLabels, models.Model):
    """Who acts for an authority when it decides proposals."""

    class Role(models.TextChoices):
        HEAD = "head", _("Người đứng đầu")
        DEPUTY = "deputy", _("Cấp phó được phân công")
        SECRETARIAT = "secretariat", _("Bộ phận tham mưu, chuẩn bị hồ sơ")

    authority = models.ForeignKey(
        OrganisationUnit, verbose_name=_("cơ quan có thẩm quyền"), on_delete=models.PROTECT,
        related_name="memberships",
    )
    user = models.ForeignKey(User, verbose_name=_("cán bộ"), on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)
    valid_from = models.DateField(_("từ ngày"), default=today)
    valid_to = models.DateField(_("đến ngày"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("thành viên cơ quan có thẩm quyền")
        verbose_name_plural = _("thành viên cơ quan có thẩm quyền")
        ordering = ["authority", "role"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="membership_validity_ordered",
            ),
            ExclusionConstraint(
                name="membership_no_overlap",
                violation_error_message=_("Người này đã là thành viên của cơ quan này trong khoảng thời gian này."),
                expressions=[
                    ("authority", RangeOperators.EQUAL), ("user", RangeOperators.EQUAL),
                    (DateRange("valid_from", "valid_to"), RangeOperators.OVERLAPS),
                ],
            ),
            ExclusionConstraint(
                name="membership_one_head_at_a_time",
                violation_error_message=_("Cơ quan này đã có người đứng đầu trong khoảng thời gian này."),
                expressions=[("authority", RangeOperators.EQUAL), (DateRange("valid_from", "valid_to"), RangeOperators.OVERLAPS)],
                condition=Q(role="head"),
            ),
        ]
        indexes = [models.Index(fields=["user", "valid_to"]), models.Index(fields=["authority", "role", "valid_to"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.authority}"

    def clean(self) -> None:
        if self.authority_id and not self.authority.is_authority:
            raise ValidationError({"authority": _("Chỉ cơ quan có thẩm quyền mới có thành viên quyết định.")})
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("Ngày kết thúc phải sau ngày bắt đầu.")})
        if self.authority_id and self.valid_from:
            outside = _outside_validity(self.authority, self.valid_from, self.valid_to)
            if outside:
                raise ValidationError({"valid_from" if outside == "before" else "valid_to": _(
                    "Thời gian làm thành viên phải nằm trong thời gian hoạt động của %(unit)s (%(period)s).") % {
                    "unit": self.authority.name, "period": self.authority.validity_label()}})


class PasswordResetRequest(models.Model):
    """A password-reset mail asked for: the e-mail address typed and the client's address, counted to throttle
    both (accounts.services.password_reset_request_record). Kept a day."""

    email = models.EmailField(_("thư điện tử"))
    client_address = models.CharField(_("địa chỉ máy"), max_length=64, blank=True)
    requested_at = models.DateTimeField(_("thời điểm"), default=timezone.now)

    class Meta:
        verbose_name = _("yêu cầu đặt lại mật khẩu")
        verbose_name_plural = _("yêu cầu đặt lại mật khẩu")
        indexes = [models.Index(fields=["email", "requested_at"]),
                   models.Index(fields=["client_address", "requested_at"]),
                   models.Index(fields=["requested_at"])]

    def __str__(self) -> str:
        return f"{self.email} ({self.requested_at:%d/%m/%Y %H:%M})"


class SingleSignOnAttempt(ChoiceLabels, models.Model):
    """A sign-in through the City's identity provider, let in or refused, with the claims it was matched by
    (accounts.services.single_sign_on_record). Administrators read them in the admin."""

    class Outcome(models.TextChoices):
        SIGNED_IN = "signed_in", _("đã đăng nhập")
        UNKNOWN = "unknown", _("không có cán bộ nào khớp")
        AMBIGUOUS = "ambiguous", _("nhiều tài khoản cùng thư điện tử")
        ENDED = "ended", _("không còn chức vụ nào")
        DISABLED = "disabled", _("tài khoản bị khóa")
        PROVIDER_ERROR = "provider_error", _("nhà cung cấp định danh từ chối")

    at = models.DateTimeField(_("thời điểm"), default=timezone.now)
    outcome = models.CharField(_("kết quả"), max_length=20, choices=Outcome.choices)
    subject = models.CharField(_("định danh tại nhà cung cấp"), max_length=255, blank=True)
    staff_code = models.CharField(_("mã cán bộ"), max_length=64, blank=True)
    email = models.CharField(_("thư điện tử"), max_length=254, blank=True)
    user = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("người dùng"))
    client_address = models.CharField(_("địa chỉ máy"), max_length=64, blank=True)
    detail = models.CharField(_("chi tiết"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("lượt đăng nhập một lần")
        verbose_name_plural = _("lượt đăng nhập một lần")
        indexes = [models.Index(fields=["at"]), models.Index(fields=["outcome", "at"])]

    def __str__(self) -> str:
        return f"{self.staff_code or self.email or self.subject} ({self.at:%d/%m/%Y %H:%M})"


def _import_path(instance, filename: str) -> str:
    return f"organisation-imports/{timezone.now():%Y/%m}/{filename}"


class OrganisationImport(ChoiceLabels, models.Model):
    """One import of the organisation from HR files (accounts.imports): its file, kept; the preview of what it
    would do; and, once applied, who applied it and when. Previews and applications run in the background."""

    class Mode(models.TextChoices):
        UPDATE = "update", _("Chỉ thêm và cập nhật")
        SYNC = "sync", _("Đồng bộ toàn bộ (kết thúc chức vụ, vai trò không có trong tệp)")

    class Status(models.TextChoices):
        CHECKING = "checking", _("Đang kiểm tra")
        CHECKED = "checked", _("Đã kiểm tra, chờ áp dụng")
        APPLYING = "applying", _("Đang áp dụng")
        APPLIED = "applied", _("Đã áp dụng")
        FAILED = "failed", _("Lỗi")

    file = models.FileField(_("tệp"), storage=private_storage, upload_to=_import_path)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    mode = models.CharField(_("cách nhập"), max_length=8, choices=Mode.choices, default=Mode.UPDATE)
    #: For a full sync: the day from which what the file leaves out has ended.
    as_of = models.DateField(_("tính từ ngày"), default=today)
    status = models.CharField(_("trạng thái"), max_length=10, choices=Status.choices, default=Status.CHECKING)
    rows_total = models.PositiveIntegerField(default=0)
    rows_done = models.PositiveIntegerField(default=0)
    #: {"rows": n, "counts": {sheet: {"create": n, "change": n, "end": n}}, "problems": n}
    summary = models.JSONField(default=dict, blank=True)
    #: The first problems and changes (accounts.imports.SHOWN), as the preview shows them.
    problems = models.JSONField(default=list, blank=True)
    changes = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(User, verbose_name=_("người tải lên"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("thời điểm tải lên"), auto_now_add=True)
    applied_by = models.ForeignKey(User, verbose_name=_("người áp dụng"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    applied_at = models.DateTimeField(_("thời điểm áp dụng"), null=True, blank=True)

    class Meta:
        verbose_name = _("lượt nhập tổ chức")
        verbose_name_plural = _("lượt nhập tổ chức")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def can_apply(self) -> bool:
        return self.status == self.Status.CHECKED and not self.summary.get("problems")
