"""Rules of the permission layer and the workflows, asked directly rather than through pages.

`make mutate` found these rules unguarded (a mutant of each survived the page-level tests): each test
names the rule it holds.
"""

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from awards.commendations import workflow as cwf
from awards.models import Occasion, ProposingBody
from awards.pledges import workflow as awf
from models_registry import workflow as mwf
from models_registry.models import RecognitionLevel, State
from portal import permissions as perms
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


def test_an_individual_pledge_is_edited_by_its_holder_while_draft_or_returned(tree, people, phase):
    pledge = PledgeFactory(person=people["staff"], unit=tree["district"], phase=phase, year=2025, status="draft")
    assert awf.can_edit_pledge(people["staff"], pledge)
    for role in ("union", "leader", "cell", "admin", "foreign_staff"):
        assert not awf.can_edit_pledge(people[role], pledge), role  # someone else's pledge
    pledge.status = "returned"
    assert awf.can_edit_pledge(people["staff"], pledge)
    for status in ("submitted", "accepted"):
        pledge.status = status
        assert not awf.can_edit_pledge(people["staff"], pledge), status


def test_a_collective_pledge_is_edited_by_its_author_or_the_units_union_committee(tree, people, phase, make_user):
    pledge = PledgeFactory(kind="collective", collective_name="Tổ dân vận huyện", unit=tree["district"],
                           created_by=people["cell"], phase=phase, year=2025, status="draft")
    assert awf.can_edit_pledge(people["cell"], pledge)  # its author
    assert awf.can_edit_pledge(people["union"], pledge)  # the committee of the unit
    province_union = make_user(tree["province"], "congdoan")  # sees the district, not its committee
    for user in (people["staff"], people["leader"], province_union, people["foreign_staff"]):
        assert not awf.can_edit_pledge(user, pledge), user.username
    outside_author = PledgeFactory(kind="collective", collective_name="Tổ dân vận", unit=tree["other_district"],
                                   created_by=people["cell"], phase=phase, year=2025, status="draft")
    assert not awf.can_edit_pledge(people["cell"], outside_author)  # out of the author's subtree now
    pledge.status = "submitted"
    assert not awf.can_edit_pledge(people["cell"], pledge)
    assert not awf.can_edit_pledge(people["union"], pledge)


def test_the_union_committee_of_the_very_unit_acts_for_it(tree, people, make_user):
    assert awf.is_union_member_of(people["union"], tree["district"])
    assert not awf.is_union_member_of(make_user(tree["province"], "congdoan"), tree["district"])
    assert not awf.is_union_member_of(people["cell"], tree["district"])
    assert not awf.is_union_member_of(make_user(tree["district"], "congdoan", is_active=False), tree["district"])
    awf.require_union_of(people["union"], tree["district"])
    awf.require_union_of(people["admin"], tree["district"])
    with pytest.raises(PermissionDenied) as refused:
        awf.require_union_of(people["cell"], tree["district"])
    assert str(refused.value) == "Chỉ thành viên BCH Công đoàn của đơn vị được thực hiện thao tác này."
    with pytest.raises(Http404):
        awf.require_union_of(people["foreign_staff"], tree["district"])


def test_only_the_chair_runs_a_round(tree, people, phase, make_user):
    rnd = ReviewRoundFactory(unit=tree["district"], phase=phase, year=2025, quarter=2, chair=people["union"])
    awf.require_chair(people["union"], rnd)
    awf.require_chair(people["admin"], rnd)
    other_member = make_user(tree["district"], "congdoan")
    for user in (other_member, people["leader"], people["cell"]):
        with pytest.raises(PermissionDenied) as refused:
            awf.require_chair(user, rnd)
        assert str(refused.value) == "Chỉ người chủ trì đợt đánh giá được thực hiện thao tác này."
    with pytest.raises(Http404):
        awf.require_chair(people["foreign_staff"], rnd)


def test_a_round_is_scored_by_the_committee_of_its_unit(tree, people, phase, make_user):
    rnd = ReviewRoundFactory(unit=tree["district"], phase=phase, year=2025, quarter=2, chair=people["union"])
    awf.require_scorer(people["union"], rnd)
    for user in (people["cell"], people["admin"], make_user(tree["province"], "congdoan")):
        with pytest.raises(PermissionDenied) as refused:
            awf.require_scorer(user, rnd)
        assert str(refused.value) == "Chỉ thành viên BCH Công đoàn của đơn vị được chấm điểm."
    with pytest.raises(Http404):
        awf.require_scorer(people["foreign_staff"], rnd)


