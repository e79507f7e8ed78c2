"""Forms of the accounts app's own pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from accounts.backends import passwords_allowed_for
from accounts.imports import RESERVED_CODES
from accounts.models import OrganisationImport, OrganisationUnit
from accounts.selectors import SEARCH_MAX_LENGTH
from portal.forms import Form
from proposals.widgets import MultipleFileField, MultipleFileInput, UnitPicker


class SignInForm(AuthenticationForm):
    """The password form. When passwords are for administrators only, a refusal says how officials sign in."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if settings.PASSWORD_SIGNIN != "everyone":
            self.error_messages = {**self.error_messages, "invalid_login": _(
                "Tên đăng nhập hoặc mật khẩu không đúng. Mật khẩu chỉ dành cho quản trị viên: cán bộ, công chức "
                "đăng nhập bằng tài khoản Thành phố.")}


class PortalPasswordResetForm(PasswordResetForm):
    """Django's reset form, which mails no one who may not sign in with a password."""

    def get_users(self, email):
        return (user for user in super().get_users(email) if passwords_allowed_for(user))


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


class MergeForm(Form):
    """A reorganisation: units merged into a successor (an existing unit, or a new one: a rename) on a date."""

    sources = forms.ModelMultipleChoiceField(
        label=_("Các đơn vị được hợp nhất (hoặc đổi tên)"), queryset=OrganisationUnit.objects.current(),
        widget=UnitPicker())
    successor = forms.ModelChoiceField(
        label=_("Đơn vị kế thừa đã có"), queryset=OrganisationUnit.objects.current(), required=False,
        widget=UnitPicker(single=True, empty_label=_("Đơn vị mới, khai báo dưới đây")))
    new_name = forms.CharField(label=_("Tên đơn vị mới"), required=False, max_length=255)
    new_code = forms.SlugField(label=_("Mã đơn vị mới"), required=False, max_length=64)
    new_kind = forms.ChoiceField(label=_("Loại đơn vị mới"), required=False, choices=[("", "—"),
                                                                                    *OrganisationUnit.Kind.choices])
    new_abbreviation = forms.CharField(label=_("Tên viết tắt của đơn vị mới"), required=False, max_length=20)
    on = forms.DateField(label=_("Từ ngày"), input_formats=["%d/%m/%Y"],
                         widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy",
                                                                          "inputmode": "numeric"}),
                         help_text=_("Các đơn vị được hợp nhất kết thúc vào ngày trước ngày này."))
    move_people = forms.BooleanField(label=_("Chuyển chức vụ và vai trò của cán bộ sang đơn vị kế thừa"),
                                     required=False, initial=True,
                                     help_text=_("Bỏ chọn: chức vụ, vai trò kết thúc cùng đơn vị."))

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("successor") is None:
            for name in ("new_name", "new_code", "new_kind"):
                if not cleaned.get(name):
                    self.add_error(name, _("Hãy khai báo đơn vị mới, hoặc chọn một đơn vị kế thừa đã có."))
            code = cleaned.get("new_code")
            if code and (code in RESERVED_CODES or OrganisationUnit.objects.filter(code=code).exists()):
                self.add_error("new_code", _("Mã đơn vị này đã có hoặc không dùng được."))
        return cleaned

    def successor_unit(self) -> OrganisationUnit:
        """The chosen successor, or the new unit (not saved), under the first merged unit's parent."""
        data = self.cleaned_data
        if data.get("successor") is not None:
            return data["successor"]
        return OrganisationUnit(name=data["new_name"], code=data["new_code"], kind=data["new_kind"],
                                abbreviation=data.get("new_abbreviation") or "", parent=data["sources"][0].parent)


def _reorganisation_date():
    return forms.DateField(label=_("Từ ngày"), input_formats=["%d/%m/%Y"],
                           widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy",
                                                                            "inputmode": "numeric"}))


class SplitForm(Form):
    """A split: one unit's parts go to two or more existing successors on a date."""

    source = forms.ModelChoiceField(label=_("Đơn vị được chia tách"), queryset=OrganisationUnit.objects.current(),
                                    widget=UnitPicker(single=True))
    principal = forms.ModelChoiceField(
        label=_("Đơn vị kế thừa chính"), queryset=OrganisationUnit.objects.current(), widget=UnitPicker(single=True),
        help_text=_("Nhận cán bộ, vai trò của chính đơn vị được chia tách và những gì không giao cho đơn vị khác."))
    others = forms.ModelMultipleChoiceField(
        label=_("Các đơn vị kế thừa khác"), queryset=OrganisationUnit.objects.current(), widget=UnitPicker(),
        help_text=_("Đơn vị mới được tạo trước bằng tệp nhân sự, có hiệu lực từ ngày chia tách."))
    on = _reorganisation_date()
    move_people = forms.BooleanField(
        label=_("Chuyển chức vụ và vai trò của cán bộ đơn vị được chia tách sang đơn vị kế thừa chính"),
        required=False, initial=True, help_text=_("Bỏ chọn: chức vụ, vai trò đó kết thúc cùng đơn vị."))

    def successors(self) -> list[OrganisationUnit]:
        principal = self.cleaned_data["principal"]
        return [principal, *(unit for unit in self.cleaned_data["others"] if unit.pk != principal.pk)]


class MoveForm(Form):
    """A move: a unit, with the units below it, goes under another parent on a date."""

    unit = forms.ModelChoiceField(label=_("Đơn vị được chuyển"), queryset=OrganisationUnit.objects.current(),
                                  widget=UnitPicker(single=True))
    parent = forms.ModelChoiceField(label=_("Chuyển về trực thuộc"), queryset=OrganisationUnit.objects.current(),
                                    widget=UnitPicker(single=True))
    on = _reorganisation_date()
