"""The reminder pass: the schedule under a frozen clock, idempotency, escalation, moved, deleted
and reassigned deadlines, the Vietnamese email and retries when the mail server is down."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from plans import reminders, services
from plans.models import (
    FollowUpStatus,
    ItemStatus,
    Notification,
    ReminderDelivery,
    ReminderSchedule,
)
from plans.tasks import retry_countdown

from .factories import FollowUpFactory, InspectionFactory, PlanItemFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN)


def run(moment: dt.datetime | None = None) -> str:
    out = io.StringIO()
    args = ["--now", moment.isoformat()] if moment else []
    call_command("send_reminders", *args, stdout=out)
    return out.getvalue().strip().splitlines()[-1]


def titles(user) -> list[str]:
    """The user's reminders (workflow events such as "you were assigned" have a kind)."""
    return list(Notification.objects.filter(user=user, kind="").order_by("created_at", "id").values_list("title", flat=True))


def test_schedule_under_a_frozen_clock_reminds_before_on_and_after_the_deadline(plan, people):
    PlanItemFactory(plan=plan, code="2.2", content="Ban hành Hướng dẫn xây dựng mô hình",
                    due_date=dt.date(2026, 4, 9))
    expected = [
        (at(2026, 3, 25, 8), 0), (at(2026, 4, 2, 8), 1), (at(2026, 4, 5, 8), 0), (at(2026, 4, 8, 8), 1),
        (at(2026, 4, 9, 8), 1), (at(2026, 4, 16, 8), 1), (at(2026, 4, 23, 8), 2),
    ]
    for moment, sent in expected:
        with time_machine.travel(moment, tick=False):
            assert run() == f"sent {sent} reminders", moment
    bodies = list(Notification.objects.filter(user=people["staff"]).order_by("created_at").values_list("body", flat=True))
    assert bodies[0].startswith("Còn 7 ngày nữa đến hạn (hết ngày 08/04/2026): Kế hoạch")
    assert bodies[1].startswith("Còn 1 ngày nữa đến hạn (hết ngày 08/04/2026)")
    assert bodies[2].startswith("Đã hết hạn (hết ngày 08/04/2026) mà chưa hoàn thành")
    assert bodies[3].startswith("Đã quá hạn 7 ngày")
    assert bodies[4].startswith("Đã quá hạn 14 ngày")
    # The escalation goes to the unit's leadership only, once.
    assert titles(people["leader"]) == [
        f"Báo cáo quá hạn: Kế hoạch {plan.number}, mục 2.2: Ban hành Hướng dẫn xây dựng mô hình"
    ]
    assert not Notification.objects.filter(user__in=[people["union"], people["foreign_staff"]]).exists()


def test_the_same_moment_twice_sends_nothing_the_second_time(plan, people):
    PlanItemFactory(plan=plan, due_date=dt.date(2026, 4, 9))
    assert run(at(2026, 4, 2, 9)) == "sent 1 reminders"
    assert run(at(2026, 4, 2, 9)) == "sent 0 reminders"
    assert run(at(2026, 4, 3, 9)) == "sent 0 reminders"  # same step, a tick later
    assert ReminderDelivery.objects.count() == 1


def test_a_pass_at_a_moment_between_steps_sends_only_the_latest_step(plan, people):
    PlanItemFactory(plan=plan, due_date=dt.date(2026, 4, 9))
    assert run(at(2026, 4, 10, 9)) == "sent 1 reminders"
    assert list(ReminderDelivery.objects.values_list("step", flat=True)) == ["overdue-0@20260409T0000"]


def test_a_deadline_moved_after_reminders_went_out_is_rescheduled(plan, people):
    item = PlanItemFactory(plan=plan, due_date=dt.date(2026, 4, 9))
    assert run(at(2026, 4, 2, 9)) == "sent 1 reminders"
    services.item_save(user=people["staff"], plan=plan, item=item, due_date=dt.date(2026, 4, 30))
    assert run(at(2026, 4, 10, 9)) == "sent 0 reminders"  # not overdue any more
    assert run(at(2026, 4, 23, 9)) == "sent 1 reminders"
    assert ReminderDelivery.objects.order_by("id").last().step == "before-7@20260430T0000"