def test_a_pledge_step_is_taken_only_from_its_sources():
    for name, current in (("submit", "draft"), ("submit", "returned"), ("accept", "submitted"),
                          ("return", "submitted")):
        assert awf.check_transition(awf.PLEDGE_TRANSITIONS, name, current).name == name
    for name, current in (("submit", "submitted"), ("accept", "draft"), ("return", "accepted")):
        with pytest.raises(awf.TransitionError) as refused:
            awf.check_transition(awf.PLEDGE_TRANSITIONS, name, current)
        assert str(refused.value) == "Không thể thực hiện thao tác này ở trạng thái hiện tại."


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
    province_union = make_user(tree["province"], "congdoan")  # a committee above, not the round's own
    assert awf.can_see_results(province_union, rnd, submitted=False)
    rnd.status = "open"
    assert not awf.can_see_results(province_union, rnd, submitted=True)


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
        with pytest.raises(PermissionDenied) as refused:
            cwf.require_editor(people[role], proposal)
        assert str(refused.value) == "Chỉ cơ quan lập đề nghị được sửa đề nghị đang lập."
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
    with pytest.raises(PermissionDenied) as refused:
        cwf.require_decider(people["leader"], proposal)
    assert str(refused.value) == "Chỉ cấp trên của cơ quan đề nghị được quyết định khen thưởng."
    cwf.require_decider(province_leader, proposal)
    with pytest.raises(Http404):
        cwf.require_decider(people["foreign_leader"], proposal)


def test_role_pages_admit_the_roles_they_name(client, people, tree):
    from django.urls import reverse

    client.force_login(people["staff"])
    assert client.get(reverse("units:list")).status_code == 200
    assert client.get(reverse("units:detail", kwargs={"pk": tree["district"].pk})).status_code == 200
    assert client.get(reverse("accounts:user_list")).status_code == 403


def test_a_leadership_overseeing_an_area_edits_that_areas_proposals(tree, people, make_user, leadership_proposal):
    from portal.units.models import UnitKind
    from tests.factories import UnitFactory

    agency = UnitFactory(parent=tree["province"], code="BDV", name="Ban Dân vận Tỉnh ủy",
                         kind=UnitKind.objects.get(code="ban-dang"))
    agency.oversees = tree["district"]
    agency.save()
    agency_leader = make_user(agency, "lanhdao")
    assert cwf.proposing_unit(agency_leader, ProposingBody.LEADERSHIP) == tree["district"]
    assert cwf.proposing_unit(agency_leader, ProposingBody.CELL) == agency  # other bodies: their own unit
    assert cwf.proposing_unit(agency_leader, ProposingBody.UNION) == agency
    assert cwf.can_edit(agency_leader, leadership_proposal)  # acts for the district it oversees
    agency_staff = make_user(agency, "canbo")
    assert not cwf.can_edit(agency_staff, leadership_proposal)
    province_leader = make_user(tree["province"], "lanhdao")  # sees the district, proposes for the province
    assert not cwf.can_edit(province_leader, leadership_proposal)


def test_the_party_cell_of_the_unit_decides_the_unions_proposal(tree, people, make_user, phase):
    from awards.commendations import services as cs

    proposal = cs.award_proposal_create(user=people["union"], body=ProposingBody.UNION, occasion=Occasion.DAY_1510,
                                        year=2025)
    assert proposal.decider_unit == tree["district"]
    assert cwf.can_decide(people["cell"], proposal)
    assert cwf.can_decide(people["admin"], proposal)
    for user in (people["union"], people["leader"], people["staff"], make_user(tree["province"], "chiuy"),
                 make_user(tree["province"], "lanhdao"), people["foreign_leader"]):
        assert not cwf.can_decide(user, proposal), user.username
    cwf.require_decider(people["cell"], proposal)
    with pytest.raises(PermissionDenied) as refused:
        cwf.require_decider(people["union"], proposal)
    assert str(refused.value) == "Chỉ cấp trên của cơ quan đề nghị được quyết định khen thưởng."
    with pytest.raises(Http404):
        cwf.require_decider(people["foreign_leader"], proposal)
    assert cwf.can_see(people["union"], proposal) and not cwf.can_see(people["foreign_leader"], proposal)


def test_a_proposal_is_decided_by_the_leadership_of_the_unit_above(tree, people, make_user, leadership_proposal):
    proposal = leadership_proposal
    province = tree["province"]
    assert cwf.decider_unit(tree["district"], ProposingBody.LEADERSHIP) == province
    assert cwf.decider_unit(tree["district"], ProposingBody.CELL) == province
    assert cwf.decider_unit(tree["district"], ProposingBody.UNION) == tree["district"]
    assert cwf.decider_unit(province, ProposingBody.LEADERSHIP) == province  # the root decides its own
    for role in ("canbo", "chiuy", "congdoan"):
        assert not cwf.can_decide(make_user(province, role), proposal), role
    with pytest.raises(PermissionDenied) as refused:
        cwf.require_decider(make_user(province, "chiuy"), proposal)
    assert str(refused.value) == "Chỉ cấp trên của cơ quan đề nghị được quyết định khen thưởng."
    cwf.require_decider(make_user(province, "lanhdao"), proposal)
    # A leadership below the deciding unit: no.
    assert not cwf.can_decide(make_user(tree["commune"], "lanhdao"), proposal)


