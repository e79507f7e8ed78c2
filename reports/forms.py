"""Input of the monitoring pages: the filters shared by the dashboard, its lists and exports; plans; the review."""

from __future__ import annotations

import datetime

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationUnit
from portal.forms import Form, ModelForm
from portal.widgets import Select
from proposals.clocks import CLOCKS
from proposals.models import Outcome, ProtectionTier, RetaliationReport, Reward, Topic
from proposals.widgets import UnitPicker
from proposals.workflow import Status
from reports.models import AnnualReview
from reports.selectors import Compliance, Damage, Decided, ReportFilters, Scope, clock_label

#: The periods a monitor may choose: since before the portal's first proposals, up to a year ahead (a period
#: reaching year 9999 overflowed the date arithmetic and would list thousands of empty months).
REPORT_FIRST_DAY = datetime.date(2000, 1, 1)
REPORT_YEARS_AHEAD = 1

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class AuthorityPicker(UnitPicker):
    """The chosen authority only, and a combobox that finds others: a city-wide monitor chooses among thousands."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, single=True, authorities_only=True, empty_label=_("Tất cả"), **kwargs)


class ReportFilterForm(Form):
    """Query-string filters. Invalid values are reported and ignored, so a page always renders."""

    date_from = forms.DateField(label=_("Từ ngày"), required=False, input_formats=["%d/%m/%Y"], widget=DATE_WIDGET)
    date_to = forms.DateField(label=_("Đến ngày"), required=False, input_formats=["%d/%m/%Y"], widget=DATE_WIDGET)
    authority = forms.ModelChoiceField(label=_("Cơ quan quyết định"), queryset=OrganisationUnit.objects.none(),
                                       required=False, empty_label=_("Tất cả"), widget=AuthorityPicker)
    kind = forms.ChoiceField(widget=Select, label=_("Loại cơ quan quyết định"), required=False)
    topic = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Topic.objects.none(), required=False,
                                   empty_label=_("Tất cả"), widget=Select)
    status = forms.ChoiceField(widget=Select, label=_("Trạng thái"), required=False)
    decided = forms.ChoiceField(widget=Select, label=_("Quyết định"), required=False,
                                choices=[("", _("Tất cả")), *Decided.choices])
    clock = forms.ChoiceField(widget=Select, label=_("Thời hạn"), required=False)
    compliance = forms.ChoiceField(widget=Select, label=_("Tình trạng thời hạn"), required=False,
                                   choices=[("", _("Tất cả")), *Compliance.choices])
    outcome = forms.ChoiceField(widget=Select, label=_("Kết quả đánh giá"), required=False,
                                choices=[("", _("Tất cả")), *Outcome.choices])
    damage = forms.ChoiceField(widget=Select, label=_("Thiệt hại"), required=False, choices=[("", _("Tất cả")), *Damage.choices])
    tier = forms.ChoiceField(widget=Select, label=_("Mức bảo vệ"), required=False,
                             choices=[("", _("Tất cả")), *ProtectionTier.choices])
    reward_kind = forms.ChoiceField(widget=Select, label=_("Hình thức khen thưởng"), required=False,
                                    choices=[("", _("Tất cả")), *Reward.Kind.choices])
    reward_result = forms.ChoiceField(widget=Select, label=_("Kết quả đề nghị khen thưởng"), required=False,
                                      choices=[("", _("Tất cả")), *Reward.Result.choices])
    retaliation = forms.ChoiceField(widget=Select, label=_("Phản ánh bị cản trở, trù dập"), required=False,
                                    choices=[("", _("Tất cả")), *RetaliationReport.Status.choices])
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Số hiệu, tên hoặc nội dung")}))

    def __init__(self, data=None, *, scope: Scope, authorities=None, topics=None, **kwargs):
        super().__init__(data, **kwargs)
        self.scope = scope
        self.fields["authority"].queryset = authorities if authorities is not None else (
            OrganisationUnit.objects.filter(kind__in=OrganisationUnit.AUTHORITY_KINDS).filter(scope.unit_q()))
        self.fields["topic"].queryset = topics if topics is not None else Topic.objects.all()
        self.fields["kind"].choices = [("", _("Tất cả")), *[
            (kind.value, kind.label) for kind in OrganisationUnit.Kind if kind in OrganisationUnit.AUTHORITY_KINDS]]
        self.fields["status"].choices = [("", _("Tất cả")), *[
            (value, label) for value, label in Status.choices if value != Status.DRAFT]]
        if not scope.city:
            # Retaliation reports are confidential; only city-wide monitors may narrow a list by them.
            del self.fields["retaliation"]
        self.fields["clock"].choices = [("", _("Tất cả")), *[(clock.name, clock_label(clock)) for clock in CLOCKS]]
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs["class"] = f"{css} form-select-sm" if css == "form-select" else f"{css} form-control-sm"

    def _clean_date(self, name: str) -> datetime.date | None:
        value = self.cleaned_data.get(name)
        last = datetime.date(timezone.localdate().year + REPORT_YEARS_AHEAD, 12, 31)
        if value and not REPORT_FIRST_DAY <= value <= last:
            raise forms.ValidationError(_("Chọn một ngày từ %(first)s đến %(last)s.") % {
                "first": REPORT_FIRST_DAY.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")})
        return value

    def clean_date_from(self):
        return self._clean_date("date_from")

    def clean_date_to(self):
        return self._clean_date("date_to")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Ngày kết thúc phải sau ngày bắt đầu."))
            data.pop("date_to", None)
            data.pop("date_from", None)
        return data

    #: The drill-down's filters that fold away under "more filters" (templates/reports/includes/filter_form.html).
    MORE_FILTERS = ("decided", "clock", "compliance", "outcome", "damage", "tier", "reward_kind", "reward_result",
                    "retaliation")

    @property
    def more_filters_in_use(self) -> int:
        """How many of the folded filters are set (or wrong): the fold then opens, so none is hidden in effect."""
        return sum(1 for name in self.MORE_FILTERS
                   if name in self.fields and (self.data.get(name) or self.errors.get(name)))

    def filters(self, today: datetime.date | None = None) -> ReportFilters:
        """The filters to apply: the valid values given, defaults (this year) for the rest."""
        self.is_valid()
        default = ReportFilters.this_year(today or timezone.localdate())
        data = getattr(self, "cleaned_data", {})
        date_from = data.get("date_from") or default.date_from
        date_to = data.get("date_to") or default.date_to
        if date_from > date_to:
            date_from, date_to = default.date_from, default.date_to
        return ReportFilters(
            date_from=date_from, date_to=date_to, authority=data.get("authority"), kind=data.get("kind") or "",
            topic=data.get("topic"), status=data.get("status") or "", decided=data.get("decided") or "",
            clock=data.get("clock") or "", compliance=data.get("compliance") or "",
            outcome=data.get("outcome") or "", damage=data.get("damage") or "", tier=data.get("tier") or "",
            reward_kind=data.get("reward_kind") or "", reward_result=data.get("reward_result") or "",
            retaliation=(data.get("retaliation") or "") if self.scope.city else "", text=data.get("q") or "",
        )


class ImplementationPlanForm(Form):
    unit = forms.ModelChoiceField(label=_("Đơn vị"), queryset=OrganisationUnit.objects.none(), empty_label=None)
    year = forms.TypedChoiceField(label=_("Năm"), coerce=int)
    document_date = forms.DateField(label=_("Ngày ban hành"), input_formats=["%d/%m/%Y"], widget=DATE_WIDGET)
    measures = forms.CharField(label=_("Tóm tắt các biện pháp"), widget=forms.Textarea(attrs={"rows": 4}))
    document = forms.FileField(label=_("Văn bản kế hoạch"),
                               help_text=_("PDF hoặc văn bản Office; tối đa %(mb)s MB."))

    def __init__(self, *args, units, today: datetime.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        today = today or timezone.localdate()
        self.fields["unit"].queryset = OrganisationUnit.objects.filter(pk__in=[unit.pk for unit in units])
        self.fields["year"].choices = [(year, str(year)) for year in (today.year + 1, today.year, today.year - 1)]
        self.fields["year"].initial = today.year
        self.fields["document"].help_text = self.fields["document"].help_text % {
            "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"


class AnnualReviewForm(ModelForm):
    class Meta:
        model = AnnualReview
        fields = ["results", "lessons", "shortcomings", "corrective_measures"]
        widgets = {name: forms.Textarea(attrs={"rows": 5}) for name in fields}