def test_a_done_or_deleted_item_is_not_reminded_and_its_pending_email_is_cancelled(plan, people):
    done = PlanItemFactory(plan=plan, due_date=dt.date(2026, 4, 9))
    gone = PlanItemFactory(plan=plan, due_date=dt.date(2026, 4, 9))
    assert run(at(2026, 4, 2, 9)) == "sent 2 reminders"
    services.item_transition(user=people["staff"], item=done, name="complete", on=dt.date(2026, 4, 3))
    services.item_delete(user=people["staff"], item=gone)
    reminders = Notification.objects.filter(kind="")  # not the progress update's workflow event
    assert set(reminders.values_list("email_status", flat=True)) == {Notification.Email.CANCELLED}
    assert run(at(2026, 4, 8, 9)) == "sent 0 reminders"
    assert run(at(2026, 4, 30, 9)) == "sent 0 reminders"


def test_a_reassigned_item_reminds_the_new_person_only(plan, people, make_user, tree):
    first = make_user(tree["district"], "canbo", username="nguoi_cu")
    second = make_user(tree["district"], "canbo", username="nguoi_moi")
    item = PlanItemFactory(plan=plan, due_date=dt.date(2026, 4, 9), assignees=[first])
    assert run(at(2026, 4, 2, 9)) == "sent 1 reminders"
    services.item_save(user=people["staff"], plan=plan, item=item, assignees=[second])
    assert Notification.objects.get(user=first).email_status == Notification.Email.CANCELLED
    assert run(at(2026, 4, 2, 10)) == "sent 1 reminders"  # the new person gets the current step
    assert run(at(2026, 4, 8, 9)) == "sent 1 reminders"
    assert len(titles(first)) == 1
    assert len(titles(second)) == 2


def test_responsible_roles_and_departments_are_reminded(plan, people, make_user, tree):
    from portal.accounts.models import Role
    from portal.units.models import UnitKind
    from tests.factories import UnitFactory

    department = UnitFactory(code="PDV", name="Phòng Đoàn thể và các hội", parent=tree["district"],
                             kind=UnitKind.objects.get(code="phong"))
    member = make_user(department, "canbo", username="phong_dt")
    item = PlanItemFactory(plan=plan, due_date=dt.date(2026, 4, 9))
    item.responsible_units.set([department])
    item.responsible_roles.set([Role.objects.get(code="chiuy")])
    assert run(at(2026, 4, 2, 9)) == "sent 2 reminders"
    assert set(Notification.objects.values_list("user_id", flat=True)) == {member.pk, people["cell"].pk}


def test_an_ongoing_item_is_reminded_each_period_until_reported(plan, people):
    item = PlanItemFactory(plan=plan, due_kind="ongoing", due_date=None, recurrence="quarterly")
    assert run(at(2026, 3, 25, 9)) == "sent 1 reminders"  # Q1 2026 ends 31/3
    services.item_transition(user=people["staff"], item=item, name="report", note="Đã báo cáo quý I.",
                             on=dt.date(2026, 3, 28))
    assert run(at(2026, 4, 2, 9)) == "sent 0 reminders"  # reported within the period
    assert run(at(2026, 6, 24, 9)) == "sent 1 reminders"  # Q2
    assert "(Quý 2/2026)" in titles(people["staff"])[-1]


def test_inspection_follow_ups_are_reminded_and_escalated(tree, people, make_user):
    commune_staff = make_user(tree["commune"], "canbo", username="canbo_xa")
    commune_leader = make_user(tree["commune"], "lanhdao", username="lanhdao_xa")
    run(at(2026, 1, 1, 9))
    ReminderSchedule.objects.filter(kind="tradition_day_1510").update(is_active=False)
    inspection = InspectionFactory(unit=tree["district"])
    follow_up = FollowUpFactory(inspection=inspection, unit=tree["commune"], due_date=dt.date(2026, 9, 30))
    assert run(at(2026, 9, 24, 9)) == "sent 1 reminders"
    assert run(at(2026, 10, 8, 9)) == "sent 2 reminders"  # overdue 7 days + escalation after 7
    assert titles(commune_staff)[0].startswith("Nhắc việc: Khắc phục sau kiểm tra")
    assert titles(commune_leader)[0].startswith("Báo cáo quá hạn: Khắc phục sau kiểm tra")
    services.follow_up_transition(user=commune_staff, follow_up=follow_up, name="resolve", note="Đã bổ sung")
    assert FollowUpStatus.DONE == type(follow_up).objects.get().status
    assert run(at(2026, 10, 15, 9)) == "sent 0 reminders"