def test_only_the_bodies_a_user_holds_may_propose(tree, people, make_user):
    union, cell, leadership = ProposingBody.UNION, ProposingBody.CELL, ProposingBody.LEADERSHIP
    for role, body in (("union", union), ("cell", cell), ("leader", leadership)):
        cwf.require_proposer(people[role], body)
    cwf.require_proposer(people["admin"], cell)
    for role, body in (("staff", union), ("union", cell), ("cell", leadership)):
        with pytest.raises(PermissionDenied) as refused:
            cwf.require_proposer(people[role], body)
        assert str(refused.value) == "Bạn không có quyền lập đề nghị khen thưởng thay cho cơ quan này."
    with pytest.raises(PermissionDenied):
        cwf.require_proposer(make_user(None, "congdoan"), union)  # no unit to propose for


def test_plans_are_written_by_staff_and_leadership_of_the_subtree(tree, people, phase):
    from plans import workflow as pwf
    from tests.plans.factories import PlanFactory

    for role in ("staff", "leader", "admin"):
        assert pwf.may_edit_plan(people[role], tree["commune"]), role
    for role in ("union", "cell", "foreign_staff", "foreign_leader"):
        assert not pwf.may_edit_plan(people[role], tree["commune"]), role
    assert not pwf.may_edit_plan(people["leader"], tree["province"])  # above the subtree
    plan = PlanFactory(unit=tree["district"], created_by=people["staff"], phase=phase)
    assert pwf.may_view_plan(people["union"], plan)
    assert not pwf.may_view_plan(people["foreign_staff"], plan)


def test_a_role_page_admits_the_roles_it_names_and_passes_the_urls_values_on(rf, people, make_user, tree):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse
    from django.views import View

    from portal.permissions import RoleRequiredMixin

    class Echo(RoleRequiredMixin, View):
        def get(self, request, *args, **kwargs):
            return HttpResponse(f"{args} {kwargs}")

    class LeadersOnly(Echo):
        required_roles = ("lanhdao",)

    def ask(view, user):
        request = rf.get("/x/")
        request.user = user
        return view.as_view()(request, "a", pk=7)

    assert ask(LeadersOnly, people["leader"]).content.decode() == "('a',) {'pk': 7}"
    assert ask(LeadersOnly, people["admin"]).status_code == 200
    with pytest.raises(PermissionDenied):
        ask(LeadersOnly, people["staff"])
    no_role = make_user(tree["district"])
    assert ask(Echo, no_role).content.decode() == "('a',) {'pk': 7}"  # no role asked: any signed-in user
    assert ask(Echo, people["staff"]).status_code == 200
    anonymous = ask(LeadersOnly, AnonymousUser())
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/accounts/login/")
    assert ask(Echo, AnonymousUser()).status_code == 302


def test_a_council_step_is_taken_only_from_its_sources():
    from councils import workflow as kwf

    assert kwf.check_transition(kwf.SESSION_TRANSITIONS, "open", "planned").target == "open"
    assert kwf.check_transition(kwf.ITEM_TRANSITIONS, "paper_tally", "voting").target == "closed"
    with pytest.raises(kwf.TransitionError) as refused:
        kwf.check_transition(kwf.SESSION_TRANSITIONS, "close", "planned")
    assert str(refused.value) == "Không thể “Kết thúc phiên họp” ở trạng thái hiện tại."


def test_a_document_kind_is_issued_by_the_leadership_or_party_cell_of_the_subtree(tree, people):
    from documents.reporting import ReportKind

    kind = ReportKind(code="rule-test", label="Báo cáo", build=lambda params, progress: None, doc_type="BC")
    for role in ("leader", "cell", "admin"):
        assert kind.may_issue(people[role], tree["commune"]), role
    for role in ("staff", "union", "foreign_leader"):
        assert not kind.may_issue(people[role], tree["commune"]), role
    assert kind.may(people["staff"], tree["commune"]) and not kind.may(people["staff"], tree["other_commune"])
    closed = ReportKind(code="rule-test", label="Báo cáo", build=lambda params, progress: None, doc_type="BC",
                        allowed=lambda user, unit: user.has_role("chiuy"))
    assert closed.may_issue(people["cell"], tree["commune"])
    assert not closed.may_issue(people["leader"], tree["commune"])  # the kind's own rule refuses
    assert not closed.may(people["leader"], tree["commune"])


