import inspect

import pytest
from django import forms
from django.core.exceptions import ValidationError

from notifications import forms as notification_forms
from portal.forms import TEXT_MAX_LENGTH, CappedText, Form
from portal.text import validate_has_letters, validate_plain_name
from proposals import forms as proposal_forms
from reports import forms as report_forms
from routing import forms as routing_forms

FORMS = [cls for module in (proposal_forms, report_forms, routing_forms, notification_forms)
         for _name, cls in inspect.getmembers(module, inspect.isclass)
         if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__]


def test_the_portals_forms_are_found():
    assert len(FORMS) > 25


@pytest.mark.parametrize("form_class", FORMS, ids=lambda cls: cls.__name__)
def test_every_form_of_the_portal_caps_its_text(form_class):
    assert issubclass(form_class, CappedText)


class Sample(Form):
    free = forms.CharField(widget=forms.Textarea)
    short = forms.CharField(max_length=10)


def test_a_text_without_a_limit_gets_the_portals_cap_and_says_so():
    long = Sample({"free": "x" * (TEXT_MAX_LENGTH + 1), "short": "ok"})
    fitting = Sample({"free": "x" * TEXT_MAX_LENGTH, "short": "ok"})

    assert list(long.errors) == ["free"] and len(long.errors["free"]) == 1
    assert fitting.is_valid()
    assert long.fields["free"].widget.attrs["maxlength"] == str(TEXT_MAX_LENGTH)
    assert long.fields["short"].max_length == 10


@pytest.mark.parametrize("name", ["Sở\u202eXây dựng", "Nguyễn\u200dVăn A", "Phòng\x07Một"])
def test_names_refuse_invisible_formatting(name):
    with pytest.raises(ValidationError):
        validate_plain_name(name)


def test_an_ordinary_vietnamese_name_is_plain():
    validate_plain_name("Nguyễn Thị Hồng Nhung — Phòng Cải cách hành chính (P.CCHC)")
    validate_has_letters("Số hoá 2026")
