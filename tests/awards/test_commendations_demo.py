"""The demo commendations: decided every past 15/10, certificates numbered, one proposal waiting."""

import pytest

from awards.models import AwardDecision, AwardProposal, AwardSubject


@pytest.mark.django_db
def test_demo_seed_commends_each_past_1510_and_leaves_one_to_decide():
    from awards import commendation_workflow as cwf
    from awards import demo
    from models_registry import demo as models_demo
    from portal.demo import seed_foundation

    ctx = seed_foundation("small", 2021)
    models_demo.seed(ctx)
    demo.seed(ctx)
    past = [y for y in ctx.years if (y, 10, 15) <= (ctx.today.year, ctx.today.month, ctx.today.day)]
    for year in past:
        assert AwardDecision.objects.filter(proposal__year=year, proposal__occasion="1510").exists(), year
    approved = AwardSubject.objects.filter(status="approved")
    assert approved.count() > 10
    codes = list(approved.values_list("code", flat=True))
    assert len(set(codes)) == len(codes) and all(codes)
    for decision in AwardDecision.objects.all():
        numbers = sorted(decision.subjects.filter(status="approved").values_list("certificate_no", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
    assert all(s.rejection_reason for s in AwardSubject.objects.filter(status="rejected"))
    waiting = AwardProposal.objects.filter(status="submitted")
    if waiting.exists():
        assert cwf.can_decide(ctx.demo_users["lanhdao"], waiting.get())