def test_a_councils_minutes_are_issued_by_its_secretary_or_chair(tree, people, make_user):
    from councils.models import CouncilMember
    from documents.reporting import REGISTRY
    from tests.councils.factories import CouncilFactory, CouncilMemberFactory

    council = CouncilFactory(unit=tree["district"])
    seat = {}
    for role in ("chair", "secretary", "member"):
        seat[role] = make_user(tree["other_district"], "canbo")  # from another department: a seat, no scope
        CouncilMemberFactory(council=council, user=seat[role], role=getattr(CouncilMember.Role, role.upper()))
    minutes = REGISTRY["council-minutes"]
    assert minutes.may_issue(seat["chair"], tree["district"])
    assert minutes.may_issue(seat["secretary"], tree["district"])
    assert not minutes.may_issue(seat["member"], tree["district"])
    assert minutes.may(seat["member"], tree["district"])  # reads them
    assert not minutes.may(seat["member"], tree["commune"])  # no council there
    assert not minutes.may_issue(people["leader"], tree["district"])  # not on the council
    assert not minutes.may_issue(seat["chair"], tree["other_district"])  # a council of another unit
    assert minutes.may(people["leader"], tree["district"])
    assert not minutes.may(people["foreign_staff"], tree["district"])


def test_a_proposal_is_seen_in_the_subtrees_of_its_unit_and_of_the_deciding_unit(tree, people, make_user, phase):
    from tests.councils.factories import ProposalFactory

    proposal = ProposalFactory(unit=tree["commune"], decider_unit=tree["district"], phase=phase,
                               body=ProposingBody.CELL)
    assert cwf.can_see(make_user(tree["commune"], "chiuy"), proposal)  # its own unit
    assert cwf.can_see(people["leader"], proposal)  # the deciding unit
    assert not cwf.can_see(make_user(tree["village"], "chiuy"), proposal)  # below the proposal
    assert not cwf.can_see(people["foreign_leader"], proposal)


def test_scoped_rows_and_the_common_check(tree, people):
    from django.contrib.auth import get_user_model

    users = get_user_model().objects.all()
    assert perms.get_scoped_or_404(users, people["staff"], pk=people["union"].pk) == people["union"]
    with pytest.raises(Http404):
        perms.get_scoped_or_404(users, people["staff"], pk=people["foreign_staff"].pk)
    assert perms.get_scoped_or_404(users, people["admin"], pk=people["foreign_staff"].pk) == people["foreign_staff"]
    perms.require(people["leader"], tree["commune"], "lanhdao")
    with pytest.raises(PermissionDenied) as refused:
        perms.require(people["staff"], tree["commune"], "lanhdao")
    assert str(refused.value) == "Bạn không có quyền thực hiện thao tác này."
    with pytest.raises(Http404):
        perms.require(people["foreign_leader"], tree["commune"], "lanhdao")


def test_a_register_line_is_signed_by_its_named_signer_and_filed_by_the_office(tree, people, make_user):
    from types import SimpleNamespace

    from documents.models import IssuingProfile, Signer

    signer_user = make_user(tree["district"], "chiuy")
    seat = SimpleNamespace(is_active=True, user_id=signer_user.pk)
    entry = SimpleNamespace(unit=tree["district"], signer_id=1, signer=seat, signer_name="", body_code="BDVH")
    assert perms.may_sign_document(signer_user, entry)
    assert not perms.may_sign_document(people["leader"], entry)  # not the one named
    seat.is_active = False
    assert not perms.may_sign_document(signer_user, entry)  # no longer signs for the body
    seat.is_active = True
    signer_user.is_active = False
    assert not perms.may_sign_document(signer_user, entry)
    signer_user.is_active = True
    entry.unit = tree["other_district"]
    assert not perms.may_sign_document(signer_user, entry)  # outside their subtree
    entry.unit = tree["district"]
    # An older line names its signer only by name: that name in the body's list of signers.
    profile = IssuingProfile.objects.create(unit=tree["district"], body_name="Ban Dân vận Huyện ủy",
                                            short_code="BDVH", place="Hàm Thuận Bắc")
    Signer.objects.create(profile=profile, user=signer_user, full_name="Lê Thị Thu")
    by_name = SimpleNamespace(unit=tree["district"], signer_id=None, signer=None, signer_name="Lê Thị Thu",
                              body_code="BDVH")
    assert perms.may_sign_document(signer_user, by_name)
    assert not perms.may_sign_document(people["leader"], by_name)
    assert not perms.may_sign_document(signer_user, SimpleNamespace(**{**vars(by_name), "signer_name": ""}))
    assert not perms.may_sign_document(signer_user, SimpleNamespace(**{**vars(by_name), "body_code": "KHAC"}))
    assert not perms.may_sign_document(signer_user, SimpleNamespace(**{**vars(by_name), "signer_name": "Lê Thị"}))
    # Filing the PDF signed elsewhere: the signer, or the office of the line's subtree.
    for user in (signer_user, people["leader"], people["staff"]):
        assert perms.may_file_signed_document(user, by_name), user.username
        perms.require_may_sign_document(user, by_name, upload=True)
    for user in (people["union"], people["cell"]):
        assert not perms.may_file_signed_document(user, by_name), user.username
    with pytest.raises(PermissionDenied) as refused:
        perms.require_may_sign_document(people["staff"], by_name)  # files, does not sign
    assert str(refused.value) == "Bạn không có quyền ký số văn bản này."
    perms.require_may_sign_document(signer_user, by_name)
    with pytest.raises(Http404):
        perms.require_may_sign_document(people["foreign_leader"], by_name, upload=True)


