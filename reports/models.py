"""Home Affairs monitoring: unit implementation plans, reminders to file them, and the annual review."""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationUnit
from portal.choices import ChoiceLabels
from proposals.models import private_storage

#: Units that must register proposals and file a yearly implementation plan (DOMAIN.md "Monitoring").
PLAN_UNIT_KINDS = (OrganisationUnit.Kind.CITY_AGENCY, OrganisationUnit.Kind.LOCAL_COMMITTEE)

YEAR_VALIDATORS = [MinValueValidator(2023), MaxValueValidator(2100)]


def plan_path(instance, filename):
    return f"reports/plans/{instance.year}/{instance.unit_id}/{filename}"


def report_path(instance, filename):
    return f"reports/annual/{instance.review.year}/{filename}"


class ImplementationPlan(models.Model):
    """A city agency's or local committee's implementation plan for one year."""

    unit = models.ForeignKey(
        OrganisationUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="implementation_plans",
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    document = models.FileField(_("văn bản kế hoạch"), storage=private_storage, upload_to=plan_path)
    document_name = models.CharField(_("tên tệp"), max_length=255)
    document_date = models.DateField(_("ngày ban hành"))
    measures = models.TextField(_("tóm tắt các biện pháp"))
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người nộp"), on_delete=models.PROTECT,
                                 related_name="+")
    filed_at = models.DateTimeField(_("thời điểm nộp"), default=timezone.now)

    class Meta:
        verbose_name = _("kế hoạch thực hiện của đơn vị")
        verbose_name_plural = _("kế hoạch thực hiện của đơn vị")
        ordering = ["-year", "unit__name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "year"], name="one_implementation_plan_per_unit_year"),
            models.CheckConstraint(condition=~Q(measures=""), name="implementation_plan_has_measures"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year}"

    def clean(self) -> None:
        if self.unit_id and self.unit.kind not in PLAN_UNIT_KINDS:
            raise ValidationError({"unit": _("Chỉ sở, ban, ngành Thành phố và UBND cấp cơ sở nộp kế hoạch thực hiện.")})


class PlanReminder(models.Model):
    """Home Affairs reminded a unit to file its plan for a year; its head and secretariat are told through the
    outbox. `recipients` keeps their e-mail addresses at the time."""

    unit = models.ForeignKey(OrganisationUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR_VALIDATORS)
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người nhắc"), on_delete=models.PROTECT,
                                related_name="+")
    sent_at = models.DateTimeField(_("thời điểm nhắc"), auto_now_add=True)
    recipients = models.JSONField(_("người nhận"), default=list, blank=True)

    class Meta:
        verbose_name = _("nhắc nộp kế hoạch")
        verbose_name_plural = _("nhắc nộp kế hoạch")
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["unit", "year", "-sent_at"])]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year} ({self.sent_at:%d/%m/%Y})"


class AnnualReview(models.Model):
    """Home Affairs' written assessment for one year, the text of the annual review report."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True, validators=YEAR_VALIDATORS)
    results = models.TextField(_("kết quả đạt được"), blank=True)
    lessons = models.TextField(_("bài học kinh nghiệm"), blank=True)
    shortcomings = models.TextField(_("hạn chế, tồn tại"), blank=True)
    corrective_measures = models.TextField(_("giải pháp khắc phục"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người cập nhật"), null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        verbose_name = _("sơ kết, tổng kết năm")
        verbose_name_plural = _("sơ kết, tổng kết năm")
        ordering = ["-year"]

    def __str__(self) -> str:
        return str(self.year)


class AnnualReviewReport(ChoiceLabels, models.Model):
    """One generated annual review report (PDF and XLSX); every earlier one stays downloadable."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    review = models.ForeignKey(AnnualReview, verbose_name=_("năm"), on_delete=models.PROTECT, related_name="reports")
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0, validators=[MaxValueValidator(100)])
    pdf = models.FileField(_("tệp PDF"), storage=private_storage, upload_to=report_path, blank=True)
    xlsx = models.FileField(_("tệp Excel"), storage=private_storage, upload_to=report_path, blank=True)
    error = models.TextField(_("lỗi"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"),
                                   on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu tạo"), null=True, blank=True)
    finished_at = models.DateTimeField(_("hoàn thành"), null=True, blank=True)

    class Meta:
        verbose_name = _("báo cáo tổng kết năm")
        verbose_name_plural = _("báo cáo tổng kết năm")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="annual_report_progress_at_most_100"),
            models.CheckConstraint(condition=Q(status__in=["queued", "running", "done", "failed"]),
                                   name="annual_report_status_valid"),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(progress=100) & ~Q(pdf="") & ~Q(xlsx="")),
                name="annual_report_done_has_files",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.review.year} — {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}


