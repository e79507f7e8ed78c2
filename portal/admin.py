"""What every admin page of the portal shares."""

from __future__ import annotations

from django.contrib.admin import widgets
from django.core.exceptions import ValidationError


class AutocompleteSelect(widgets.AutocompleteSelect):
    """Django's, but a submitted value that cannot be a key of the related table (text where an id belongs) is
    left out of the options instead of failing their query with a server error; the form already says that the
    choice is not valid."""

    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, [item for item in value if self._may_be_key(item)], attr)

    def _may_be_key(self, value) -> bool:
        remote = self.field.remote_field
        target = remote.model._meta.get_field(getattr(remote, "field_name", None) or remote.model._meta.pk.name)
        try:
            target.to_python(value)
        except ValidationError:
            return False
        return True


class AutocompleteFields:
    """For a ModelAdmin or an inline with `autocomplete_fields`: their widget is the one above."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = AutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