def test_a_council_is_seen_by_its_members_the_leadership_above_and_run_by_its_secretary_or_chair(
        tree, people, make_user):
    from councils.models import Council, CouncilMember
    from tests.councils.factories import CouncilFactory, CouncilMemberFactory

    council = CouncilFactory(unit=tree["district"])
    other = CouncilFactory(unit=tree["other_district"], name="Hội đồng huyện khác")
    seat = {}
    for role in ("chair", "secretary", "member"):
        seat[role] = make_user(tree["other_district"], "canbo")  # from another department: a seat, no scope
        CouncilMemberFactory(council=council, user=seat[role], role=getattr(CouncilMember.Role, role.upper()))
    assert perms.council_seat(seat["member"], council).role == "member"
    assert perms.council_seat(people["leader"], council) is None
    from django.contrib.auth.models import AnonymousUser

    assert perms.council_seat(AnonymousUser(), council) is None
    for user in (seat["member"], people["leader"], people["admin"]):
        assert perms.can_see_council(user, council), user.username
        perms.require_council_view(user, council)
    for user in (people["staff"], people["foreign_leader"], make_user(tree["commune"], "lanhdao")):
        assert not perms.can_see_council(user, council), user.username
        with pytest.raises(Http404):
            perms.require_council_view(user, council)
    assert not perms.can_see_council(seat["member"], other)  # a seat on one council only
    for role in ("chair", "secretary"):
        perms.require_council_role(seat[role], council, *perms.COUNCIL_RUNNERS)
    with pytest.raises(PermissionDenied) as refused:
        perms.require_council_role(seat["member"], council, *perms.COUNCIL_RUNNERS)
    assert str(refused.value) == "Chỉ Thư ký hoặc Chủ tịch của Hội đồng được thực hiện thao tác này."
    with pytest.raises(PermissionDenied) as refused:
        perms.require_council_role(people["leader"], council, "member")  # sees it, holds no seat
    assert str(refused.value) == "Chỉ thành viên của Hội đồng được thực hiện thao tác này."
    perms.require_council_role(seat["member"], council, "member")
    with pytest.raises(Http404):
        perms.require_council_role(people["staff"], council, "member")
    councils = Council.objects.all()
    assert set(perms.councils_visible_to(people["admin"], councils)) == {council, other}
    assert set(perms.councils_visible_to(people["leader"], councils)) == {council}
    assert set(perms.councils_visible_to(seat["member"], councils)) == {council}  # by the seat
    assert list(perms.councils_visible_to(seat["member"], councils)) == [council]  # once
    assert set(perms.councils_visible_to(people["foreign_leader"], councils)) == {other}
    assert not perms.councils_visible_to(people["staff"], councils).exists()
    assert not perms.councils_visible_to(make_user(None, "lanhdao"), councils).exists()


def test_an_inactive_or_anonymous_user_holds_no_role_and_no_scope(tree, make_user):
    from django.contrib.auth.models import AnonymousUser

    gone = make_user(tree["district"], "lanhdao", is_active=False)
    for user in (gone, AnonymousUser()):
        assert not perms.has_role(user, "lanhdao")
        assert perms.scope_path(user) is None
        assert not perms.unit_in_scope(user, tree["district"])
        assert not perms.unit_in_scope(user, tree["commune"])
    leader = make_user(tree["district"], "lanhdao")
    assert perms.has_role(leader, "canbo", "lanhdao")  # any of the roles named
    assert not perms.has_role(leader, "canbo", "chiuy")
    assert not perms.unit_in_scope(leader, None)


def test_rows_outside_every_subtree_are_seen_only_when_public(tree, people, make_user):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import AnonymousUser
    from django.db.models import Q

    users = get_user_model().objects.all()
    unplaced = make_user(None, "canbo", username="chua_xep")
    public = Q(username="canbo_o")
    for nobody in (AnonymousUser(), make_user(tree["district"], "lanhdao", is_active=False)):
        assert not perms.scope_queryset(users, nobody).exists()
        assert list(perms.scope_queryset(users, nobody, public_q=public)) == [people["foreign_staff"]]
    # Administrators see every row, a row of no unit too; others their subtree (and the public rows).
    assert unplaced in perms.scope_queryset(users, people["admin"])
    assert perms.scope_queryset(users, people["admin"]).count() == users.count()
    assert unplaced not in perms.scope_queryset(users, people["staff"])
    assert set(perms.scope_queryset(users, people["staff"], public_q=public)) == set(
        users.filter(unit=tree["district"])) | {people["foreign_staff"]}


