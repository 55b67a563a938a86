"""The registry's demo data: every state, public recognised models, replications, reports."""

import pytest

from models_registry import demo
from models_registry.models import Attachment, DvkModel, ModelEvent, ProgressReport, State
from portal.demo import seed_foundation

pytestmark = pytest.mark.django_db


def test_demo_seeds_models_in_every_state_with_public_ones_at_small_size():
    ctx = seed_foundation("small", 7)
    demo.seed(ctx)
    states = set(DvkModel.objects.values_list("state", flat=True))
    assert states == set(State.values)
    public = DvkModel.objects.public()
    assert public.exists() and not public.filter(slug="").exists()
    assert Attachment.objects.filter(model__in=public, kind="image").count() == public.count()
    assert DvkModel.objects.filter(replicated_from__isnull=False).exists()
    assert DvkModel.objects.filter(continues__isnull=False).exists()
    assert ProgressReport.objects.exists()
    # The demo accounts' unit shows every step of the current workflow.
    current = max(ctx.years)
    assert set(DvkModel.objects.filter(unit=ctx.demo_unit, year=current).values_list("state", flat=True)) == {
        State.DRAFT, State.SUBMITTED, State.RETURNED, State.REGISTERED,
    }
    # Each model's timeline ends in its state; search columns are filled.
    assert not DvkModel.objects.filter(events__isnull=True).exists()
    assert not DvkModel.objects.filter(name_folded="").exists()
    assert ModelEvent.objects.filter(action="publish").count() == public.count()


def test_demo_is_deterministic_for_a_seed():
    import random

    ctx = seed_foundation("small", 11)

    def snapshot(seed):
        DvkModel.objects.all().delete()
        ctx.rng = random.Random(seed)
        demo.seed(ctx)
        return list(DvkModel.objects.order_by("pk").values_list("unit_id", "name", "state", "year"))

    first = snapshot(99)
    assert snapshot(99) == first
    assert snapshot(100) != first
