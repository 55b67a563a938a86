"""Choice labels read from a map kept once per field (portal.choices.ChoiceDisplay) answer exactly
as Django's own get_FOO_display(), in the language of the moment, without translating every label."""

import pytest
from django.apps import apps
from django.db.models import Model
from django.utils import translation

from awards.models import Pledge
from models_registry.models import DvkModel, ModelField, State
from plans.models import PlanItem, PlanItemUpdate
from portal.choices import ChoiceDisplay


def _choice_fields():
    return [
        (model, field)
        for model in apps.get_models() if issubclass(model, ChoiceDisplay)
        for field in model._meta.concrete_fields if field.choices
    ]


def test_the_lists_models_read_their_labels_the_cheap_way():
    assert {model for model, _field in _choice_fields()} >= {DvkModel, Pledge, PlanItem, PlanItemUpdate}


@pytest.mark.parametrize(("model", "field"), _choice_fields(), ids=lambda x: getattr(x, "__name__", getattr(x, "name", "")))
def test_labels_are_django_s_for_every_value_blank_and_unknown_in_both_languages(model, field):
    values = [value for value, _label in field.flatchoices] + ["", None, "no-such-value", 99]
    for language in ("vi", "en"):
        with translation.override(language):
            for value in values:
                obj = model(**{field.attname: value})
                shown = getattr(obj, f"get_{field.name}_display")()
                assert shown == Model._get_FIELD_display(obj, field), (language, field.name, value)
    with translation.override("vi"):
        assert DvkModel(state=State.RETURNED).get_state_display() == "Trả lại để sửa"
    with translation.override("en"):
        assert DvkModel(state=State.RETURNED).get_state_display() != "Trả lại để sửa"


def test_a_page_of_labels_translates_only_the_labels_it_shows(monkeypatch):
    """Django's way translated every label of the field at each call (a list of 25 rows: some 450
    translations); here one call translates one label."""
    calls = []
    real = translation._trans.gettext  # what every translation (lazy ones too) comes to

    def counting(message):
        calls.append(message)
        return real(message)

    monkeypatch.setattr(translation._trans, "gettext", counting)
    rows = [DvkModel(state=State.SUBMITTED, field=ModelField.ECONOMY, recognition_level=1) for _ in range(25)]
    DvkModel(state=State.DRAFT).get_state_display()  # the maps are built once, before the page
    DvkModel(field=ModelField.ECONOMY).get_field_display()
    DvkModel(recognition_level=1).get_recognition_level_display()
    calls.clear()
    for m in rows:
        m.get_state_display(), m.get_field_display(), m.get_recognition_level_display()
    assert len(calls) == 75
