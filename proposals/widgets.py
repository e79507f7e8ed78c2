from django import forms


class UnitPicker(forms.SelectMultiple):
    """Renders only the chosen units; a search box (htmx) finds others, so thousands of units never load at once."""

    template_name = "proposals/widgets/unit_picker.html"

    def __init__(self, *args, single: bool = False, authorities_only: bool = False, empty_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.single = single
        self.authorities_only = authorities_only
        #: For an optional single choice: the option that takes the choice back.
        self.empty_label = empty_label

    def optgroups(self, name, value, attrs=None):
        chosen = {str(v) for v in value if v not in (None, "")}
        if not chosen:
            return []
        queryset = self.choices.queryset.filter(pk__in=chosen)
        options = [self.create_option(name, unit.pk, str(unit), True, index) for index, unit in enumerate(queryset)]
        return [(None, options, 0)]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["single"] = self.single
        context["widget"]["authorities_only"] = self.authorities_only
        context["widget"]["empty_label"] = self.empty_label if self.single and not self.is_required else None
        if self.single:
            context["widget"]["attrs"].pop("multiple", None)
        return context

    def value_from_datadict(self, data, files, name):
        if self.single:
            return data.get(name)
        return super().value_from_datadict(data, files, name)

    def format_value(self, value):
        if self.single and not isinstance(value, (list, tuple)):
            value = [value]
        return super().format_value(value)


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
