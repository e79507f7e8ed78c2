"""Forms of the accounts app's own pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import OrganisationImport
from accounts.selectors import SEARCH_MAX_LENGTH
from portal.forms import Form
from proposals.widgets import MultipleFileField, MultipleFileInput


class DirectoryForm(Form):
    """The directory's query string: words to look for, and the date the organisation is shown as of."""

    q = forms.CharField(label=_("Tìm đơn vị hoặc cán bộ"), required=False, max_length=SEARCH_MAX_LENGTH,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _(
                            "Tên (có thể gõ không dấu), mã cán bộ hoặc thư điện tử")}))
    on = forms.DateField(label=_("Tổ chức tại ngày"), required=False, input_formats=["%d/%m/%Y"],
                         widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy",
                                                                          "inputmode": "numeric"}),
                         help_text=_("Để trống: hôm nay."))


class OrganisationImportForm(Form):
    """The HR files of an import: an XLSX workbook, or CSV files (a file per table), or a ZIP archive of them."""

    EXTENSIONS = (".xlsx", ".csv", ".zip")
    MAX_BYTES = 50 * 1024 * 1024

    files = MultipleFileField(label=_("Tệp dữ liệu"), widget=MultipleFileInput(attrs={"accept": ",".join(EXTENSIONS)}),
                              help_text=_("Một tệp Excel có các bảng Đơn vị, Cán bộ, Chức vụ, Thành viên cơ quan; "
                                          "hoặc các tệp CSV, mỗi bảng một tệp; tối đa 50 MB."))
    mode = forms.ChoiceField(label=_("Cách nhập"), choices=OrganisationImport.Mode.choices,
                             initial=OrganisationImport.Mode.UPDATE, widget=forms.RadioSelect)
    as_of = forms.DateField(label=_("Tính từ ngày"), input_formats=["%d/%m/%Y"],
                            widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy",
                                                                             "inputmode": "numeric"}),
                            help_text=_("Khi đồng bộ toàn bộ: chức vụ và vai trò không có trong tệp kết thúc vào "
                                        "ngày trước ngày này."))

    def clean_files(self):
        files = self.cleaned_data.get("files") or []
        if not files:
            raise forms.ValidationError(_("Hãy chọn ít nhất một tệp."))
        for upload in files:
            if not upload.name.lower().endswith(self.EXTENSIONS):
                raise forms.ValidationError(_("“%(name)s”: chỉ nhận tệp .xlsx, .csv hoặc .zip.") % {"name": upload.name})
        if sum(upload.size for upload in files) > self.MAX_BYTES:
            raise forms.ValidationError(_("Các tệp vượt quá 50 MB."))
        return files