def test_the_1510_preparation_goes_to_union_and_cell_committees_on_a_configurable_day(tree, people):
    assert run(at(2026, 9, 16, 9)) == "sent 2 reminders"  # 30 days before 15/10 by default
    assert set(Notification.objects.values_list("user_id", flat=True)) == {people["union"].pk, people["cell"].pk}
    assert "15/10/2026" in titles(people["union"])[0]
    ReminderSchedule.objects.filter(kind="tradition_day_1510").update(days_before=[5])
    assert run(at(2026, 10, 9, 9)) == "sent 0 reminders"
    assert run(at(2026, 10, 11, 9)) == "sent 2 reminders"
    assert run(at(2026, 10, 20, 9)) == "sent 0 reminders"  # no overdue reminders for a day


def test_a_disabled_schedule_sends_nothing(plan, people):
    PlanItemFactory(plan=plan, due_date=dt.date(2026, 4, 9))
    run(at(2026, 1, 1, 9))  # creates the schedule rows with their defaults
    ReminderSchedule.objects.filter(kind="plan_item").update(is_active=False)
    assert run(at(2026, 4, 2, 9)) == "sent 0 reminders"


def test_escalation_after_a_configured_number_of_days(plan, people):
    PlanItemFactory(plan=plan, due_date=dt.date(2026, 4, 9))
    run(at(2026, 1, 1, 9))
    ReminderSchedule.objects.filter(kind="plan_item").update(escalate_after_days=3, repeat_overdue_days=0)
    assert run(at(2026, 4, 11, 9)) == "sent 1 reminders"  # overdue-0 to the staff
    assert run(at(2026, 4, 12, 9)) == "sent 1 reminders"  # escalation to the leader
    assert titles(people["leader"])[0].startswith("Báo cáo quá hạn:")
    assert run(at(2026, 4, 20, 9)) == "sent 0 reminders"


def test_other_apps_register_their_own_deadline_sources(people):
    class RegistrationDeadline:
        kind = "model_registration"
        label = "Hạn đăng ký mô hình"
        default_schedule = {"days_before": [3]}

        def deadlines(self, *, start, end, user=None):
            due = at(2026, 5, 1)
            if start <= due < end and (user is None or user == people["staff"]):
                yield reminders.Deadline(key="models.registration:2026", due_at=due,
                                         recipients=frozenset([people["staff"].pk]),
                                         title="Hạn đăng ký mô hình “Dân vận khéo” năm 2026", kind=self.kind)

    assert {s.kind for s in reminders.discover()} >= {"plan_item", "inspection_follow_up", "tradition_day_1510"}
    source = reminders.register(RegistrationDeadline())
    try:
        assert run(at(2026, 4, 28, 9)) == "sent 1 reminders"
        assert ReminderSchedule.objects.get(kind="model_registration").days_before == [3]
    finally:
        reminders.unregister(source)


def test_the_email_is_vietnamese_and_goes_out_after_commit(plan, people, django_capture_on_commit_callbacks):
    PlanItemFactory(plan=plan, code="2.4", content="Tổ chức kiểm tra việc triển khai thực hiện phong trào",
                    due_date=dt.date(2026, 4, 9))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send(now=at(2026, 4, 2, 9)) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people["staff"].email]
    assert message.subject == f"[Dân vận khéo] Nhắc việc: Kế hoạch {plan.number}, mục 2.4: Tổ chức kiểm tra việc triển khai thực hiện phong trào"
    assert message.body.startswith(f"Kính gửi {people['staff'].full_name},")
    assert "Còn 7 ngày nữa đến hạn (hết ngày 08/04/2026)" in message.body
    assert f"/plans/{plan.pk}/#item-" in message.body
    assert Notification.objects.get().email_status == Notification.Email.SENT


