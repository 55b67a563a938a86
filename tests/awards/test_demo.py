"""The demo data: pledges for most people, four quarters of reviews, praise and annual results."""

import datetime as dt

import pytest
import time_machine
from django.db.models import F

from awards.models import AnnualResult, Pledge, Praise, ReviewRound, Score, ScoreSubmission


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_demo_seed_gives_pledges_reviews_praise_and_annual_results():
    from awards import demo
    from portal.demo import seed_foundation

    ctx = seed_foundation("small", 2021)
    demo.seed(ctx)  # how long it takes is measured by `make bench`, not asserted here
    people = ctx.people(ctx.demo_unit.pk)
    registered = Pledge.objects.filter(unit=ctx.demo_unit, year=2026, person__isnull=False).count()
    assert registered >= len(people) * 0.6
    # Before the merger the pledges were made in the old Ban Dân vận and stay there.
    assert Pledge.objects.filter(unit=ctx.demo_unit_old, year=2024).exists()
    assert not Pledge.objects.filter(unit=ctx.demo_unit, year=2024).exists()
    assert ReviewRound.objects.filter(unit=ctx.demo_unit_old, year=2024, status="closed").count() == 4
    assert ReviewRound.objects.filter(unit=ctx.demo_unit, status="open").count() == 1
    assert Score.objects.exists() and ScoreSubmission.objects.exists() and Praise.objects.exists()
    values = set(Score.objects.values_list("value", flat=True)[:2000])
    assert len(values) > 5  # a realistic spread, not one number
    assert AnnualResult.objects.filter(year=2024).exists()
    # Nobody scores their own pledge, even in demo data.
    assert not Score.objects.filter(pledge__person_id=F("member_id")).exists()

