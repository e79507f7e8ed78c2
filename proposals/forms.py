from __future__ import annotations

import unicodedata

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms.models import model_to_dict
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationUnit, User
from portal.forms import Form, ModelForm
from portal.widgets import Select
from proposals import content
from proposals.files import attachments_within_limit, checked_upload
from proposals.models import Outcome, Proposal, ProtectionTier, Reward, Topic
from proposals.selectors import InboxFilters, inbox_units
from proposals.widgets import MultipleFileField, PersonPicker, UnitPicker
from proposals.workflow import Status

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})
TEXTAREA = forms.Textarea(attrs={"rows": 3})

HELP = {
    "title": _("Tên ngắn gọn, nêu rõ vấn đề và giải pháp."),
    "necessity": _("Vì sao cần đổi mới; thực trạng và yêu cầu của thực tiễn."),
    "bottleneck": _("Điểm nghẽn, nút thắt về cơ chế, chính sách mà chưa có văn bản pháp luật nào giải quyết."),
    "objectives": _("Mục tiêu và yêu cầu cần đạt."),
    "content_solutions": _("Nội dung, nhiệm vụ và giải pháp cụ thể."),
    "scope": _("Phạm vi áp dụng: địa bàn, lĩnh vực, đối tượng."),
    "implementers": _("Người, đơn vị chủ trì và phối hợp thực hiện."),
    "timeline_description": _("Các mốc chính và tiến độ dự kiến."),
    "resources": _("Nhân lực, trang thiết bị cần có."),
    "budget_amount": _("Tổng kinh phí dự kiến, tính bằng đồng; nhập 0 nếu không cần kinh phí."),
    "feasibility": _("Cơ sở để tin rằng đề xuất thực hiện được."),
    "expected_results": _("Kết quả dự kiến, đo lường được nếu có thể."),
    "risks": _("Rủi ro có thể xảy ra. Rủi ro đã lường trước trong phương án được phê duyệt là căn cứ để bảo vệ người đề xuất."),
    "worst_case": _("Tình huống xấu nhất có thể xảy ra."),
    "risk_handling": _("Phương án xử lý khi rủi ro xảy ra."),
    "involved_units": _("Các cơ quan, đơn vị khác tham gia hoặc chịu tác động; để trống nếu chỉ trong đơn vị mình."),
    "commitment": _("Tôi cam kết đề xuất vì lợi ích chung, không vụ lợi, và chịu trách nhiệm về nội dung đề xuất."),
}