def test_an_unreachable_mail_server_leaves_the_email_pending_for_a_retry_with_backoff(
    plan, people, settings, tmp_path, monkeypatch
):
    settings.EMAIL_BACKEND = "tests.plans.mailbox.MailboxBackend"
    monkeypatch.setenv("PLANS_TEST_MAILBOX", str(tmp_path))
    (tmp_path / "fail_remaining").write_text("2")
    PlanItemFactory(plan=plan, due_date=dt.date(2026, 4, 9))
    services.reminders_send(now=at(2026, 4, 2, 9))
    notification = Notification.objects.get()
    for _ in range(2):
        assert services.notification_email_send(notification_id=notification.pk) == "retry"
        notification.refresh_from_db()
        assert notification.email_status == Notification.Email.PENDING
    assert services.notification_email_send(notification_id=notification.pk) == Notification.Email.SENT
    notification.refresh_from_db()
    assert notification.email_status == Notification.Email.SENT
    assert notification.email_attempts == 3
    assert len(list(tmp_path.glob("*.eml"))) == 1
    assert [retry_countdown(n) for n in range(4)] == [60, 120, 240, 480]
    assert retry_countdown(20) == 3600


def test_a_mail_server_down_for_good_leaves_the_notification_in_the_portal(plan, people, settings, tmp_path,
                                                                           monkeypatch):
    settings.EMAIL_BACKEND = "tests.plans.mailbox.MailboxBackend"
    monkeypatch.setenv("PLANS_TEST_MAILBOX", str(tmp_path))
    (tmp_path / "fail_remaining").write_text("100")
    notification = services.notify(user=people["staff"], title="Mô hình đã được duyệt", body="Chúc mừng!")
    outcome = services.notification_email_send(notification_id=notification.pk, final_attempt=True)
    notification.refresh_from_db()
    assert outcome == Notification.Email.FAILED
    assert "SMTPServerDisconnected" in notification.email_error
    assert notification.read_at is None and notification.title == "Mô hình đã được duyệt"


def test_a_task_that_finds_the_email_in_flight_does_not_send_it_again(people):
    notification = services.notify(user=people["staff"], title="Thông báo", body="…")
    Notification.objects.filter(pk=notification.pk).update(email_status=Notification.Email.SENDING)
    assert services.notification_email_send(notification_id=notification.pk) == Notification.Email.UNCONFIRMED
    assert services.notification_email_send(notification_id=notification.pk) == Notification.Email.UNCONFIRMED
    assert mail.outbox == []


def test_notify_is_idempotent_with_a_key(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.notify(user=people["staff"], title="Đã duyệt", body="Mô hình được duyệt.",
                                url="/models/1/", key="models.model:1:approved")
        second = services.notify(user=people["staff"], title="Đã duyệt", body="Mô hình được duyệt.",
                                 url="/models/1/", key="models.model:1:approved")
    assert first.pk == second.pk
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "[Dân vận khéo] Đã duyệt"


def test_an_item_done_stops_being_overdue(plan, people):
    item = PlanItemFactory(plan=plan, due_date=dt.date(2026, 4, 9))
    assert item.is_overdue(at(2026, 4, 10))
    services.item_transition(user=people["staff"], item=item, name="complete")
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE and not item.is_overdue(at(2026, 4, 10))


def test_a_late_pass_states_the_days_left_and_overdue_counted_to_the_moment_of_sending(plan, people):
    """The worker was down: the 7-days-before step goes out 4 days before, the escalation on day 20."""
    PlanItemFactory(plan=plan, code="3.1", content="Sơ kết quý", due_date=dt.date(2026, 4, 9))
    with time_machine.travel(at(2026, 4, 5, 8), tick=False):
        assert run() == "sent 1 reminders"
    with time_machine.travel(at(2026, 4, 29, 8), tick=False):
        run()
    bodies = list(Notification.objects.filter(user=people["staff"], kind="").order_by("created_at")
                  .values_list("body", flat=True))
    assert bodies[0].startswith("Còn 4 ngày nữa đến hạn (hết ngày 08/04/2026)")
    assert bodies[1].startswith("Đã quá hạn 20 ngày")
    escalation = Notification.objects.get(user=people["leader"], kind="").body
    assert escalation.startswith("Báo cáo lãnh đạo: việc sau đã quá hạn 20 ngày (hết ngày 08/04/2026)")
