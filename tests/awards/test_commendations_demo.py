"""The demo commendations: decided every past 15/10, certificates numbered, one proposal waiting."""

import datetime as dt

import pytest
import time_machine

from awards.models import AwardDecision, AwardProposal, AwardSubject


@pytest.mark.django_db
# Before 15/10/2025: the demo's models of 2025 are evaluated, so one 15/10 proposal of 2025 waits.
@time_machine.travel(dt.datetime(2025, 9, 1, 9, 0, tzinfo=dt.UTC), tick=False)
def test_demo_seed_commends_each_past_1510_and_leaves_one_to_decide():
    from awards import demo
    from awards.commendations import workflow as cwf
    from models_registry import demo as models_demo
    from portal.demo import seed_foundation

    ctx = seed_foundation("small", 2021)
    models_demo.seed(ctx)
    demo.seed(ctx)
    assert ctx.today == dt.date(2025, 9, 1)
    for year in (2022, 2023, 2024):  # every 15/10 before 1/9/2025
        assert AwardDecision.objects.filter(proposal__year=year, proposal__occasion="1510").exists(), year
    approved = AwardSubject.objects.filter(status="approved")
    assert approved.count() > 10
    codes = list(approved.values_list("code", flat=True))
    assert len(set(codes)) == len(codes) and all(codes)
    for decision in AwardDecision.objects.all():
        numbers = sorted(decision.subjects.filter(status="approved").values_list("certificate_no", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
    assert all(s.rejection_reason for s in AwardSubject.objects.filter(status="rejected"))
    assert not AwardDecision.objects.filter(proposal__year=2025, proposal__occasion="1510").exists()
    # Exactly one proposal waits (2025's 15/10), and the demo leader is the one who may decide it.
    waiting = AwardProposal.objects.get(status="submitted")
    assert (waiting.year, waiting.occasion) == (2025, "1510")
    assert waiting.subjects.exists()
    assert cwf.can_decide(ctx.demo_users["lanhdao"], waiting)
