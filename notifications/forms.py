from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.models import Category
from portal.forms import Form


class PreferencesForm(Form):
    email_categories = forms.MultipleChoiceField(
        label=_("Nhận thêm thư điện tử cho các loại thông báo"), choices=Category.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Thông báo trên Cổng luôn được gửi; bỏ chọn một loại để không nhận thư điện tử cho loại đó."),
    )