def test_a_model_step_refused_says_so(tree, people, phase):
    model = DvkModelFactory(unit=tree["commune"], phase=phase, state=State.RECOGNISED, is_effective=True,
                            recognition_level=RecognitionLevel.DISTRICT)
    with pytest.raises(PermissionDenied) as refused:
        mwf.check(people["staff"], model, "recognise")
    assert str(refused.value) == "Thao tác này không được phép với mô hình ở trạng thái hiện tại."


def test_the_recognition_level_follows_the_unit_acted_for(tree, make_user):
    assert mwf.recognition_level_for(make_user(None, "admin")) == RecognitionLevel.PROVINCE
    assert mwf.recognition_level_for(make_user(tree["district"], "admin")) == RecognitionLevel.DISTRICT
    assert mwf.recognition_level_for(make_user(tree["province"], "lanhdao")) == RecognitionLevel.PROVINCE
    assert mwf.recognition_level_for(make_user(tree["district"], "lanhdao")) == RecognitionLevel.DISTRICT
    assert mwf.recognition_level_for(make_user(tree["commune"], "lanhdao")) == RecognitionLevel.UNIT
    assert mwf.recognition_level_for(make_user(None, "lanhdao")) is None


def test_a_signer_no_longer_in_the_bodys_list_does_not_sign_by_name(tree, make_user):
    from types import SimpleNamespace

    from documents.models import IssuingProfile, Signer

    user = make_user(tree["district"], "chiuy")
    profile = IssuingProfile.objects.create(unit=tree["district"], body_name="Ban Dân vận Huyện ủy",
                                            short_code="BDVH", place="Hàm Thuận Bắc")
    Signer.objects.create(profile=profile, user=user, full_name="Lê Thị Thu", is_active=False)
    entry = SimpleNamespace(unit=tree["district"], signer_id=None, signer=None, signer_name="Lê Thị Thu",
                            body_code="BDVH")
    assert not perms.may_sign_document(user, entry)


ENDED = "{unit} đã kết thúc hoạt động (ngày cuối cùng hoạt động: {last}) nên không thể tạo hồ sơ mới. "
NAMED = ENDED + ("Công việc của đơn vị nay thuộc {successor}: hãy làm tại đơn vị này "
                 "(quản trị viên chuyển tài khoản của bạn sang đơn vị mới).")
UNNAMED = ENDED + "Hãy liên hệ quản trị viên để được chuyển sang đơn vị đang hoạt động."


def _refusal(unit, **kwargs) -> perms.UnitEnded:
    with pytest.raises(perms.UnitEnded) as refused:
        perms.require_unit_open(unit, **kwargs)
    assert refused.value.code == "unit_ended"
    return refused.value.message


def test_an_ended_unit_is_refused_after_its_last_day_and_told_where_its_work_went(tree):
    from datetime import date

    merged, into = tree["commune"], tree["other_commune"]
    merged.valid_to, merged.successor = date(2025, 6, 30), into
    merged.save()
    perms.require_unit_open(None)
    perms.require_unit_open(merged, on=date(2025, 6, 30))  # its last day: still open
    assert _refusal(merged, on=date(2025, 7, 1)) == NAMED.format(
        unit="Xã Hàm Đức", last="30/06/2025", successor="Xã Phước Thể")
    into.valid_to = date(2025, 12, 31)  # the successor ends too: named up to its last day, not after
    into.save()
    assert _refusal(merged, on=date(2025, 12, 31)) == NAMED.format(
        unit="Xã Hàm Đức", last="30/06/2025", successor="Xã Phước Thể")
    assert _refusal(merged, on=date(2026, 1, 1)) == UNNAMED.format(unit="Xã Hàm Đức", last="30/06/2025")
    closed = tree["village"]  # closed with no last day recorded, no successor
    closed.is_active = False
    closed.save()
    assert _refusal(closed, on=date(2020, 1, 1)) == UNNAMED.format(unit="Thôn Đông Giang", last="—")
    perms.require_unit_open(tree["district"], on=date(2030, 1, 1))


def test_an_ended_unit_is_refused_from_the_day_after_its_last_day_by_the_calendar(tree):
    from datetime import date, datetime
    from zoneinfo import ZoneInfo

    import time_machine

    unit = tree["commune"]
    unit.valid_to = date(2025, 6, 30)
    unit.save()
    hanoi = ZoneInfo("Asia/Ho_Chi_Minh")
    with time_machine.travel(datetime(2025, 6, 30, 23, 59, tzinfo=hanoi), tick=False):
        perms.require_unit_open(unit)
    with time_machine.travel(datetime(2025, 7, 1, 0, 1, tzinfo=hanoi), tick=False):
        assert _refusal(unit) == UNNAMED.format(unit="Xã Hàm Đức", last="30/06/2025")


