"""portal.widgets.Select writes the HTML Django's Select does, without a template per option."""

import pytest
from django import forms
from django.test.html import parse_html

from portal.widgets import Select
from proposals.models import Topic

CHOICES = [("", "Tất cả"), ("a", "A & <b>"), ("b", "Bê")]
GROUPED = [("", "—"), ("Nhóm 1", [("x", "X"), ("y", "Y")]), ("z", "Z")]


@pytest.mark.parametrize(("choices", "value", "attrs"), [
    (CHOICES, "", None),
    (CHOICES, "b", {"class": "form-select", "id": "id_f", "aria-invalid": "true"}),
    (CHOICES, "none-of-them", {"required": True, "disabled": False}),
    (GROUPED, "y", {"class": "form-select"}),
])
def test_the_html_is_djangos(choices, value, attrs):
    ours = Select(choices=choices).render("f", value, attrs=attrs)
    djangos = forms.Select(choices=choices).render("f", value, attrs=attrs)
    assert parse_html(ours) == parse_html(djangos)
    assert "<b>" not in ours


@pytest.mark.django_db
def test_a_model_choice_is_marked_by_its_primary_key():
    topic = Topic.objects.create(name="Lĩnh vực thử hiển thị")

    class Form(forms.Form):
        topic = forms.ModelChoiceField(Topic.objects.all(), required=False, empty_label="Mọi lĩnh vực", widget=Select)

    html = str(Form({"topic": str(topic.pk)})["topic"])
    assert f'<option value="{topic.pk}" selected>Lĩnh vực thử hiển thị</option>' in html
    assert '<option value="">Mọi lĩnh vực</option>' in html
