"""Rules of the permission layer and the workflows, asked directly rather than through pages.

`make mutate` found these rules unguarded (a mutant of each survived the page-level tests): each test
names the rule it holds.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from awards.commendations import workflow as cwf
from awards.pledges import workflow as awf
from models_registry import workflow as mwf
from models_registry.models import RecognitionLevel, State
from tests.awards.factories import PledgeFactory, ReviewRoundFactory
from tests.models_registry.factories import DvkModelFactory

pytestmark = pytest.mark.django_db


def test_a_model_is_recognised_again_only_by_a_higher_level(tree, people, phase, make_user):
    model = DvkModelFactory(unit=tree["commune"], phase=phase, state=State.RECOGNISED, is_effective=True,
                            recognition_level=RecognitionLevel.DISTRICT)
    district_leader = people["leader"]
    province_leader = make_user(tree["province"], "lanhdao")
    assert mwf.recognition_level_for(district_leader) == RecognitionLevel.DISTRICT
    assert not mwf.can(district_leader, model, "recognise")  # the same level again: no
    assert mwf.can(province_leader, model, "recognise")
    model.recognition_level = RecognitionLevel.UNIT
    assert mwf.can(district_leader, model, "recognise")
    model.is_effective = False
    assert not mwf.can(province_leader, model, "recognise")


def test_the_union_committee_of_the_unit_and_administrators_decide_a_pledge(tree, people, phase):
    pledge = PledgeFactory(person=people["staff"], unit=tree["district"], phase=phase, year=2025)
    assert awf.can_decide_pledge(people["union"], pledge)
    assert awf.can_decide_pledge(people["admin"], pledge)
    for role in ("staff", "cell", "leader", "foreign_leader"):
        assert not awf.can_decide_pledge(people[role], pledge), role


def test_only_the_pledge_holder_acts_as_its_owner(tree, people, phase):
    pledge = PledgeFactory(person=people["staff"], unit=tree["district"], phase=phase, year=2025, status="submitted")
    awf.require_pledge_owner(people["staff"], pledge)  # even once submitted
    for role in ("union", "leader", "cell"):
        with pytest.raises(PermissionDenied):
            awf.require_pledge_owner(people[role], pledge)
    with pytest.raises(Http404):
        awf.require_pledge_owner(people["foreign_staff"], pledge)


def test_round_results_stay_hidden_until_submitted_or_closed(tree, people, phase, make_user):
    rnd = ReviewRoundFactory(unit=tree["district"], phase=phase, year=2025, quarter=2, chair=people["union"],
                             status="open")
    foreign_union = make_user(tree["other_district"], "congdoan")
    assert awf.can_see_results(people["admin"], rnd, submitted=False)
    assert not awf.can_see_results(people["union"], rnd, submitted=False)
    assert awf.can_see_results(people["union"], rnd, submitted=True)
    for role in ("cell", "leader", "staff"):
        assert not awf.can_see_results(people[role], rnd, submitted=True), role
    rnd.status = "closed"
    assert awf.can_see_results(people["union"], rnd, submitted=False)
    assert awf.can_see_results(people["cell"], rnd, submitted=False)
    assert awf.can_see_results(people["leader"], rnd, submitted=False)
    assert not awf.can_see_results(people["staff"], rnd, submitted=False)
    assert not awf.can_see_results(foreign_union, rnd, submitted=True)


def test_commendation_reports_are_for_leadership_cell_and_union_of_the_subtree(tree, people, make_user):
    district = tree["district"]
    for role in ("leader", "cell", "union", "admin"):
        assert cwf.may_commend_reports(people[role], district), role
    assert not cwf.may_commend_reports(people["staff"], district)
    assert not cwf.may_commend_reports(people["foreign_leader"], district)
    assert not cwf.may_commend_reports(people["leader"], tree["province"])  # above their subtree


def test_plan_item_steps_follow_status_subtree_and_role(tree, people, phase):
    from plans import workflow as pwf
    from plans.models import ItemStatus
    from tests.plans.factories import PlanFactory, PlanItemFactory

    plan = PlanFactory(unit=tree["district"], created_by=people["staff"], phase=phase)
    item = PlanItemFactory(plan=plan, status=ItemStatus.NOT_STARTED)
    start, reopen = pwf.ITEM_TRANSITIONS["start"], pwf.ITEM_TRANSITIONS["reopen"]
    assert pwf.may_transition(people["staff"], item, start)
    assert not pwf.may_transition(people["foreign_staff"], item, start)  # another subtree
    assert not pwf.may_transition(people["staff"], item, reopen)  # not from this status
    item.status = ItemStatus.DONE
    assert not pwf.may_transition(people["staff"], item, start)  # done: not started again
    assert not pwf.may_transition(people["staff"], item, reopen)  # reopening is the leadership's
    assert pwf.may_transition(people["leader"], item, reopen)
    assert not pwf.may_transition(people["foreign_leader"], item, reopen)
    assert [t.name for t in pwf.item_transitions_for(people["leader"], item)] == ["reopen"]


def test_a_follow_up_is_acted_on_by_the_inspecting_and_the_inspected_unit(tree, people, phase, make_user):
    from plans import workflow as pwf
    from plans.models import FollowUpStatus
    from tests.plans.factories import FollowUpFactory, InspectionFactory

    # The district inspects a commune of the foreign district.
    inspection = InspectionFactory(unit=tree["district"], created_by=people["staff"])
    follow_up = FollowUpFactory(inspection=inspection, unit=tree["other_commune"])
    resolve, reopen = pwf.FOLLOW_UP_TRANSITIONS["resolve"], pwf.FOLLOW_UP_TRANSITIONS["reopen"]
    assert pwf.may_follow_up(people["staff"], follow_up, resolve)  # the inspecting unit
    assert pwf.may_follow_up(people["foreign_staff"], follow_up, resolve)  # the inspected unit
    outsider = make_user(tree["commune"], "canbo")  # under the inspecting district, not its unit
    assert not pwf.may_follow_up(outsider, follow_up, resolve)
    assert not pwf.may_follow_up(people["staff"], follow_up, reopen)  # not from open
    follow_up.status = FollowUpStatus.DONE
    assert not pwf.may_follow_up(people["staff"], follow_up, resolve)
    assert not pwf.may_follow_up(people["staff"], follow_up, reopen)  # leadership only
    assert pwf.may_follow_up(people["leader"], follow_up, reopen)
    assert pwf.may_follow_up(people["foreign_leader"], follow_up, reopen)
    assert [t.name for t in pwf.follow_up_transitions_for(people["leader"], follow_up)] == ["reopen"]


def test_administrators_may_propose_as_every_body(people):
    from awards.models import ProposingBody

    assert [value for value, _ in cwf.bodies_for(people["admin"])] == list(ProposingBody.values)
    assert [value for value, _ in cwf.bodies_for(people["union"])] == [ProposingBody.UNION]


@pytest.fixture
def leadership_proposal(people, phase):
    from awards.commendations import services as cs
    from awards.models import Occasion, ProposingBody

    return cs.award_proposal_create(user=people["leader"], body=ProposingBody.LEADERSHIP,
                                    occasion=Occasion.DAY_1510, year=2025)


def test_a_draft_proposal_is_edited_by_its_body_only(tree, people, make_user, leadership_proposal):
    proposal = leadership_proposal
    second_leader = make_user(tree["district"], "lanhdao")  # the same leadership, not the author
    assert cwf.can_edit(people["leader"], proposal)
    assert cwf.can_edit(second_leader, proposal)
    assert cwf.can_edit(people["admin"], proposal)
    for role in ("staff", "union", "cell"):
        assert not cwf.can_edit(people[role], proposal), role
        with pytest.raises(PermissionDenied, match="Chỉ cơ quan lập đề nghị được sửa đề nghị đang lập."):
            cwf.require_editor(people[role], proposal)
    with pytest.raises(Http404):
        cwf.require_editor(people["foreign_leader"], proposal)
    proposal.status = "submitted"
    assert not cwf.can_edit(people["leader"], proposal)  # sent: no longer editable, even by its author


def test_the_leadership_above_decides_a_leadership_proposal(tree, people, make_user, leadership_proposal):
    proposal = leadership_proposal
    assert proposal.decider_unit == tree["province"]
    province_leader = make_user(tree["province"], "lanhdao")
    assert cwf.can_decide(province_leader, proposal)
    assert cwf.can_decide(people["admin"], proposal)
    assert not cwf.can_decide(people["leader"], proposal)  # not its own
    with pytest.raises(PermissionDenied, match="Chỉ cấp trên của cơ quan đề nghị được quyết định khen thưởng."):
        cwf.require_decider(people["leader"], proposal)
    with pytest.raises(Http404):
        cwf.require_decider(people["foreign_leader"], proposal)


def test_role_pages_admit_the_roles_they_name(client, people, tree):
    from django.urls import reverse

    client.force_login(people["staff"])
    assert client.get(reverse("units:list")).status_code == 200
    assert client.get(reverse("units:detail", kwargs={"pk": tree["district"].pk})).status_code == 200
    assert client.get(reverse("accounts:user_list")).status_code == 403