def test_an_ended_units_last_day_reads_day_month_year_in_english_too(tree):
    from datetime import date

    from django.utils import translation

    unit = tree["commune"]
    unit.valid_to = date(2025, 6, 30)
    unit.save()
    with translation.override("en"):
        assert _refusal(unit, on=date(2025, 7, 1)) == (
            "Xã Hàm Đức has ended (last day of activity: 30/06/2025) and cannot start new records. "
            "Ask an administrator to move you to an active unit.")


def test_the_deciding_unit_still_sees_and_decides_a_proposal_whose_unit_moved_away(tree, people, phase, make_user):
    from tests.councils.factories import ProposalFactory

    # Proposed by a commune of the district, which a reorganisation has since put under another district.
    proposal = ProposalFactory(unit=tree["other_commune"], decider_unit=tree["district"], phase=phase,
                               body=ProposingBody.LEADERSHIP)
    assert not perms.unit_in_scope(people["leader"], proposal.unit)
    assert cwf.can_see(people["leader"], proposal)
    cwf.require_decider(people["leader"], proposal)
    with pytest.raises(PermissionDenied):  # sees it through the deciding unit, does not decide
        cwf.require_decider(people["staff"], proposal)
    with pytest.raises(Http404):
        cwf.require_decider(make_user(tree["commune"], "lanhdao"), proposal)  # sees neither unit


def test_a_users_seat_on_a_council_is_looked_up_once_a_request(tree, make_user, django_assert_num_queries):
    from councils.models import CouncilMember
    from tests.councils.factories import CouncilFactory, CouncilMemberFactory

    council = CouncilFactory(unit=tree["district"])
    chair = make_user(tree["district"], "canbo")
    CouncilMemberFactory(council=council, user=chair, role=CouncilMember.Role.CHAIR)
    with django_assert_num_queries(1):  # a council page asks it for each button
        for _ in range(3):
            assert perms.council_seat(chair, council).role == CouncilMember.Role.CHAIR


def test_an_overseen_area_is_read_once_a_request(tree, make_user, django_assert_num_queries):
    from portal.units.models import UnitKind
    from tests.factories import UnitFactory

    agency = UnitFactory(parent=tree["province"], code="BDV", name="Ban Dân vận Tỉnh ủy",
                         kind=UnitKind.objects.get(code="ban-dang"))
    agency.oversees = tree["district"]
    agency.save()
    from django.contrib.auth import get_user_model

    leader = get_user_model().objects.select_related("unit").get(pk=make_user(agency, "lanhdao").pk)  # as a page has it
    with django_assert_num_queries(1):
        for _ in range(3):
            assert perms.scope_unit(leader) == tree["district"]


def test_a_scoped_row_is_found_through_the_unit_field_named(tree, people, make_user):
    from councils.models import CouncilMember
    from tests.councils.factories import CouncilFactory, CouncilMemberFactory

    seat = CouncilMemberFactory(council=CouncilFactory(unit=tree["other_district"]),
                                user=make_user(tree["district"], "canbo"))
    seats = CouncilMember.objects.all()
    assert perms.get_scoped_or_404(seats, people["foreign_staff"], unit_field="council__unit", pk=seat.pk) == seat
    with pytest.raises(Http404):  # the council's unit decides, not the member's
        perms.get_scoped_or_404(seats, people["staff"], unit_field="council__unit", pk=seat.pk)


@pytest.fixture
def seated_council(tree, people, make_user):
    """A district council with a chair, a secretary and a member seated from another district."""
    from councils.models import CouncilMember
    from tests.councils.factories import CouncilFactory, CouncilMemberFactory

    council = CouncilFactory(unit=tree["district"])
    seat = {}
    for role in ("chair", "secretary", "member"):
        seat[role] = make_user(tree["other_district"], "canbo")
        CouncilMemberFactory(council=council, user=seat[role], role=getattr(CouncilMember.Role, role.upper()))
    return council, seat


def test_a_council_is_planned_by_administrators_and_its_secretary_or_chair(people, seated_council):
    council, seat = seated_council
    for user in (people["admin"], seat["chair"], seat["secretary"]):
        assert perms.can_plan_council(user, council), user.username
        perms.require_council_planner(user, council)
    # A member, and the leadership that sees the council without a seat: refused with 403.
    for user in (seat["member"], people["leader"]):
        assert not perms.can_plan_council(user, council), user.username
        with pytest.raises(PermissionDenied) as refused:
            perms.require_council_planner(user, council)
        assert str(refused.value) == "Chỉ Thư ký hoặc Chủ tịch của Hội đồng được thực hiện thao tác này."
    # One who may not see the council at all is told nothing of it (404, not 403).
    for user in (people["staff"], people["foreign_leader"]):
        assert not perms.can_plan_council(user, council), user.username
        with pytest.raises(Http404):
            perms.require_council_planner(user, council)


