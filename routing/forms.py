from django import forms
from django.utils.translation import gettext_lazy as _

from portal.forms import Form
from routing.models import CalendarDay


class CalendarDayForm(Form):
    date = forms.DateField(label=_("Ngày"), widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}))
    kind = forms.ChoiceField(label=_("Loại"), choices=CalendarDay.Kind.choices)
    name = forms.CharField(label=_("Lý do"), max_length=200)
