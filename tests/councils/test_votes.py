"""Sessions and votes: quorum, recusal, secret ballots, pass rules at the threshold, closed results,
paper tallies, and what goes into the draft decision."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models

from awards.models import AwardEvent, AwardForm, AwardLevel
from councils import selectors, services
from councils.models import AgendaItem, BallotCount, PassRule, VoteCast
from tests.councils.conftest import open_session, vote

A, D, X = "agree", "disagree", "abstain"


def test_voting_does_not_open_without_the_quorum(session, secretary, seats, items):
    # Quorum 2/3 of 5 members: 4 present needed (3·3 = 9 < 2·5 = 10).
    open_session(session, secretary, seats[:3])
    with pytest.raises(ValidationError, match=r"3/5, cần ≥ 2/3"):
        services.voting_open(user=secretary, item=items[0])
    services.attendance_take(user=secretary, session=session, present_ids={s.pk for s in seats[:4]})
    services.voting_open(user=secretary, item=items[0])
    assert AgendaItem.objects.get(pk=items[0].pk).status == "voting"


def test_only_the_secretary_or_chair_runs_the_session(session, seats, items):
    with pytest.raises(PermissionDenied):
        services.session_open(user=seats[3].user, session=session)


def test_a_recused_member_is_out_of_the_votes_and_the_quorum_of_that_item(session, secretary, seats, items):
    open_session(session, secretary, seats[:4])
    # Member 3 is a relative of the first subject: that item's members are 4, of whom 3 present.
    services.conflict_declare(user=seats[3].user, item=items[0], reason="Vợ của đồng chí Phạm Văn Ủy")
    e = selectors.electorate(items[0])
    assert (len(e.members), len(e.present), [m.pk for m in e.recused]) == (4, 3, [seats[3].pk])
    services.voting_open(user=secretary, item=items[0])  # 3 of 4: 9 >= 8, quorum met
    with pytest.raises(ValidationError, match="xung đột"):
        services.ballot_cast(user=seats[3].user, item=items[0], choice=A)
    vote(items[0], [(seats[0], A), (seats[1], A), (seats[2], A)])
    services.item_close(user=secretary, item=items[0])
    item = AgendaItem.objects.get(pk=items[0].pk)
    # > 1/2 of the 4 members not recused: 3 agree passes; the recused member is not in the base.
    assert (item.agree, item.members_total, item.members_present, item.outcome) == (3, 4, 3, "passed")
    # The other item is unaffected: member 3 votes there.
    services.voting_open(user=secretary, item=items[1])
    services.ballot_cast(user=seats[3].user, item=items[1], choice=D)


def test_a_recusal_quorum_can_fail_for_one_item_only(session, secretary, seats, items):
    open_session(session, secretary, seats[:4])
    services.conflict_declare(user=seats[0].user, item=items[0], reason="Người thân")
    services.conflict_declare(user=seats[1].user, item=items[0], reason="Cấp trên trực tiếp")
    # Item 0: 3 members not recused, 2 present: 6 >= 6 → quorum met exactly at 2/3.
    services.voting_open(user=secretary, item=items[0])
    # Item 1: three present members recuse (0, 1, 2): of the 2 members left, 1 is present: no quorum.
    for seat in seats[:3]:
        services.conflict_declare(user=seat.user, item=items[1], reason="Cùng đơn vị được đề nghị")
    e = selectors.electorate(items[1])
    assert (len(e.members), len(e.present)) == (2, 1)
    with pytest.raises(ValidationError, match=r"1/2"):
        services.voting_open(user=secretary, item=items[1])


def test_nothing_stored_links_a_ballot_to_its_voter(session, secretary, seats, items):
    open_session(session, secretary, seats)
    services.voting_open(user=secretary, item=items[0])
    counters_before = list(BallotCount.objects.filter(item=items[0]).order_by("pk").values_list("pk", "choice"))
    vote(items[0], [(seats[0], A), (seats[1], D), (seats[2], A), (seats[3], X), (seats[4], A)])
    # The ballot box: counters made before anyone voted, no other rows; no voter, no time, no order.
    assert list(BallotCount.objects.filter(item=items[0]).order_by("pk").values_list("pk", "choice")) == counters_before
    for model in (BallotCount, VoteCast):
        for f in model._meta.get_fields():
            assert not isinstance(f, models.DateTimeField | models.DateField), (model, f.name)
        assert not hasattr(model, "history")
    assert {f.name for f in BallotCount._meta.concrete_fields} == {"id", "item", "choice", "count"}
    # Who voted: the member and the item only, under random keys (no sequence to line up with counters).
    assert {f.name for f in VoteCast._meta.concrete_fields} == {"id", "item", "member"}
    assert isinstance(VoteCast._meta.pk, models.UUIDField)
    # Try to link them: nothing in VoteCast points at a counter, nor carries a choice.
    cast = list(VoteCast.objects.filter(item=items[0]).values())
    assert len(cast) == 5 and all(set(row) == {"id", "item_id", "member_id"} for row in cast)
    # And the tally stays hidden until the item closes.
    assert selectors.tally(AgendaItem.objects.get(pk=items[0].pk)) is None
    services.item_close(user=secretary, item=items[0])
    assert selectors.tally(AgendaItem.objects.get(pk=items[0].pk))["agree"] == 3


def test_a_member_votes_once_and_only_when_present(session, secretary, seats, items):
    open_session(session, secretary, seats[:4])
    services.voting_open(user=secretary, item=items[0])
    services.ballot_cast(user=seats[0].user, item=items[0], choice=A)
    with pytest.raises(ValidationError, match="đã bỏ phiếu"):
        services.ballot_cast(user=seats[0].user, item=items[0], choice=D)
    with pytest.raises(ValidationError, match="danh sách có mặt"):
        services.ballot_cast(user=seats[4].user, item=items[0], choice=A)
    assert sum(BallotCount.objects.filter(item=items[0]).values_list("count", flat=True)) == 1


@pytest.mark.parametrize(("strict", "base", "agree", "passed"), [
    (False, "all", 4, True),    # ≥ 2/3 of 6: exactly 4 passes
    (True, "all", 4, False),    # > 2/3 of 6: exactly 4 does not
    (False, "all", 3, False),
    (True, "all", 5, True),
    (False, "present", 3, False),  # ≥ 2/3 of 5 present: 3·3 = 9 < 10
    (False, "present", 4, True),
])
def test_pass_rules_at_exactly_the_threshold(session, secretary, seats, items, make_user, tree, council,
                                             strict, base, agree, passed):
    from tests.councils.factories import CouncilMemberFactory

    sixth = CouncilMemberFactory(council=council, user=make_user(tree["district"], username="hd5"), order=6)
    PassRule.objects.update_or_create(form=AwardForm.CERTIFICATE, level=AwardLevel.DISTRICT,
                                      defaults={"num": 2, "den": 3, "strict": strict, "base": base})
    present = [*seats, sixth][:5]
    open_session(session, secretary, present)
    services.voting_open(user=secretary, item=items[0])
    vote(items[0], [(s, A if i < agree else D) for i, s in enumerate(present)])
    services.item_close(user=secretary, item=items[0])
    item = AgendaItem.objects.get(pk=items[0].pk)
    assert (item.members_total, item.members_present, item.agree) == (6, 5, agree)
    assert (item.outcome == "passed") is passed


def test_default_rule_is_data_an_administrator_changes(session, secretary, seats, items):
    rule = selectors.pass_rule_for(AwardForm.CERTIFICATE, AwardLevel.DISTRICT)
    assert (rule.pk is not None, rule.num, rule.den, rule.strict, rule.base) == (True, 1, 2, True, "all")
    assert selectors.pass_rule_for("unknown", 9) is selectors.DEFAULT_RULE


def test_closed_results_are_immutable(session, secretary, seats, items):
    open_session(session, secretary, seats)
    services.voting_open(user=secretary, item=items[0])
    vote(items[0], [(seats[0], A), (seats[1], A), (seats[2], A)])
    services.item_close(user=secretary, item=items[0])
    with pytest.raises(ValidationError):
        services.ballot_cast(user=seats[3].user, item=items[0], choice=A)
    with pytest.raises(Exception, match="Không thể"):
        services.item_close(user=secretary, item=items[0])
    with pytest.raises(Exception, match="Không thể"):
        services.voting_open(user=secretary, item=items[0])
    with pytest.raises(ValidationError):
        services.conflict_declare(user=seats[4].user, item=items[0], reason="muộn")
    item = AgendaItem.objects.get(pk=items[0].pk)
    item.agree = 5
    with pytest.raises(ValidationError, match="không thay đổi"):
        item.save()
    assert AgendaItem.objects.get(pk=items[0].pk).agree == 3


def test_paper_ballot_tally_with_the_counting_committee(session, secretary, seats, proposal):
    subject = proposal.subjects.first()
    item = services.item_add(user=secretary, session=session, subject=subject, method=AgendaItem.Method.PAPER)
    open_session(session, secretary, seats[:4])
    with pytest.raises(ValidationError, match="Ban kiểm phiếu"):
        services.paper_tally_enter(user=secretary, item=item, agree=3, disagree=1, abstain=0, counting_committee=[])
    with pytest.raises(ValidationError, match="vượt số thành viên có mặt"):
        services.paper_tally_enter(user=secretary, item=item, agree=4, disagree=1, abstain=0,
                                   counting_committee=["Lê Thị Phó"])
    with pytest.raises(ValidationError, match="trên giấy"):
        services.voting_open(user=secretary, item=item)
    services.paper_tally_enter(user=secretary, item=item, agree=3, disagree=1, abstain=0,
                               counting_committee=["Lê Thị Phó", "Phạm Văn Ủy", " "])
    item = AgendaItem.objects.get(pk=item.pk)
    assert (item.status, item.outcome, item.agree, item.counting_committee) == (
        "closed", "passed", 3, "Lê Thị Phó\nPhạm Văn Ủy")


def test_passing_items_go_into_the_draft_decision_and_others_are_returned_with_the_tally(
        session, secretary, seats, items, proposal):
    open_session(session, secretary, seats)
    for item, agree in ((items[0], 4), (items[1], 2)):
        services.voting_open(user=secretary, item=item)
        vote(item, [(s, A if i < agree else D) for i, s in enumerate(seats)])
        services.item_close(user=secretary, item=item)
    outcomes = selectors.council_outcomes(proposal)
    first, second = items[0].subject_id, items[1].subject_id
    assert outcomes[first] == (True, "")
    approve, reason = outcomes[second]
    assert not approve and reason.startswith("Không đạt: 2/5 thành viên đồng ý")
    draft = selectors.draft_decision(session)
    assert [i.subject_id for i in draft["proposals"][0]["passed"]] == [first]
    assert AwardEvent.objects.filter(proposal=proposal, subject_id=second, action="council_return").exists()


def test_the_decision_is_issued_with_the_councils_outcomes(session, secretary, seats, items, proposal, people,
                                                          settings, tmp_path):
    import datetime as dt

    from awards.models import AwardSubject

    settings.PRIVATE_MEDIA_ROOT = tmp_path
    with pytest.raises(ValidationError, match="chưa được Hội đồng xét"):
        services.decision_issue_from_council(user=people["leader"], proposal=proposal, date=dt.date(2025, 10, 10))
    open_session(session, secretary, seats)
    for item, agree in ((items[0], 5), (items[1], 1)):
        services.voting_open(user=secretary, item=item)
        vote(item, [(s, A if i < agree else D) for i, s in enumerate(seats)])
        services.item_close(user=secretary, item=item)
    entry = services.decision_issue_from_council(user=people["leader"], proposal=proposal, date=dt.date(2025, 10, 10))
    assert entry.doc_type == "QĐ"
    passed, returned = (AwardSubject.objects.get(pk=i.subject_id) for i in items)
    assert passed.status == "approved" and passed.code
    assert returned.status == "rejected" and returned.rejection_reason.startswith("Không đạt: 1/5")