class ProposalForm(ModelForm):
    """The proposal plan. Every field but the title may be empty in a draft; submission checks completeness
    (`proposals.content.completeness_errors`) and the view shows those problems through `add_completeness_errors`."""

    new_attachments = MultipleFileField(
        label=_("Tệp đính kèm"), required=False,
        help_text=_("PDF, văn bản Office hoặc hình ảnh; tối đa %(mb)s MB mỗi tệp."),
    )
    creation_token = forms.UUIDField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Proposal
        fields = [f for f in content.CONTENT_FIELDS]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "budget_amount": forms.NumberInput(attrs={"min": 0, "step": 1}),
            **{name: TEXTAREA for name in (
                "summary", "necessity", "bottleneck", "objectives", "content_solutions", "scope", "implementers",
                "timeline_description", "resources", "feasibility", "positive_impact", "negative_impact",
                "expected_results", "risks", "worst_case", "risk_handling")},
        }
        help_texts = HELP

    def __init__(self, *args, section: int | None = None, **kwargs):
        """`section` (1 to len(content.SECTIONS)) keeps only that section's fields: one page of the guided form."""
        super().__init__(*args, **kwargs)
        self.section = section
        self.fields["new_attachments"].help_text = self.fields["new_attachments"].help_text % {
            "mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024)}
        for name, field in self.fields.items():
            if name != "title":
                field.required = False
        self.fields["title"].required = True
        self.fields["topic"].queryset = Topic.objects.filter(is_active=True)
        self.fields["involved_units"] = forms.ModelMultipleChoiceField(
            queryset=OrganisationUnit.objects.current(), required=False,
            label=_("Cơ quan, đơn vị liên quan"), help_text=HELP["involved_units"], widget=UnitPicker(),
        )
        self.fields["commitment"].label = _("Cam kết")
        self._mark_required_to_submit()
        fieldsets = self._fieldsets()
        if section is not None:
            kept = {"new_attachments" if name == "attachments" else name for name in content.section_fields(section)}
            if section == 1:
                kept.add("creation_token")
            for name in [name for name in self.fields if name not in kept]:
                del self.fields[name]
            fieldsets = [fieldsets[section - 1]]
            fieldsets[0].legend = ""  # the page's heading names the section
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the template renders the form tag and its token
        self.helper.layout = Layout(
            HTML('<p class="small text-muted" id="required-note">{}</p>'.format(
                _("Các mục có dấu * phải điền trước khi gửi; bản nháp lưu được khi còn thiếu."))),
            *fieldsets,
            *(["creation_token"] if "creation_token" in self.fields else []),
        )

    @property
    def content_fields(self) -> list[str]:
        """The plan's fields this form asks for (all of them, or one section's)."""
        return [name for name in content.CONTENT_FIELDS if name in self.fields]

    @staticmethod
    def _fieldsets() -> list[Fieldset]:
        """One fieldset per section of content.SECTIONS, in its order."""
        titles = [title for title, _fields in content.SECTIONS]
        return [
            Fieldset(titles[0], "title", "topic", "summary"),
            Fieldset(titles[1], "necessity", "bottleneck"),
            Fieldset(titles[2], "objectives", "content_solutions", "scope"),
            Fieldset(titles[3], "implementers",
                     Div(Div("start_date", css_class="col-md-6"), Div("end_date", css_class="col-md-6"),
                         css_class="row"),
                     "timeline_description"),
            Fieldset(titles[4], "resources",
                     Div(Div("budget_amount", css_class="col-md-6"), Div("budget_source", css_class="col-md-6"),
                         css_class="row")),
            Fieldset(titles[5], "feasibility", "positive_impact", "negative_impact", "expected_results"),
            Fieldset(titles[6], "risks", "worst_case", "risk_handling"),
            Fieldset(titles[7],
                     HTML('<p class="small text-muted">{}</p>'.format(
                         _("Đề xuất phải đáp ứng đủ bốn điều kiện; cơ quan có thẩm quyền sẽ xác nhận khi xem xét."))),
                     *content.CONDITIONS),
            Fieldset(titles[8], "involved_units", "new_attachments"),
            Fieldset(titles[9], "commitment"),
        ]

    def _mark_required_to_submit(self) -> None:
        """Every field a submission needs carries the asterisk of a required field (and aria-required) before the
        person sends anything, though a draft may be saved without it (content.REQUIRED_TO_SUBMIT)."""
        needed = (*content.REQUIRED_TO_SUBMIT, *content.CONDITIONS, "commitment")
        for name in needed:
            field = self.fields.get(name)
            if field is None or field.required:
                continue  # the title is required even in a draft, and marked as such already
            field.label = format_html('{} <span class="asteriskField" title="{}">*</span>', field.label,
                                      _("bắt buộc khi gửi"))
            field.widget.attrs["aria-required"] = "true"

    @classmethod
    def for_stored(cls, proposal: Proposal) -> ProposalForm:
        """A form bound to the stored draft, so problems can be shown beside its fields."""
        data = model_to_dict(proposal, fields=[f for f in content.CONTENT_FIELDS if f != "involved_units"])
        data["involved_units"] = [unit.pk for unit in proposal.involved_units.all()]
        form = cls(data={k: v for k, v in data.items() if v is not None}, instance=proposal)
        form.is_valid()
        return form

    def clean_title(self):
        return unicodedata.normalize("NFC", self.cleaned_data["title"]).strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Ngày kết thúc phải sau ngày bắt đầu."))
        return cleaned

    def clean_new_attachments(self):
        files = self.cleaned_data.get("new_attachments") or []
        total_limit = settings.ATTACHMENT_MAX_TOTAL_BYTES
        if sum(upload.size for upload in files) > total_limit:
            raise ValidationError(_("Tổng dung lượng các tệp gửi một lần vượt quá %(limit)s.") % {
                "limit": filesizeformat(total_limit)})
        if files:
            # With the files saved before: nothing of this save is kept if they would not all fit.
            attachments_within_limit(self.instance if self.instance.pk else None,
                                     adding=sum(upload.size for upload in files))
        problems = []
        for upload in files:
            try:
                checked_upload(upload)
            except ValidationError as error:
                problems.extend(error.messages)
        if problems:
            raise ValidationError(problems)
        return files

    def add_completeness_errors(self, errors: dict[str, list[str]]) -> None:
        for field, messages in errors.items():
            for message in messages:
                self.add_error(field if field in self.fields else None, message)


class WithdrawForm(Form):
    reason = forms.CharField(label=_("Lý do rút"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             max_length=2000)


class TransferForm(Form):
    authority = forms.ModelChoiceField(
        label=_("Chuyển tới cơ quan"), queryset=OrganisationUnit.objects.current().filter(
            kind__in=OrganisationUnit.AUTHORITY_KINDS),
        widget=UnitPicker(single=True, authorities_only=True),
    )
    reason = forms.CharField(label=_("Lý do chuyển"), widget=forms.Textarea(attrs={"rows": 2}), max_length=300)


def _date_field(label):
    return forms.DateField(label=label, widget=DATE_WIDGET, help_text=_("Nhập theo dạng dd/mm/yyyy."))


def _issue_date_field(label):
    """The date of a document the portal numbers itself (proposals.numbering)."""
    return forms.DateField(label=label, widget=DATE_WIDGET, help_text=_(
        "Nhập theo dạng dd/mm/yyyy. Số văn bản được cấp tự động khi ban hành: số thứ tự của cơ quan trong năm, "
        "ví dụ 12/QĐ-SXD."))


def _document_field(label):
    return forms.FileField(label=label, required=False, help_text=_("PDF, văn bản Office hoặc hình ảnh."))


class CheckedFileMixin:
    """Files are checked by content and size when the form is validated, so errors sit beside the field."""

    file_fields: tuple[str, ...] = ()

    def _clean_files(self):
        for name in self.file_fields:
            upload = self.cleaned_data.get(name)
            if upload:
                try:
                    checked_upload(upload)
                except ValidationError as error:
                    self.add_error(name, error)


class ReturnForm(Form):
    message = forms.CharField(label=_("Nội dung cần bổ sung"), widget=forms.Textarea(attrs={"rows": 3}),
                              max_length=5000)


class PartyOpinionForm(CheckedFileMixin, Form):
    file_fields = ("document",)
    document_number = forms.CharField(label=_("Số văn bản"), max_length=64)
    document_date = _date_field(_("Ngày văn bản"))
    summary = forms.CharField(label=_("Tóm tắt ý kiến của cấp ủy"), widget=forms.Textarea(attrs={"rows": 3}))
    document = _document_field(_("Văn bản (tệp)"))

    def clean(self):
        cleaned = super().clean()
        self._clean_files()
        return cleaned


class MeetingForm(CheckedFileMixin, Form):
    file_fields = ("minutes",)
    meeting_date = _date_field(_("Ngày họp"))
    members_present = forms.IntegerField(label=_("Số thành viên dự họp"), min_value=1, max_value=200)
    author_present = forms.BooleanField(
        label=_("Người đề xuất là thành viên tập thể lãnh đạo và dự họp (không được biểu quyết)"), required=False)
    votes_for = forms.IntegerField(label=_("Tán thành"), min_value=0, max_value=200)
    votes_against = forms.IntegerField(label=_("Không tán thành"), min_value=0, max_value=200)
    votes_abstain = forms.IntegerField(label=_("Phiếu trắng, không biểu quyết"), min_value=0, max_value=200,
                                       initial=0)
    head_vote = forms.ChoiceField(label=_("Người đứng đầu biểu quyết"),
                                  # No answer is chosen for the head: the record says what they voted, not a default.
                                  choices=[("", _("— Chọn —")), ("for", _("Tán thành")),
                                           ("against", _("Không tán thành")),
                                           ("abstain", _("Không biểu quyết / phiếu trắng"))])
    minutes = _document_field(_("Biên bản họp"))

    def clean(self):
        cleaned = super().clean()
        self._clean_files()
        counts = [cleaned.get(n) for n in ("members_present", "votes_for", "votes_against", "votes_abstain")]
        if None not in counts:
            present, *votes = counts
            voters = present - (1 if cleaned.get("author_present") else 0)
            if sum(votes) > voters:
                self.add_error("votes_for", _(
                    "Tổng số phiếu (%(cast)s) vượt quá số thành viên được biểu quyết (%(voters)s).")
                    % {"cast": sum(votes), "voters": max(voters, 0)})
        return cleaned


class DecisionForm(Form):
    decision_date = _issue_date_field(_("Ngày quyết định"))
    reasons = forms.CharField(label=_("Nội dung bổ sung (nếu có)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class OverrideForm(Form):
    decision_date = _issue_date_field(_("Ngày quyết định"))
    justification = forms.CharField(label=_("Lý do người đứng đầu quyết định phê duyệt"),
                                    widget=forms.Textarea(attrs={"rows": 3}))


class RejectForm(Form):
    decision_date = _issue_date_field(_("Ngày quyết định"))
    reasons = forms.CharField(label=_("Lý do không phê duyệt"), widget=forms.Textarea(attrs={"rows": 3}))


class NoteForm(Form):
    """A message in the thread between the author and the deciding authority."""

    text = forms.CharField(label=_("Trao đổi với người đề xuất và cơ quan quyết định"),
                           widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class InternalNoteForm(NoteForm):
    text = forms.CharField(label=_("Ghi chú nội bộ của cơ quan quyết định"),
                           widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class InboxFilterForm(Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200,
                        widget=forms.TextInput(attrs={"type": "search", "class": "form-control",
                                                      "placeholder": _("Số hiệu, tên hoặc nội dung")}))
    status = forms.ChoiceField(label=_("Trạng thái"), required=False, widget=Select)
    # A city's reviewers would get thousands of units in a list: the picker renders the chosen one and searches.
    unit = forms.ModelChoiceField(label=_("Đơn vị của người đề xuất"), queryset=OrganisationUnit.objects.none(),
                                  required=False, widget=UnitPicker(single=True, empty_label=_("Mọi đơn vị")))
    topic = forms.ModelChoiceField(label=_("Lĩnh vực"), queryset=Topic.objects.all(), required=False,
                                   empty_label=_("Mọi lĩnh vực"), widget=Select)
    overdue = forms.BooleanField(label=_("Chỉ đề xuất quá hạn"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Cơ quan đang phải xử lý (chờ quyết định, bổ sung, đánh giá, kết luận)")),
                                         ("all", _("Mọi trạng thái")),
                                         *[(v, label) for v, label in Status.choices if v != Status.DRAFT]]
        self.fields["unit"].queryset = inbox_units(user=user)
        for name in ("status", "topic"):
            self.fields[name].widget.attrs["class"] = "form-select"
        self.fields["overdue"].widget.attrs["class"] = "form-check-input"

    def filters(self):
        status = self.cleaned_data.get("status") or ""
        unit = self.cleaned_data.get("unit")
        topic = self.cleaned_data.get("topic")
        return InboxFilters(
            status=status if status not in ("", "all") else None, open_only=status != "all",
            unit=unit.pk if unit else None, unit_path=unit.path if unit else "", topic=topic.pk if topic else None,
            overdue=bool(self.cleaned_data.get("overdue")), text=self.cleaned_data.get("q") or "",
        )


# — after approval ————————————————————————————————————————————————————————————————————————————


class ImplementerForm(Form):
    who = forms.ModelChoiceField(
        label=_("Người thực hiện"), queryset=User.objects.filter(is_active=True), widget=PersonPicker(),
        help_text=_("Gõ họ tên để tìm; kết quả nêu chức vụ và đơn vị của từng người."),
        error_messages={"required": _("Hãy chọn người thực hiện."),
                        "invalid_choice": _("Không tìm thấy cán bộ này; hãy tìm và chọn lại.")})


class EmptyForm(Form):
    """For actions that need nothing but the button (start, complete, close)."""


class ProgressForm(CheckedFileMixin, Form):
    file_fields = ("document",)
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    milestones = forms.CharField(label=_("Mốc đã đạt được"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    resources_used = forms.CharField(label=_("Nguồn lực đã sử dụng so với được giao"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    budget_spent = forms.DecimalField(label=_("Kinh phí đã sử dụng (đồng)"), required=False, min_value=0,
                                      decimal_places=0, max_digits=18)
    problems = forms.CharField(label=_("Khó khăn, vướng mắc"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    document = _document_field(_("Tệp kèm theo"))

    def clean(self):
        cleaned = super().clean()
        self._clean_files()
        return cleaned


class OrderForm(Form):
    reasons = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class ResultsReportForm(CheckedFileMixin, Form):
    file_fields = ("document",)
    summary = forms.CharField(label=_("Tóm tắt kết quả thực hiện"), widget=forms.Textarea(attrs={"rows": 3}))
    results_against_plan = forms.CharField(label=_("Kết quả so với mục tiêu, kết quả dự kiến"),
                                           widget=forms.Textarea(attrs={"rows": 3}))
    resources_used = forms.CharField(label=_("Nguồn lực, kinh phí đã sử dụng"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    document = _document_field(_("Báo cáo (tệp)"))

    def clean(self):
        cleaned = super().clean()
        self._clean_files()
        return cleaned


class EvaluationForm(MeetingForm):
    outcome = forms.ChoiceField(label=_("Kết quả thực hiện"), choices=[("", "---------"), *Outcome.choices])
    damage_caused = forms.BooleanField(label=_("Có gây thiệt hại"), required=False)
    damage_description = forms.CharField(label=_("Mô tả thiệt hại"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 2}))
    damage_amount = forms.DecimalField(label=_("Giá trị thiệt hại ước tính (đồng)"), required=False, min_value=0,
                                       decimal_places=0, max_digits=18)
    objective_causes = forms.CharField(label=_("Nguyên nhân khách quan"), widget=forms.Textarea(attrs={"rows": 2}))
    subjective_causes = forms.CharField(label=_("Nguyên nhân chủ quan"), widget=forms.Textarea(attrs={"rows": 2}))
    followed_plan = forms.BooleanField(label=_("Người đề xuất thực hiện đúng phương án được phê duyệt"),
                                       required=False)
    pure_motives = forms.BooleanField(label=_("Động cơ trong sáng, không vụ lợi"), required=False)
    common_good = forms.BooleanField(label=_("Vì lợi ích chung"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("damage_caused") and not (cleaned.get("damage_description") or "").strip():
            self.add_error("damage_description", _("Hãy mô tả thiệt hại."))
        return cleaned


class ConclusionForm(Form):
    """The conclusion and, on the Decree 73 track, the protection decision; on the City's initiative track the
    protection fields are left out (`Proposal.on_decree73_track`)."""

    PROTECTION_FIELDS = ("protection_date", "tier", "tier_reasons")

    conclusion_date = _issue_date_field(_("Ngày kết luận"))
    conclusion_text = forms.CharField(label=_("Nội dung kết luận"), widget=forms.Textarea(attrs={"rows": 3}))
    protection_date = _issue_date_field(_("Ngày quyết định bảo vệ"))
    tier = forms.ChoiceField(label=_("Mức bảo vệ"), choices=ProtectionTier.choices)
    tier_reasons = forms.CharField(label=_("Lý do (bắt buộc khi khác mức theo kết quả đánh giá)"), required=False,
                                   widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, protected: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not protected:
            for name in self.PROTECTION_FIELDS:
                del self.fields[name]
            self.fields["conclusion_text"].help_text = _(
                "Người đề xuất không thuộc đối tượng của Nghị định 73/2023/NĐ-CP (Kế hoạch sáng kiến của Thành "
                "phố): kết luận không kèm quyết định bảo vệ; sau kết luận là ghi nhận, khen thưởng.")


class RewardForm(Form):
    beneficiary = forms.ModelChoiceField(label=_("Người được đề nghị"), queryset=None)
    kind = forms.ChoiceField(label=_("Hình thức"), choices=Reward.Kind.choices)
    description = forms.CharField(label=_("Nội dung đề nghị"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        ids = []
        if proposal is not None:
            ids = [proposal.author_id, *proposal.implementer_links.values_list("user_id", flat=True)]
        self.fields["beneficiary"].queryset = User.objects.filter(pk__in=ids)


class RewardSettleForm(Form):
    reward = forms.IntegerField(widget=forms.HiddenInput)
    result = forms.ChoiceField(label=_("Kết quả"), choices=[("granted", _("Được chấp thuận")),
                                                            ("refused", _("Không được chấp thuận"))])
    note = forms.CharField(label=_("Ghi chú (số quyết định khen thưởng…)"), required=False, max_length=2000)


class RetaliationReportForm(Form):
    incident_date = _date_field(_("Ngày xảy ra"))
    accused = forms.CharField(label=_("Người, bộ phận có hành vi cản trở, trù dập"), max_length=300)
    description = forms.CharField(label=_("Nội dung sự việc"), widget=forms.Textarea(attrs={"rows": 5}),
                                  max_length=20000)


class RetaliationAdvanceForm(Form):
    status = forms.ChoiceField(label=_("Chuyển sang"), choices=[("examining", _("Đang xem xét, xác minh")),
                                                                ("concluded", _("Đã kết luận"))])
    note = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    outcome = forms.CharField(label=_("Kết quả xử lý (bắt buộc khi kết luận)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == "concluded" and not (cleaned.get("outcome") or "").strip():
            self.add_error("outcome", _("Hãy nêu kết quả xử lý."))
        return cleaned
