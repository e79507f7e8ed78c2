"""What every form of the portal shares."""

from __future__ import annotations

import unicodedata

from django import forms
from django.core.validators import MaxLengthValidator

#: The longest text one box accepts where nothing shorter is said: about ten printed pages, more than any
#: section of a plan (a longer one belongs in an attachment) or a decision's reasons needs. A megabyte of
#: reasons kept a worker writing its PDF for longer than its timeout.
TEXT_MAX_LENGTH = 20_000


def _composed(to_python):
    def text(value):
        value = to_python(value)
        return unicodedata.normalize("NFC", value) if isinstance(value, str) else value
    return text


class CappedText:
    """Every text field of the form stores composed Unicode (NFC: "ệ" typed as "e" plus two combining marks is
    stored as the one character, so that it compares, sorts and searches as the same text), and one without a
    `max_length` gets the portal's cap, checked (with a message next to the field) and told to the browser
    (`maxlength`). Every form of the portal has it (tests/test_forms.py)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # A UUIDField is a CharField whose value is no longer text once cleaned.
            if not isinstance(field, forms.CharField) or isinstance(field, forms.UUIDField):
                continue
            field.to_python = _composed(field.to_python)
            if field.max_length is None:
                field.max_length = TEXT_MAX_LENGTH
                field.validators.append(MaxLengthValidator(TEXT_MAX_LENGTH))
                field.widget.attrs.setdefault("maxlength", str(TEXT_MAX_LENGTH))


class Form(CappedText, forms.Form):
    """The base of the portal's forms."""


class ModelForm(CappedText, forms.ModelForm):
    """The base of the portal's model forms."""