# — the dashboard's precomputed figures (docs/reports.md "How the figures stay fast and exact") —
#
# Every figure of the dashboard is a sum of one of these measures: 0 or 1 per registered proposal (a count of
# its reward recommendations or retaliation reports for those two tables; the estimated damage for
# `damage_amount`). The database computes them, in the same transaction as every write that changes them,
# from the view `reports_proposalfact_source` (migration 0002); `reports.services.facts_rebuild` recomputes
# everything from that same view.

def _measure_names() -> tuple[str, ...]:
    from proposals.clocks import CLOCKS
    from proposals.models import Outcome, ProtectionTier, RetaliationReport, Reward
    from proposals.workflow import Status

    return (
        "total",
        *(f"status_{value}" for value in Status.values if value != Status.DRAFT),
        "approved", "rejected", "override", "pending",
        *(f"{clock.name}_{state}" for clock in CLOCKS for state in ("on_time", "late", "running")),
        "evaluated", "damage", "protected", "tier_differs",
        *(f"outcome_{value}" for value in Outcome.values),
        *(f"tier_{value}" for value in ProtectionTier.values),
        *(f"reward_{kind}_{result}" for kind in Reward.Kind.values for result in Reward.Result.values),
        *(f"retaliation_{value}" for value in RetaliationReport.Status.values),
    )


#: The counted measures, in column order; `damage_amount` (a sum of money) comes after them.
MEASURES = _measure_names()


def _with_measures(name: str, field) -> type[models.Model]:
    attrs = {name: field() for name in MEASURES}
    attrs["damage_amount"] = models.DecimalField(max_digits=24, decimal_places=0, default=0)
    attrs["__module__"] = __name__
    attrs["Meta"] = type("Meta", (), {"abstract": True})
    return type(name, (models.Model,), attrs)


FactMeasures = _with_measures("FactMeasures", lambda: models.SmallIntegerField(default=0))
CountMeasures = _with_measures("CountMeasures", lambda: models.IntegerField(default=0))


class ProposalFact(FactMeasures):
    """One narrow row per registered proposal: what the dashboard groups and filters by, and its measures.

    Written only by the database (see above); the drill-down lists filter these rows, not the 3 KB proposal rows.
    """

    proposal = models.OneToOneField("proposals.Proposal", primary_key=True, on_delete=models.DO_NOTHING,
                                    db_constraint=False, related_name="fact")
    deciding_authority = models.ForeignKey(OrganisationUnit, on_delete=models.DO_NOTHING, db_constraint=False,
                                           related_name="+")
    topic = models.ForeignKey("proposals.Topic", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                              related_name="+")
    submitter_unit = models.ForeignKey(OrganisationUnit, null=True, on_delete=models.DO_NOTHING,
                                       db_constraint=False, related_name="+")
    submitted_at = models.DateTimeField()
    #: The first day of the month of the local day of first submission: the counters' period.
    month = models.DateField()
    status = models.CharField(max_length=16)
    #: The clock running now and its due date (at most one runs: proposals.clocks.CLOCK_OF_STATE), so
    #: "overdue" is one indexed comparison, `open_due_date < today`, instead of a condition over four clocks.
    open_clock = models.CharField(max_length=16, blank=True)
    open_due_date = models.DateField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["-submitted_at", "-proposal"], name="fact_submitted"),
            models.Index(fields=["deciding_authority", "-submitted_at"], name="fact_authority_submitted"),
            models.Index(fields=["topic", "-submitted_at"], name="fact_topic_submitted"),
            # Covering: the overdue counts of the current month read only this index (RunningClockCount).
            models.Index(fields=["open_due_date", "open_clock"], condition=Q(open_due_date__isnull=False),
                         include=["submitted_at", "month", "deciding_authority", "topic"], name="fact_open_due"),
            # The longest-overdue list, month by month (reports.selectors.overdue_items).
            models.Index(fields=["month", "open_due_date", "proposal"], condition=Q(open_due_date__isnull=False),
                         include=["open_clock", "submitted_at", "deciding_authority", "topic"],
                         name="fact_running_month"),
            # Few proposals carry a reward recommendation or a retaliation report: their drill-downs read these.
            models.Index(fields=["-submitted_at", "-proposal"], name="fact_rewarded", condition=reduce(
                or_, (Q(**{f"{name}__gt": 0}) for name in MEASURES if name.startswith("reward_")))),
            models.Index(fields=["-submitted_at", "-proposal"], name="fact_retaliation", condition=reduce(
                or_, (Q(**{f"{name}__gt": 0}) for name in MEASURES if name.startswith("retaliation_")))),
        ]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.status}"


