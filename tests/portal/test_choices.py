"""Choice labels read from a map kept once per field (portal.choices.ChoiceDisplay) answer exactly
as Django's own get_FOO_display(), in the language of the moment, without translating every label."""

from django.db.models import Model
from django.utils import translation

from models_registry.models import DvkModel, ModelField, RecognitionLevel, State


def _django_display(obj, name):
    return Model._get_FIELD_display(obj, DvkModel._meta.get_field(name))


def test_labels_are_django_s_for_every_value_blank_and_unknown_in_both_languages():
    values = {
        "state": [*State.values, "", "no-such-state"],
        "field": [*ModelField.values, ""],
        "recognition_level": [*RecognitionLevel.values, None, 99],
    }
    for language in ("vi", "en"):
        with translation.override(language):
            for name, choices in values.items():
                for value in choices:
                    obj = DvkModel(**{name: value})
                    shown = getattr(obj, f"get_{name}_display")()
                    assert shown == _django_display(obj, name), (language, name, value)
                    assert isinstance(shown, (str, type(None), int))
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
