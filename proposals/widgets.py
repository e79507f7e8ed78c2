import json
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SearchPicker(forms.SelectMultiple):
    """A choice among thousands (units, officials): the chosen ones as ticked boxes (or a radio button for a single
    choice), and an accessible combobox (GOV.UK's accessible-autocomplete, portal.js) that finds others by name,
    accent-insensitive, by keyboard or pointer, and adds them. Unticking a box takes a choice back."""

    template_name = "includes/search_picker.html"
    #: The URL name of the JSON search the combobox asks (`{"results": [{"id", "name", "context"}]}`).
    source = ""
    source_query: dict[str, str] = {}

    def __init__(self, *args, single: bool = False, empty_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.single = single
        #: For an optional single choice: the option that takes the choice back.
        self.empty_label = empty_label

    def optgroups(self, name, value, attrs=None):
        chosen = [v for v in value if str(v).isdigit()]  # a form sent back with a tampered value shows nothing
        if not chosen:
            return []
        queryset = self.choices.queryset.filter(pk__in=chosen)
        options = [self.create_option(name, item.pk, str(item), True, index) for index, item in enumerate(queryset)]
        return [(None, options, 0)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["single"] = self.single
        widget["empty_label"] = self.empty_label if self.single and not self.is_required else None
        widget["source"] = reverse(self.source) + (f"?{urlencode(self.source_query)}" if self.source_query else "")
        widget["messages"] = json.dumps({key: str(text) for key, text in PICKER_MESSAGES.items()}, ensure_ascii=False)
        widget["attrs"].pop("multiple", None)
        return context

    def value_from_datadict(self, data, files, name):
        if self.single:
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data, files, name):
        # Unticked boxes send nothing: an absent field means "none chosen", as for a <select multiple>.
        return False

    def format_value(self, value):
        if self.single and not isinstance(value, (list, tuple)):
            value = [value]
        return super().format_value(value)


#: What the combobox says, in the reader's language (accessible-autocomplete's t* options).
PICKER_MESSAGES = {
    "placeholder": _("Gõ tên để tìm (có thể gõ không dấu)…"),
    "noResults": _("Không tìm thấy kết quả phù hợp"),
    "tooShort": _("Gõ ít nhất %(n)s ký tự để tìm"),
    "selectedOption": _("%(option)s, %(position)s trên %(count)s, đang chọn"),
    "results": _("Có %(count)s kết quả. %(selected)s"),
    "hint": _("Dùng phím mũi tên lên, xuống để duyệt kết quả và Enter để chọn."),
    "added": _("Đã chọn %(name)s."),
}


class UnitPicker(SearchPicker):
    """Organisation units (or only deciding authorities), searched by name."""

    source = "proposals:unit_search"

    def __init__(self, *args, authorities_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.source_query = {"authorities": "1"} if authorities_only else {}


class PersonPicker(SearchPicker):
    """An official, searched by name and shown with their post: never by username or staff code."""

    source = "proposals:people_search"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, single=True, **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "accept": ".pdf,.doc,.docx,.xls,.xlsx,.ppt,.pptx,.odt,.ods,.odp,.jpg,.jpeg,.png,.gif,.webp,.tif,.tiff",
        }))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []
