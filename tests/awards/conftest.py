"""Fixtures of the awards tests: the plan's two contents and a union committee of five."""

import pytest

from awards.models import PledgeContent
from awards.pledges import services
from tests.awards.factories import PledgeFactory


@pytest.fixture
def contents(phase):
    """The two contents of the 2021 – 2025 phase, keyed by code."""
    services.contents_ensure_defaults(phase=phase)
    return {c.code: c for c in PledgeContent.objects.filter(phase=phase)}


@pytest.fixture
def committee(people, make_user, tree):
    """Five Union Executive Committee members of the district; the first is `people["union"]`."""
    members = [people["union"]] + [
        make_user(tree["district"], "congdoan", "canbo", username=f"bch{i}", full_name=f"Thành viên BCH {i}")
        for i in range(1, 5)
    ]
    return members


@pytest.fixture
def staff_pledges(tree, make_user, contents, phase):
    """Three accepted pledges of district staff (two of content 1, one of content 2)."""
    pledges = []
    for i, code in enumerate(["chuyen-mon", "chuyen-mon", "hoc-tap-lam-theo"]):
        person = make_user(tree["district"], "canbo", username=f"cb{i}", full_name=f"Cán bộ {chr(65 + i)}")
        pledges.append(PledgeFactory(person=person, content=contents[code], phase=phase, year=2025))
    return pledges


@pytest.fixture
def open_round(committee, staff_pledges, phase):
    """Quarter 1/2025 of the district, opened by the first member (its chair)."""
    rnd = services.round_create(user=committee[0], year=2025, quarter=1)
    return services.round_open(user=committee[0], rnd=rnd)


def fill(rnd, member, value="8"):
    """Score every pledge of the round the member may score, every criterion, with `value`."""
    from awards.pledges import selectors

    for section in selectors.scoring_grid(rnd, member):
        for row in section.rows:
            if row.excluded:
                continue
            for criterion in section.criteria:
                services.score_save(user=member, rnd=rnd, pledge_id=row.pledge.pk,
                                    criterion_id=criterion.pk, raw=value)
