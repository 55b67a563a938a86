"""Reminders of the awards: a round opening (self-assessment), its last days (scores not
submitted) and pledges not registered, under a frozen clock; and one full reminder pass of every
new kind, delivered exactly once."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from awards.deadlines import PledgeSource, RoundClosingSource, RoundOpenSource
from awards.models import Pledge, ReviewRound
from awards.pledges import services
from plans.models import Notification, ReminderDelivery
from tests.awards.conftest import fill
from tests.awards.factories import PledgeFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN)


def run(moment: dt.datetime) -> str:
    out = io.StringIO()
    with time_machine.travel(moment, tick=False):
        call_command("send_reminders", "--now", moment.isoformat(), stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def delivered(kind: str) -> list[tuple[str, str]]:
    rows = ReminderDelivery.objects.filter(kind=kind).order_by("id").values_list("user__username", "step")
    return [(username, step.split("@")[0]) for username, step in rows]


def opened_round(committee, *, when: dt.datetime, quarter: int = 1, meeting_date=None) -> ReviewRound:
    with time_machine.travel(when, tick=False):
        rnd = services.round_create(user=committee[0], year=2025, quarter=quarter, meeting_date=meeting_date)
        return services.round_open(user=committee[0], rnd=rnd)


# --- a round opens: self-assessment -------------------------------------------------------------------

OPEN = RoundOpenSource.kind


def test_opening_a_round_reminds_each_pledge_holder_of_their_own_self_assessment(committee, staff_pledges):
    rnd = opened_round(committee, when=at(2025, 3, 20, 14, 30))
    run(at(2025, 3, 20, 9))
    assert delivered(OPEN) == []  # before it opened
    run(at(2025, 3, 20, 15))
    assert sorted(delivered(OPEN)) == [("cb0", "before-7"), ("cb1", "before-7"), ("cb2", "before-7")]
    first = Notification.objects.get(user=staff_pledges[0].person, key__startswith="reminder:awards.round-self")
    assert first.title == "Nhắc việc: Đợt đánh giá quý 1/2025 đã mở: tự đánh giá bản đăng ký của đồng chí"
    assert first.url == f"/awards/rounds/{rnd.pk}/self/{staff_pledges[0].pk}/"
    assert first.body.startswith("Còn 7 ngày nữa đến hạn (14:30 ngày 27/03/2025)")
    # Who self-assessed is reminded no more.
    with time_machine.travel(at(2025, 3, 22, 10), tick=False):
        services.self_assessment_save(user=staff_pledges[0].person, rnd=rnd, pledge=staff_pledges[0],
                                      achievements="Tham mưu 02 văn bản", evidence="Văn bản số 12")
    run(at(2025, 3, 26, 15))
    assert sorted(u for u, s in delivered(OPEN) if s == "before-1") == ["cb1", "cb2"]
    # Nobody of the committee without a pledge is reminded.
    assert not ReminderDelivery.objects.filter(kind=OPEN, user__in=committee).exists()


def test_a_closed_round_or_a_window_without_an_opening_reminds_nobody(committee, staff_pledges):
    rnd = opened_round(committee, when=at(2025, 3, 20, 14, 30))
    source = RoundOpenSource()
    assert len(source.deadlines(start=at(2025, 3, 20), end=at(2025, 4, 1))) == 3
    assert source.deadlines(start=at(2025, 3, 28), end=at(2025, 5, 1)) == []  # due 27/3: outside
    assert source.deadlines(start=at(2025, 1, 1), end=at(2025, 3, 27)) == []  # due 27/3 14:30: outside
    mine = source.deadlines(start=at(2025, 3, 20), end=at(2025, 4, 1), user=staff_pledges[1].person)
    assert [d.key for d in mine] == [f"awards.round-self:{rnd.pk}:{staff_pledges[1].pk}"]
    with time_machine.travel(at(2025, 3, 21, 9), tick=False):
        services.round_close(user=committee[0], rnd=rnd)
    assert source.deadlines(start=at(2025, 3, 20), end=at(2025, 4, 1)) == []


# --- a round's last days: scores not submitted ----------------------------------------------------------

CLOSE = RoundClosingSource.kind


def test_members_who_have_not_submitted_are_reminded_before_the_meeting(committee, staff_pledges, people):
    rnd = opened_round(committee, when=at(2025, 3, 20, 14, 30), meeting_date=dt.date(2025, 4, 12))
    run(at(2025, 4, 8, 9))
    assert delivered(CLOSE) == []  # 4 days before
    run(at(2025, 4, 9, 9))
    assert sorted(u for u, _ in delivered(CLOSE)) == sorted(m.username for m in committee)
    notification = Notification.objects.get(user=committee[1], key__startswith="reminder:awards.round-close")
    assert notification.url == f"/awards/rounds/{rnd.pk}/score/"
    assert notification.body.startswith("Còn 3 ngày nữa đến hạn (hết ngày 11/04/2025)")
    assert "họp định kỳ ngày 12/04/2025" in notification.body
    with time_machine.travel(at(2025, 4, 10, 9), tick=False):
        fill(rnd, committee[1])
        services.scores_submit(user=committee[1], rnd=rnd)
    run(at(2025, 4, 11, 9))
    assert sorted(u for u, s in delivered(CLOSE) if s == "before-1") == sorted(
        m.username for m in committee if m != committee[1]
    )
    # Three days overdue: the chair is told.
    run(at(2025, 4, 15, 9))
    assert ("congdoan_d", "escalate-3") in delivered(CLOSE)
    # Staff and leadership of the unit are not scorers.
    assert not ReminderDelivery.objects.filter(kind=CLOSE, user__in=[people["staff"], people["leader"]]).exists()


def test_without_a_meeting_date_the_round_closes_ten_days_after_its_quarter(committee, staff_pledges, settings):
    rnd = opened_round(committee, when=at(2025, 3, 20, 14, 30))
    (deadline,) = RoundClosingSource().deadlines(start=at(2025, 4, 1), end=at(2025, 4, 20))
    assert deadline.key == f"awards.round-close:{rnd.pk}"
    assert deadline.due_at == at(2025, 4, 10)
    assert deadline.escalate_to == {committee[0].pk}
    settings.AWARDS_ROUND_MEETING_DAYS = 5
    (deadline,) = RoundClosingSource().deadlines(start=at(2025, 4, 1), end=at(2025, 4, 20))
    assert deadline.due_at == at(2025, 4, 5)
    assert RoundClosingSource().deadlines(start=at(2025, 4, 6), end=at(2025, 5, 1)) == []  # outside
    with time_machine.travel(at(2025, 4, 2, 9), tick=False):
        services.round_close(user=committee[0], rnd=rnd)
    assert RoundClosingSource().deadlines(start=at(2025, 4, 1), end=at(2025, 4, 20)) == []


# --- pledges not registered ------------------------------------------------------------------------------

PLEDGE = PledgeSource.kind


def test_people_of_units_with_a_union_committee_without_a_pledge_are_reminded(people, phase, contents, tree,
                                                                              make_user):
    registered = make_user(tree["district"], "canbo", username="da_dang_ky")
    PledgeFactory(person=registered, content=contents["chuyen-mon"], phase=phase, year=2025,
                  status=Pledge.Status.DRAFT)  # any status counts as registered
    make_user(tree["commune"], "canbo", username="canbo_x")  # the commune has no union committee
    run(at(2025, 3, 20, 9))
    assert delivered(PLEDGE) == []  # 20 days before the 9 April deadline
    run(at(2025, 3, 26, 9))
    assert sorted(delivered(PLEDGE)) == sorted(
        (u, "before-14") for u in ("canbo_d", "congdoan_d", "chiuy_d", "lanhdao_d")
    )
    notification = Notification.objects.get(user=people["cell"], key__startswith="reminder:awards.pledge")
    assert notification.title == "Nhắc việc: Đăng ký thi đua “Dân vận khéo” năm 2025 – Huyện Hàm Thuận Bắc"
    assert notification.url == "/awards/pledges/new/"
    assert "trước ngày 09/04/2025" in notification.body
    # Registering stops it; the union committee is told after two weeks overdue.
    PledgeFactory(person=people["staff"], content=contents["chuyen-mon"], phase=phase, year=2025)
    run(at(2025, 4, 7, 9))
    assert sorted(u for u, s in delivered(PLEDGE) if s == "before-3") == ["chiuy_d", "congdoan_d", "lanhdao_d"]
    run(at(2025, 4, 23, 9))
    assert ("congdoan_d", "escalate-14") in delivered(PLEDGE)


def test_the_pledge_deadline_is_configurable_and_outside_the_window_nothing(people, phase, settings):
    source = PledgeSource()
    (deadline,) = source.deadlines(start=at(2025, 4, 1), end=at(2025, 4, 15))
    assert deadline.due_at == at(2025, 4, 9)
    assert source.deadlines(start=at(2025, 4, 10), end=at(2026, 4, 1)) == []
    assert source.deadlines(start=at(2031, 1, 1), end=at(2031, 12, 31)) == []  # no phase covers 2031
    settings.AWARDS_PLEDGE_DEADLINE = (2, 1)
    (deadline,) = source.deadlines(start=at(2025, 1, 15), end=at(2025, 2, 15))
    assert deadline.due_at == at(2025, 2, 1)
    assert source.deadlines(start=at(2025, 1, 15), end=at(2025, 2, 15), user=people["foreign_staff"]) == []


# --- one full pass ----------------------------------------------------------------------------------------

def test_a_full_pass_delivers_every_new_kind_exactly_once(committee, staff_pledges, people, phase, tree):
    from models_registry.models import State
    from tests.models_registry.factories import DvkModelFactory

    DvkModelFactory(unit=tree["district"], phase=phase, year=2025, state=State.REGISTERED,
                    start_date=dt.date(2025, 1, 15), created_by=people["staff"])
    opened_round(committee, when=at(2025, 4, 2, 8), meeting_date=dt.date(2025, 4, 10))
    moment = at(2025, 4, 7, 9)
    first = run(moment)
    kinds = set(ReminderDelivery.objects.values_list("kind", flat=True))
    assert {"model_registration_deadline", "model_progress_report", OPEN, CLOSE, PLEDGE} <= kinds
    sent = int(first.split()[1])
    assert sent == ReminderDelivery.objects.count() == Notification.objects.filter(kind="").count()
    assert run(moment) == "sent 0 reminders"
    assert run(moment + dt.timedelta(hours=1)) == "sent 0 reminders"
    assert ReminderDelivery.objects.count() == sent


def test_the_awards_sources_keep_a_fixed_number_of_queries(committee, staff_pledges, phase, tree, make_user,
                                                           django_assert_max_num_queries):
    from tests.factories import UnitFactory

    for i in range(5):
        unit = UnitFactory(parent=tree["district"])
        make_user(unit, "congdoan", username=f"bch_xa{i}")
        make_user(unit, "canbo", username=f"cb_xa{i}")
    opened_round(committee, when=at(2025, 3, 20, 14, 30))
    with django_assert_max_num_queries(4):
        assert len(PledgeSource().deadlines(start=at(2025, 4, 1), end=at(2025, 4, 15))) == 6
    with django_assert_max_num_queries(3):
        assert len(RoundOpenSource().deadlines(start=at(2025, 3, 20), end=at(2025, 4, 1))) == 3
    with django_assert_max_num_queries(3):
        assert len(RoundClosingSource().deadlines(start=at(2025, 4, 1), end=at(2025, 4, 20))) == 1