class ProposalCount(ChoiceLabels, CountMeasures):
    """The facts summed by month and one of three grains; a cell's measures are the sum of its facts'."""

    class Grain(models.IntegerChoices):
        AUTHORITY = 1, "authority × month"
        TOPIC = 2, "topic × month"
        AUTHORITY_TOPIC = 3, "authority × topic × month"

    grain = models.SmallIntegerField(choices=Grain.choices)
    deciding_authority = models.ForeignKey(OrganisationUnit, null=True, on_delete=models.DO_NOTHING,
                                           db_constraint=False, related_name="+")
    topic = models.ForeignKey("proposals.Topic", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                              related_name="+")
    month = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grain", "deciding_authority", "topic", "month"], nulls_distinct=False,
                                    name="proposal_count_cell"),
        ]
        indexes = [
            models.Index(fields=["grain", "month"], name="proposal_count_grain_month"),
            # The breakdown tables read only these columns: an index-only scan (reports.selectors.BREAKDOWN).
            models.Index(fields=["grain", "month"], name="proposal_count_breakdown", include=[
                "deciding_authority", "topic", "total", "approved", "rejected", "override", "pending", "review_late"]),
        ]

    def __str__(self) -> str:
        return f"{self.grain}/{self.deciding_authority_id}/{self.topic_id}/{self.month}: {self.total}"


class RunningClockCount(ChoiceLabels, models.Model):
    """Running clocks counted by month of registration, clock and month of the due date, at the grains of
    ProposalCount. Overdue depends on today: a clock due in an earlier month than today's is overdue whatever the
    day, so those come from here; only the clocks due earlier this month are counted from the facts' index."""

    grain = models.SmallIntegerField(choices=ProposalCount.Grain.choices)
    deciding_authority = models.ForeignKey(OrganisationUnit, null=True, on_delete=models.DO_NOTHING,
                                           db_constraint=False, related_name="+")
    topic = models.ForeignKey("proposals.Topic", null=True, on_delete=models.DO_NOTHING, db_constraint=False,
                              related_name="+")
    month = models.DateField()
    clock = models.CharField(max_length=16)
    due_month = models.DateField()
    running = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["grain", "deciding_authority", "topic", "month", "clock", "due_month"],
                                    nulls_distinct=False, name="running_clock_count_cell"),
        ]
        indexes = [models.Index(fields=["grain", "due_month", "month"], name="running_count_grain_due",
                                include=["deciding_authority", "topic", "clock", "running"])]

    def __str__(self) -> str:
        return f"{self.grain}/{self.deciding_authority_id}/{self.topic_id}/{self.month}/{self.clock}: {self.running}"


class UnitYearCount(models.Model):
    """Registered proposals per submitting unit and year: who registered nothing, without reading the facts."""

    unit = models.ForeignKey(OrganisationUnit, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+")
    year = models.SmallIntegerField()
    proposals = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["year", "unit"], name="unit_year_count_cell")]

    def __str__(self) -> str:
        return f"{self.unit_id}/{self.year}: {self.proposals}"
def export_path(instance, filename):
    return f"reports/exports/{instance.created_by_id}/{filename}"


