"""Confidential records: retaliation reports and their trail (Decree 73, Art. 6), and the log of who opened
a protection decision or a retaliation report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationUnit
from portal.choices import ChoiceLabels
from proposals.models.aftercare import ProtectionDecision
from proposals.models.proposal import Proposal


class RetaliationReport(ChoiceLabels, models.Model):
    """A confidential report of obstruction, harassment or retaliation (Decree 73, Art. 6).

    It reaches Home Affairs and the authority above the one involved — never the authority involved.
    """

    class Status(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        EXAMINING = "examining", _("Đang xem xét, xác minh")
        CONCLUDED = "concluded", _("Đã kết luận")

    TRANSITIONS = {Status.RECEIVED: {Status.EXAMINING, Status.CONCLUDED}, Status.EXAMINING: {Status.CONCLUDED},
                   Status.CONCLUDED: set()}

    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    involved_authority = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="+")
    receiving_authority = models.ForeignKey(OrganisationUnit, on_delete=models.PROTECT, related_name="+")
    incident_date = models.DateField(_("ngày xảy ra"))
    accused = models.CharField(_("người, bộ phận có hành vi"), max_length=300)
    description = models.TextField(_("nội dung phản ánh"))
    status = models.CharField(_("tình trạng"), max_length=16, choices=Status.choices, default=Status.RECEIVED)
    outcome = models.TextField(_("kết quả xử lý"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phản ánh bị cản trở, trù dập")
        verbose_name_plural = _("phản ánh bị cản trở, trù dập")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="concluded") | ~Q(outcome=""),
                                   name="retaliation_conclusion_has_outcome"),
            models.CheckConstraint(condition=~Q(involved_authority=models.F("receiving_authority")),
                                   name="retaliation_not_received_by_the_involved"),
        ]
        indexes = [models.Index(fields=["receiving_authority", "status"]), models.Index(fields=["reporter"])]

    def __str__(self) -> str:
        return f"{self.get_status_display()} — {self.created_at:%d/%m/%Y}"


class RetaliationStep(ChoiceLabels, models.Model):
    """The handling of a retaliation report, step by step; its own confidential trail."""

    report = models.ForeignKey(RetaliationReport, on_delete=models.PROTECT, related_name="steps")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=16, choices=RetaliationReport.Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=RetaliationReport.Status.choices)
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    #: The hash chaining this row to the one before it (proposals.audit); empty until the nightly seal.
    seal = models.CharField(max_length=64, blank=True, db_default="", editable=False)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ConfidentialAccess(models.Model):
    """Every opening of a protection decision or a retaliation report; Home Affairs reads this log."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    protection = models.ForeignKey(ProtectionDecision, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="accesses")
    retaliation_report = models.ForeignKey(RetaliationReport, null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="accesses")
    what = models.CharField(max_length=32)
    accessed_at = models.DateTimeField(auto_now_add=True, db_index=True)
    #: The hash chaining this row to the one before it (proposals.audit); empty until the nightly seal.
    seal = models.CharField(max_length=64, blank=True, db_default="", editable=False)

    class Meta:
        verbose_name = _("lượt truy cập hồ sơ mật")
        verbose_name_plural = _("nhật ký truy cập hồ sơ mật")
        ordering = ["-accessed_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(protection__isnull=False, retaliation_report__isnull=True)
                | Q(protection__isnull=True, retaliation_report__isnull=False),
                name="access_names_one_record"),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.accessed_at:%d/%m/%Y %H:%M}"