def test_a_councils_membership_is_kept_by_administrators_only(people, seated_council):
    council, seat = seated_council
    perms.require_council_admin(people["admin"])
    perms.require_council_admin(people["admin"], council)
    for user in (seat["chair"], seat["secretary"], people["leader"]):  # they see it, but do not keep it
        for args in ((), (council,)):
            with pytest.raises(PermissionDenied) as refused:
                perms.require_council_admin(user, *args)
            assert str(refused.value) == "Chỉ quản trị hệ thống được sửa thành phần Hội đồng."
    with pytest.raises(PermissionDenied):
        perms.require_council_admin(people["staff"])  # no council named: the role decides
    with pytest.raises(Http404):
        perms.require_council_admin(people["staff"], council)  # a council they may not see: 404 first


def test_a_session_is_seen_by_those_who_see_its_council_and_by_its_appointed_experts(
        tree, people, make_user, seated_council):
    from django.contrib.auth.models import AnonymousUser

    from councils.models import Evaluator
    from tests.councils.factories import RubricFactory, SessionFactory

    council, seat = seated_council
    session = SessionFactory(council=council)
    expert = make_user(tree["other_commune"], "canbo")  # no seat, no scope over the district
    outsider = make_user(tree["other_commune"], "canbo")
    Evaluator.objects.create(session=session, user=expert, is_expert=True, rubric=RubricFactory())
    for user in (expert, seat["member"], people["leader"], people["admin"]):
        assert perms.can_see_session(user, session), user.username
        perms.require_session_view(user, session)
    for user in (outsider, people["staff"], people["foreign_leader"], AnonymousUser()):
        assert not perms.can_see_session(user, session), str(user)
        with pytest.raises(Http404):
            perms.require_session_view(user, session)
    other_session = SessionFactory(council=council, date=session.date.replace(day=20))
    assert not perms.can_see_session(expert, other_session)  # appointed to one session only


def test_a_report_over_the_row_limit_is_refused_saying_how_large_it_would_be(settings):
    from django.core.exceptions import ValidationError

    from documents.reporting import ReportKind

    settings.REPORT_MAX_ROWS = 1000
    counted = []

    def rows(params):
        counted.append(params)
        return params["n"]

    kind = ReportKind(code="t", label="Danh sách thử", build=lambda params, progress: None, rows=rows)
    kind.check_size({"n": 1000})  # at the limit: made
    assert counted == [{"n": 1000}]
    with pytest.raises(ValidationError) as refused:
        kind.check_size({"n": 12345})
    assert refused.value.messages == [
        "Báo cáo “Danh sách thử” sẽ có 12.345 dòng, vượt giới hạn 1.000 dòng của một báo cáo. "
        "Hãy chọn một đơn vị nhỏ hơn."]
    # A kind that does not count its rows is never refused.
    ReportKind(code="u", label="Không đếm", build=lambda params, progress: None).check_size({"n": 10**9})


def test_a_list_row_offers_the_one_next_step_of_the_persons_roles(tree, people, phase):
    from django.urls import reverse

    model = DvkModelFactory(unit=tree["commune"], phase=phase)
    url = {name: reverse(f"models_registry:{name}", args=[model.pk])
           for name in ("detail", "edit", "evaluate", "report_create")}
    expected = {
        "staff": {State.DRAFT: ("edit", "Sửa và gửi"), State.SUBMITTED: ("detail", "Xem"),
                  State.RETURNED: ("edit", "Sửa và gửi"), State.REGISTERED: ("evaluate", "Đánh giá cuối năm"),
                  State.EVALUATED: ("report_create", "Báo cáo tiến độ"),
                  State.RECOGNISED: ("report_create", "Báo cáo tiến độ")},
        "leader": {State.DRAFT: ("detail", "Xem"), State.SUBMITTED: ("detail", "Duyệt hoặc trả lại"),
                   State.RETURNED: ("detail", "Xem"), State.REGISTERED: ("evaluate", "Đánh giá cuối năm"),
                   State.EVALUATED: ("detail", "Xem xét công nhận"),
                   State.RECOGNISED: ("detail", "Xem xét công nhận")},
        "admin": {State.DRAFT: ("edit", "Sửa và gửi"), State.SUBMITTED: ("detail", "Duyệt hoặc trả lại"),
                  State.RETURNED: ("edit", "Sửa và gửi"), State.REGISTERED: ("evaluate", "Đánh giá cuối năm"),
                  State.EVALUATED: ("detail", "Xem xét công nhận"),
                  State.RECOGNISED: ("detail", "Xem xét công nhận")},
    }
    for state in State:
        model.state = state
        for role, steps in expected.items():
            name, label = steps[state]
            assert mwf.next_step(people[role], model) == (url[name], label), (role, state)
        for role in ("cell", "union"):  # they comment on the model's page; no step of their own
            assert mwf.next_step(people[role], model) == (url["detail"], "Xem"), (role, state)