class ExportJob(ChoiceLabels, models.Model):
    """A proposal list written to a file in the background (issue 11: an export of any size must not be cut off by
    the web server's timeout). It belongs to the person who asked for it and to nobody else; it keeps the
    filters as query parameters, never a queryset, so that the person's scope and the filters are checked again
    when the file is written, and the file is deleted `settings.EXPORT_KEEP_DAYS` after it is ready."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "Excel (XLSX)"
        CSV = "csv", "CSV"

    class Status(models.TextChoices):
        QUEUED = "queued", _("Đang chờ")
        RUNNING = "running", _("Đang tạo")
        DONE = "done", _("Hoàn thành")
        FAILED = "failed", _("Lỗi")

    class Failure(models.TextChoices):
        """Why a job failed, shown to the person in their language; the technical detail stays in `error`."""

        ERROR = "error", _("Không tạo được tệp do lỗi hệ thống; hãy thử lại hoặc báo quản trị hệ thống.")
        NO_SCOPE = "no_scope", _("Bạn không còn quyền xem số liệu giám sát nên tệp không được tạo.")
        FILTERS = "filters", _("Bộ lọc không còn hợp lệ với phạm vi bạn được xem; hãy chọn lại bộ lọc.")
        INTERRUPTED = "interrupted", _("Việc tạo tệp bị gián đoạn; hãy thử lại.")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("người yêu cầu"),
                                   on_delete=models.CASCADE, related_name="+")
    format = models.CharField(_("định dạng"), max_length=4, choices=Format.choices)
    #: The list's filters as the query string carries them (ReportFilters.params()).
    params = models.JSONField(_("bộ lọc"), default=dict, blank=True)
    #: What the file holds, as its name says it (reports.exports.file_stem), without the extension.
    file_stem = models.CharField(_("tên tệp"), max_length=200, blank=True)
    #: A digest of format and params: the same person asking again for the same list while one is being made
    #: gets that one (a unique constraint below makes it hold under a double click).
    params_key = models.CharField(max_length=64)
    #: The language the person used: the headers and labels of the file are written in it.
    language = models.CharField(max_length=10, default=settings.LANGUAGE_CODE)
    status = models.CharField(_("trạng thái"), max_length=8, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField(_("số dòng đã ghi"), default=0)
    rows_total = models.PositiveIntegerField(_("tổng số dòng"), null=True, blank=True)
    #: How the scope was when the file was written ("city" or the authorities' ids): a person whose scope has
    #: changed since may no longer download it.
    scope_key = models.CharField(max_length=500, blank=True)
    file = models.FileField(_("tệp"), storage=private_storage, upload_to=export_path, blank=True, max_length=255)
    failure = models.CharField(_("lý do lỗi"), max_length=16, choices=Failure.choices, blank=True)
    error = models.TextField(_("chi tiết lỗi"), blank=True)
    created_at = models.DateTimeField(_("thời điểm yêu cầu"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu tạo"), null=True, blank=True)
    finished_at = models.DateTimeField(_("hoàn thành"), null=True, blank=True)
    expires_at = models.DateTimeField(_("hết hạn"))

    class Meta:
        verbose_name = _("tệp xuất dữ liệu")
        verbose_name_plural = _("tệp xuất dữ liệu")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["created_by", "params_key"], condition=Q(status__in=["queued", "running"]),
                                    name="export_job_one_active_per_list"),
            models.CheckConstraint(condition=Q(status__in=["queued", "running", "done", "failed"]),
                                   name="export_job_status_valid"),
            models.CheckConstraint(condition=Q(format__in=["xlsx", "csv"]), name="export_job_format_valid"),
            models.CheckConstraint(condition=~Q(status="done") | ~Q(file=""), name="export_job_done_has_file"),
            models.CheckConstraint(condition=~Q(status="failed") | ~Q(failure=""), name="export_job_failure_named"),
        ]
        indexes = [
            models.Index(fields=["created_by", "-created_at"], name="export_job_of_person"),
            models.Index(fields=["expires_at"], name="export_job_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} — {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.DONE, self.Status.FAILED}

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    @property
    def filename(self) -> str:
        if self.file_stem:
            return f"{self.file_stem}.{self.format}"
        stamp = timezone.localtime(self.created_at).strftime("%Y%m%d-%H%M")
        return f"de-xuat-{stamp}.{self.format}"
