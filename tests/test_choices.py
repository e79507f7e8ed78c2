"""get_FOO_display() of the portal's models (portal.choices.ChoiceLabels): Django's own answer, in the reader's
language, from labels translated once per field and language."""

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation

from portal.choices import ChoiceLabels
from proposals.models import ProposalEvent

PORTAL_APPS = ("accounts", "proposals", "reports", "notifications", "routing")


def _choice_fields():
    for model in apps.get_models():
        if model._meta.app_label in PORTAL_APPS:
            for field in model._meta.concrete_fields:
                if field.choices:
                    yield model, field


def test_every_portal_model_with_choices_reads_its_labels_once():
    assert [(model.__name__, field.name) for model, field in _choice_fields()
            if not issubclass(model, ChoiceLabels)] == []


@pytest.mark.parametrize("language", ["vi", "en"])
def test_each_label_is_the_one_django_gives_in_the_active_language(language):
    with translation.override(language):
        for model, field in _choice_fields():
            for value in [value for value, _label in field.flatchoices] + ["no-such-value", None]:
                instance = model(**{field.attname: value})
                shown = getattr(instance, f"get_{field.name}_display")()
                assert shown == models.Model._get_FIELD_display(instance, field), (model, field.name, value)


def test_the_same_event_reads_in_each_language():
    event = ProposalEvent(kind=ProposalEvent.Kind.SUBMITTED)
    with translation.override("vi"):
        assert event.get_kind_display() == "Gửi đề xuất"
    with translation.override("en"):
        assert event.get_kind_display() != "Gửi đề xuất"
