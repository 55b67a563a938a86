"""Reminders of the registry: the registration deadline and the quarterly progress reports, under
a frozen clock (what is due when, who gets it, nothing for those who already did it, nothing
outside the window)."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from models_registry.deadlines import ProgressReportSource, RegistrationDeadlineSource
from models_registry.models import ModelEvent, RegistrationDeadline, State
from plans.models import Notification, ReminderDelivery
from tests.models_registry.factories import ProgressReportFactory

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
    """(username, step kind) of every delivery of `kind`, in order."""
    rows = ReminderDelivery.objects.filter(kind=kind).order_by("id").values_list("user__username", "step")
    return [(username, step.split("@")[0]) for username, step in rows]


def by_key(deadlines) -> dict:
    return {d.key: d for d in deadlines}


# --- the registration deadline ------------------------------------------------------------------------

REG = RegistrationDeadlineSource.kind


def test_registration_deadline_reminds_staff_before_it_and_tells_leadership_the_day_after(people, phase):
    run(at(2025, 3, 20, 9))
    assert delivered(REG) == []  # 20 days before: nothing yet
    run(at(2025, 3, 26, 9))
    assert delivered(REG) == [("canbo_d", "before-14"), ("canbo_o", "before-14")]
    run(at(2025, 4, 2, 9))
    run(at(2025, 4, 8, 9))
    run(at(2025, 4, 9, 9))  # the deadline day: staff can no longer submit, nothing more for them
    run(at(2025, 4, 10, 9))
    assert [s for u, s in delivered(REG) if u == "canbo_d"] == ["before-14", "before-7", "before-1"]
    assert [s for u, s in delivered(REG) if u in ("lanhdao_d", "lanhdao_o")] == ["escalate-1", "escalate-1"]
    mine = Notification.objects.filter(user=people["staff"], key__startswith="reminder:models_registry.registration")
    body = mine.order_by("id").values_list("body", flat=True)[1]
    assert body.startswith(
        "Còn 7 ngày nữa đến hạn (hết ngày 08/04/2025): Đăng ký mô hình “Dân vận khéo” năm 2025 – Huyện Hàm Thuận Bắc."
    )
    assert "trước ngày 09/04/2025" in body
    # Nobody without the staff role of the unit is reminded; no admin, union member or foreign leader before.
    assert not ReminderDelivery.objects.filter(kind=REG, user__in=[people["union"], people["admin"]]).exists()


def test_a_unit_that_sent_a_model_is_not_reminded_and_a_draft_is_linked(people, phase, make_model, tree):
    make_model(unit=tree["other_district"], year=2025, state=State.SUBMITTED, created_by=people["foreign_staff"])
    draft = make_model(year=2025, state=State.RETURNED)
    found = by_key(RegistrationDeadlineSource().deadlines(start=at(2025, 4, 1), end=at(2025, 4, 15)))
    district = found[f"models_registry.registration:{tree['district'].pk}:2025"]
    assert district.recipients == {people["staff"].pk}
    assert district.escalate_to == {people["leader"].pk}
    assert district.url == f"/models/{draft.pk}/"
    assert f"models_registry.registration:{tree['other_district'].pk}:2025" not in found
    # Once the district's model is approved (or only sent), it is done too.
    draft.state = State.REGISTERED
    draft.save()
    assert RegistrationDeadlineSource().deadlines(start=at(2025, 4, 1), end=at(2025, 4, 15)) == []


def test_the_deadline_is_the_units_own_else_the_nearest_ancestors(people, phase, tree, make_user):
    commune_staff = make_user(tree["commune"], "canbo", username="canbo_x")
    RegistrationDeadline.objects.create(unit=tree["province"], year=2025, date=dt.date(2025, 4, 20))
    RegistrationDeadline.objects.create(unit=tree["district"], year=2025, date=dt.date(2025, 4, 15))
    found = by_key(RegistrationDeadlineSource().deadlines(start=at(2025, 4, 1), end=at(2025, 5, 1)))
    assert found[f"models_registry.registration:{tree['district'].pk}:2025"].due_at == at(2025, 4, 15)
    assert found[f"models_registry.registration:{tree['commune'].pk}:2025"].due_at == at(2025, 4, 15)
    assert found[f"models_registry.registration:{tree['commune'].pk}:2025"].recipients == {commune_staff.pk}
    assert found[f"models_registry.registration:{tree['other_district'].pk}:2025"].due_at == at(2025, 4, 20)
    # The 9 April default is no longer due anywhere: a window around it finds nothing.
    assert RegistrationDeadlineSource().deadlines(start=at(2025, 4, 1), end=at(2025, 4, 14)) == []


def test_no_registration_reminder_outside_the_window_or_a_phase(people, phase):
    source = RegistrationDeadlineSource()
    assert source.deadlines(start=at(2025, 4, 10), end=at(2026, 4, 1)) == []
    assert source.deadlines(start=at(2031, 1, 1), end=at(2031, 12, 31)) == []  # no phase covers 2031


def test_staff_who_left_or_were_deactivated_are_not_reminded(people, phase, tree):
    people["staff"].unit = tree["other_district"]
    people["staff"].save()
    people["foreign_staff"].is_active = False
    people["foreign_staff"].save()
    found = by_key(RegistrationDeadlineSource().deadlines(start=at(2025, 4, 1), end=at(2025, 4, 15)))
    assert f"models_registry.registration:{tree['district'].pk}:2025" not in found  # no staff left there
    assert found[f"models_registry.registration:{tree['other_district'].pk}:2025"].recipients == {
        people["staff"].pk
    }


def test_with_a_user_only_their_own_registration_deadline(people, phase, tree):
    mine = RegistrationDeadlineSource().deadlines(start=at(2025, 4, 1), end=at(2025, 4, 15), user=people["staff"])
    assert [d.key for d in mine] == [f"models_registry.registration:{tree['district'].pk}:2025"]


# --- progress reports ---------------------------------------------------------------------------------

PROG = ProgressReportSource.kind


def test_a_registered_model_reports_each_quarter_until_a_report_covers_it(people, phase, make_model):
    model = make_model(year=2025, state=State.REGISTERED, start_date=dt.date(2025, 2, 1))
    run(at(2025, 3, 20, 9))
    assert delivered(PROG) == []  # more than 7 days before the quarter's end
    run(at(2025, 3, 25, 9))
    assert delivered(PROG) == [("canbo_d", "before-7")]
    notification = Notification.objects.get(user=people["staff"], key__startswith="reminder:models_registry.progress")
    assert notification.title == f"Nhắc việc: Báo cáo tiến độ quý 1/2025 của mô hình “{model.name}”"
    assert notification.url == f"/models/{model.pk}/"  # the page where staff add it and leaders read it
    assert notification.body.startswith("Còn 7 ngày nữa đến hạn (hết ngày 31/03/2025)")
    run(at(2025, 4, 1, 9))
    run(at(2025, 4, 8, 9))
    run(at(2025, 4, 15, 9))
    assert [s for _, s in delivered(PROG)] == ["before-7", "overdue-0", "overdue-7", "overdue-14", "escalate-14"]
    assert ("lanhdao_d", "escalate-14") in delivered(PROG)
    # A report whose period overlaps the quarter settles it.
    ProgressReportFactory(model=model, period_start=dt.date(2025, 3, 1), period_end=dt.date(2025, 3, 31))
    run(at(2025, 4, 22, 9))
    run(at(2025, 4, 29, 9))
    assert len(delivered(PROG)) == 5


def test_progress_due_dates_and_what_is_not_asked(people, phase, make_model, tree):
    running = make_model(year=2025, state=State.REGISTERED, start_date=dt.date(2025, 1, 10))
    late_start = make_model(year=2025, state=State.REGISTERED, start_date=dt.date(2025, 5, 1))
    approved_late = make_model(year=2025, state=State.REGISTERED, start_date=dt.date(2025, 1, 10))
    ModelEvent.objects.create(model=approved_late, action=ModelEvent.Action.APPROVE, at=at(2025, 4, 20))
    make_model(year=2025, state=State.EVALUATED)  # the year is closed for it
    make_model(year=2025, state=State.SUBMITTED)  # not approved
    make_model(year=2024, state=State.REGISTERED)  # another year
    ProgressReportFactory(model=running, period_start=dt.date(2025, 4, 1), period_end=dt.date(2025, 6, 30))
    source = ProgressReportSource()
    keys = {d.key for d in source.deadlines(start=at(2025, 1, 1), end=at(2026, 1, 2))}
    assert keys == {
        f"models_registry.progress:{running.pk}:2025-Q1",
        f"models_registry.progress:{running.pk}:2025-Q3",
        f"models_registry.progress:{running.pk}:2025-Q4",
        f"models_registry.progress:{late_start.pk}:2025-Q2",
        f"models_registry.progress:{late_start.pk}:2025-Q3",
        f"models_registry.progress:{late_start.pk}:2025-Q4",
        f"models_registry.progress:{approved_late.pk}:2025-Q2",
        f"models_registry.progress:{approved_late.pk}:2025-Q3",
        f"models_registry.progress:{approved_late.pk}:2025-Q4",
    }
    q4 = by_key(source.deadlines(start=at(2025, 12, 1), end=at(2026, 1, 2)))
    assert q4[f"models_registry.progress:{running.pk}:2025-Q4"].due_at == at(2026, 1, 1)
    # Outside the window: nothing.
    assert source.deadlines(start=at(2025, 4, 2), end=at(2025, 6, 30)) == []


def test_progress_reminders_go_to_the_staff_of_the_models_unit_only(people, phase, make_model, tree, make_user):
    other = make_user(tree["district"], "canbo", username="canbo_d2")
    make_model(year=2025, state=State.REGISTERED, unit=tree["district"])
    (deadline,) = ProgressReportSource().deadlines(start=at(2025, 3, 1), end=at(2025, 4, 5))
    assert deadline.recipients == {people["staff"].pk, other.pk}
    assert deadline.escalate_to == {people["leader"].pk}
    assert ProgressReportSource().deadlines(start=at(2025, 3, 1), end=at(2025, 4, 5), user=people["foreign_staff"]) == []


def test_the_registry_sources_keep_a_fixed_number_of_queries(people, phase, make_model, tree, make_user,
                                                             django_assert_max_num_queries):
    for i in range(6):
        unit = tree["commune"] if i % 2 else tree["other_commune"]
        make_user(unit, "canbo", "lanhdao", username=f"nguoi{i}")
        make_model(year=2025, state=State.REGISTERED, unit=unit)
    with django_assert_max_num_queries(5):
        assert RegistrationDeadlineSource().deadlines(start=at(2025, 4, 1), end=at(2025, 4, 15))
    with django_assert_max_num_queries(3):
        assert len(ProgressReportSource().deadlines(start=at(2025, 3, 1), end=at(2025, 4, 5))) == 6
