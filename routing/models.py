"""Routing rules (data, dated), routing failures and the working-day calendar."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationUnit, PositionCategory, ValidityQuerySet
from portal.choices import ChoiceLabels


class RoutingRule(ChoiceLabels, models.Model):
    """One line of the routing table. The first current rule (lowest priority number) that matches wins."""

    class Target(models.TextChoices):
        MANAGING_AUTHORITY = "managing_authority", _("Cơ quan có thẩm quyền quản lý người đề xuất")
        AUTHORITY_ABOVE = "authority_above", _("Cơ quan cấp trên của cơ quan quản lý")
        CITY_COMMITTEE = "city_committee", _("UBND Thành phố")
        EMPLOYING_UNIT = "employing_unit", _("Người đứng đầu cơ quan sử dụng (đơn vị của người đề xuất)")
        COMMON_AUTHORITY = "common_authority", _("Cơ quan thấp nhất quản lý tất cả các đơn vị liên quan")
        NAMED_UNIT = "named_unit", _("Một cơ quan chỉ định")

    name = models.CharField(_("tên quy tắc"), max_length=200)
    priority = models.PositiveIntegerField(_("thứ tự ưu tiên"), help_text=_("Số nhỏ được xét trước."))
    submitter_category = models.CharField(
        _("nhóm đối tượng của người đề xuất"), max_length=32, choices=PositionCategory.choices, blank=True,
        help_text=_("Để trống: mọi nhóm."),
    )
    decree73_subject = models.BooleanField(
        _("thuộc đối tượng Nghị định 73"), null=True, blank=True, help_text=_("Để trống: không xét."),
    )
    authority_kind = models.CharField(
        _("loại cơ quan quản lý"), max_length=32, choices=OrganisationUnit.Kind.choices, blank=True,
        help_text=_("Để trống: mọi loại."),
    )
    submitter_heads_authority = models.BooleanField(
        _("người đề xuất là người đứng đầu cơ quan quản lý"), null=True, blank=True,
        help_text=_("Để trống: không xét."),
    )
    spans_several_units = models.BooleanField(
        _("đề xuất liên quan nhiều cơ quan"), null=True, blank=True, help_text=_("Để trống: không xét."),
    )
    target = models.CharField(_("cơ quan quyết định"), max_length=32, choices=Target.choices)
    target_unit = models.ForeignKey(
        OrganisationUnit, verbose_name=_("cơ quan chỉ định"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    reason = models.CharField(
        _("lý do hiển thị"), max_length=300,
        help_text=_("Câu giải thích hiển thị trên đề xuất. Có thể dùng {authority} cho tên cơ quan quyết định."),
    )
    reason_en = models.CharField(
        _("lý do hiển thị (tiếng Anh)"), max_length=300, blank=True,
        help_text=_("Câu giải thích cho người đọc bằng tiếng Anh; để trống thì hiện câu tiếng Việt."),
    )
    valid_from = models.DateField(_("hiệu lực từ"), default=datetime.date(2023, 9, 29))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)

    objects = ValidityQuerySet.as_manager()

    class Meta:
        verbose_name = _("quy tắc xác định thẩm quyền")
        verbose_name_plural = _("quy tắc xác định thẩm quyền")
        ordering = ["priority", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(target="named_unit") | Q(target_unit__isnull=False),
                name="rule_named_unit_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="rule_validity_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.priority}. {self.name}"

    def clean(self) -> None:
        if self.target == self.Target.NAMED_UNIT and not self.target_unit_id:
            raise ValidationError({"target_unit": _("Hãy chọn cơ quan chỉ định.")})
        if self.target_unit_id and not self.target_unit.is_authority:
            raise ValidationError({"target_unit": _("Cơ quan chỉ định phải là cơ quan có thẩm quyền.")})
        for field in ("reason", "reason_en"):
            try:
                getattr(self, field).format(authority="X")
            except (KeyError, IndexError, ValueError):
                raise ValidationError({field: _("Chỉ được dùng biến {authority} trong lý do.")}) from None

    def explain(self, authority_name: str) -> str:
        """The rule's reason for `authority_name`, in the reader's language (English when the rule has one)."""
        template = self.reason_en if translation.get_language() == "en" and self.reason_en else self.reason
        return template.format(authority=authority_name)


class RoutingFailure(models.Model):
    """A submission that no rule could route; administrators fix the rules or the profile."""

    submitter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đề xuất"), on_delete=models.CASCADE, related_name="+",
    )
    proposal_reference = models.CharField(_("đề xuất"), max_length=32)
    profile = models.JSONField(_("hồ sơ người đề xuất"))
    message = models.CharField(_("thông báo"), max_length=300)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    resolved = models.BooleanField(_("đã xử lý"), default=False)

    class Meta:
        verbose_name = _("lỗi xác định thẩm quyền")
        verbose_name_plural = _("lỗi xác định thẩm quyền")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["resolved", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.proposal_reference}: {self.message}"


class CalendarDay(ChoiceLabels, models.Model):
    """A day that differs from the Vietnamese public-holiday calendar of the `holidays` package."""

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Ngày nghỉ thêm")
        WORKING_DAY = "working_day", _("Ngày làm việc bù")

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("lý do"), max_length=200)

    class Meta:
        verbose_name = _("ngày nghỉ, ngày làm bù")
        verbose_name_plural = _("lịch nghỉ, làm bù")
        ordering = ["-date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.get_kind_display()}: {self.name}"
