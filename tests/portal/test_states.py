"""One colour scale for states: every state of every workflow has a tone, and the badge shows it."""

import pytest
from django.apps import apps
from django.template import Context, Template

from portal.states import STATE_TONES, TONE_CLASSES


@pytest.mark.parametrize("label", sorted(STATE_TONES))
def test_every_state_of_every_workflow_has_a_tone(label):
    field_name, tones = STATE_TONES[label]
    field = apps.get_model(label)._meta.get_field(field_name)
    assert {value for value, _ in field.choices} == set(tones), label
    assert set(tones.values()) <= set(TONE_CLASSES)


def test_the_same_meaning_reads_in_the_same_colour_across_apps():
    assert STATE_TONES["models_registry.DvkModel"][1]["returned"] == STATE_TONES["awards.Pledge"][1]["returned"]
    assert STATE_TONES["models_registry.DvkModel"][1]["submitted"] == STATE_TONES["awards.AwardProposal"][1]["submitted"]


def test_state_badge_writes_the_state_in_words_with_its_tone():
    from awards.models import Pledge

    html = Template("{% load portal_tags %}{% state_badge p %}").render(Context({"p": Pledge(status="returned")}))
    assert "text-bg-danger" in html and "Trả lại để bổ sung" in html and 'data-state="returned"' in html
