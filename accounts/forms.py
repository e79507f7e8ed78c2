"""Forms of the accounts app's own pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.selectors import SEARCH_MAX_LENGTH
from portal.forms import Form


class DirectoryForm(Form):
    """The directory's query string: words to look for, and the date the organisation is shown as of."""

    q = forms.CharField(label=_("Tìm đơn vị hoặc cán bộ"), required=False, max_length=SEARCH_MAX_LENGTH,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _(
                            "Tên (có thể gõ không dấu), mã cán bộ hoặc thư điện tử")}))
    on = forms.DateField(label=_("Tổ chức tại ngày"), required=False, input_formats=["%d/%m/%Y"],
                         widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy",
                                                                          "inputmode": "numeric"}),
                         help_text=_("Để trống: hôm nay."))
