"""Pages of plans: scoping, the plan page per department, transitions, forms, the notification
centre, the home page and the iCalendar feed."""

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
import time_machine
from django.urls import reverse

from plans import selectors, services
from plans.models import CalendarFeed, ItemStatus, Notification, PlanItem

from .factories import PlanFactory, PlanItemFactory

VN = ZoneInfo("Asia/Ho_Chi_Minh")
pytestmark = pytest.mark.django_db


def login(client, user):
    client.force_login(user)
    return client


def test_a_plan_is_seen_in_its_subtree_and_answers_404_elsewhere(client, plan, people, make_user, tree):
    province_staff = make_user(tree["province"], "canbo", username="canbo_tinh")
    login(client, province_staff)
    assert plan.number in client.get(reverse("plans:plan_list")).content.decode()
    assert client.get(reverse("plans:plan_detail", args=[plan.pk])).status_code == 200
    login(client, people["foreign_staff"])
    assert plan.number not in client.get(reverse("plans:plan_list")).content.decode()
    assert client.get(reverse("plans:plan_detail", args=[plan.pk])).status_code == 404


def test_plan_list_searches_without_diacritics_and_shows_an_empty_state(client, plan, people):
    login(client, people["staff"])
    assert plan.number in client.get(reverse("plans:plan_list"), {"q": "dan van kheo"}).content.decode()
    page = client.get(reverse("plans:plan_list"), {"q": "không có kế hoạch này"}).content.decode()
    assert "Chưa có kế hoạch nào khớp điều kiện lọc." in page


def test_the_plan_page_shows_due_overdue_and_done_per_department_in_few_queries(
    client, plan, people, django_assert_max_num_queries
):
    from portal.units.models import UnitKind
    from tests.factories import UnitFactory

    department = UnitFactory(code="PDT", name="Phòng Đoàn thể và các hội", parent=plan.unit,
                             kind=UnitKind.objects.get(code="phong"))
    for i in range(12):
        item = PlanItemFactory(plan=plan, due_date=dt.date(2026, 3, 1) + dt.timedelta(days=30 * i))
        item.responsible_units.set([department])
    PlanItem.objects.filter(pk=item.pk).update(status=ItemStatus.DONE)
    login(client, people["staff"])
    with time_machine.travel(dt.datetime(2026, 6, 15, 9, tzinfo=VN), tick=False):
        with django_assert_max_num_queries(20):
            page = client.get(reverse("plans:plan_detail", args=[plan.pk])).content.decode()
        items = selectors.plan_items(plan)
        groups, total = selectors.plan_summary(plan, items)
    assert [(g.label, g.due, g.overdue, g.done) for g in groups] == [("Phòng Đoàn thể và các hội", 7, 4, 1)]
    assert (total.due, total.overdue, total.done) == (7, 4, 1)
    assert 'data-testid="overdue-total">4<' in page
    assert page.count("Quá hạn</span>") == 4


def test_staff_completes_an_item_with_a_dated_update(client, plan, people):
    item = PlanItemFactory(plan=plan)
    login(client, people["staff"])
    url = reverse("plans:item_transition", args=[item.pk, "complete"])
    response = client.post(url, {"on": "2026-04-05", "note": "Đã ban hành Hướng dẫn."})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.DONE
    update = item.updates.get()
    assert (update.on, update.author, update.note) == (dt.date(2026, 4, 5), people["staff"], "Đã ban hành Hướng dẫn.")


def test_only_leadership_cancels_an_item_and_outsiders_get_404(client, plan, people, make_user, tree):
    item = PlanItemFactory(plan=plan)
    url = reverse("plans:item_transition", args=[item.pk, "cancel"])
    login(client, people["staff"])
    assert client.post(url, {"on": "2026-04-05", "note": "Không cần nữa"}).status_code == 403
    login(client, people["foreign_leader"])
    assert client.post(url, {"on": "2026-04-05", "note": "Không cần nữa"}).status_code == 404
    login(client, people["leader"])
    assert client.post(url, {"on": "2026-04-05", "note": "Không cần nữa"}).status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.CANCELLED


def test_a_report_needs_a_note_and_the_form_keeps_what_was_typed(client, plan, people):
    item = PlanItemFactory(plan=plan)
    login(client, people["staff"])
    page = client.post(reverse("plans:item_transition", args=[item.pk, "report"]), {"on": "2026-04-05", "note": ""})
    assert page.status_code == 200
    assert "Trường này là bắt buộc." in page.content.decode() or "bắt buộc" in page.content.decode()
    assert item.updates.count() == 0


def test_an_item_form_asks_for_the_month_of_a_month_deadline_in_vietnamese(client, plan, people):
    login(client, people["staff"])
    response = client.post(reverse("plans:item_create", args=[plan.pk]), {
        "content": "Xây dựng Hướng dẫn “Một giúp một”", "chair": "Lãnh đạo Ban",
        "responsible_kind": "advise", "due_kind": "month", "due_year": "2022",
    })
    page = response.content.decode()
    assert "Vui lòng nhập tháng từ 1 đến 12." in page
    assert "Xây dựng Hướng dẫn “Một giúp một”" in page
    response = client.post(reverse("plans:item_create", args=[plan.pk]), {
        "content": "Xây dựng Hướng dẫn “Một giúp một”", "chair": "Lãnh đạo Ban", "code": "1.2",
        "responsible_kind": "advise", "due_kind": "month", "due_month": "5", "due_year": "2022",
    })
    assert response.status_code == 302
    assert plan.items.get().due_label == "Tháng 5/2022"


def test_staff_create_a_plan_and_a_cell_member_may_not(client, people, tree):
    data = {"unit": tree["district"].pk, "number": "54-KH/BDVTU", "issued_on": "2022-03-29",
            "title": "thực hiện phong trào thi đua “Dân vận khéo”, giai đoạn 2022 - 2025"}
    login(client, people["cell"])
    assert client.post(reverse("plans:plan_create"), data).status_code == 403
    login(client, people["staff"])
    response = client.post(reverse("plans:plan_create"), data)
    assert response.status_code == 302
    response = client.post(reverse("plans:plan_create"), data)
    assert "Đơn vị đã có kế hoạch số này." in response.content.decode()


def test_a_plan_number_taken_after_the_form_was_checked_gets_the_same_message(people, tree):
    """Two saves close together: the one whose form passed before the other's row existed is told
    "number taken" on the number field, in the same words as the form's own check."""
    from django.core.exceptions import ValidationError

    PlanFactory(unit=tree["district"], number="77-KH/BDVTU")
    fields = {"number": "77-KH/BDVTU", "issued_on": dt.date(2025, 3, 29), "title": "kế hoạch thứ hai"}
    with pytest.raises(ValidationError) as refused:
        services.plan_create(user=people["staff"], unit=tree["district"], **fields)
    assert refused.value.message_dict == {"number": ["Đơn vị đã có kế hoạch số này."]}
    other = PlanFactory(unit=tree["district"], number="78-KH/BDVTU")
    with pytest.raises(ValidationError) as refused:
        services.plan_update(user=people["staff"], plan=other, number="77-KH/BDVTU")
    assert refused.value.message_dict == {"number": ["Đơn vị đã có kế hoạch số này."]}


def test_the_notification_centre_counts_unread_and_marks_read(client, people, django_assert_num_queries):
    mine = services.notify(user=people["staff"], title="Nhắc việc: mục 2.2", body="Đã quá hạn", url="/plans/")
    services.notify(user=people["staff"], title="Nhắc việc: mục 2.5", body="Còn 7 ngày")
    theirs = services.notify(user=people["foreign_staff"], title="Không phải của bạn", body="")
    with django_assert_num_queries(1):
        assert selectors.unread_count(people["staff"]) == 2
    login(client, people["staff"])
    page = client.get(reverse("plans:notifications")).content.decode()
    assert "Nhắc việc: mục 2.2" in page and "Không phải của bạn" not in page
    assert 'data-testid="unread-count">2<' in page
    response = client.get(reverse("plans:notification_open", args=[mine.pk]))
    assert response.status_code == 302 and response["Location"] == "/plans/"
    assert selectors.unread_count(people["staff"]) == 1
    assert client.get(reverse("plans:notification_open", args=[theirs.pk])).status_code == 404
    client.post(reverse("plans:notifications_read_all"))
    assert selectors.unread_count(people["staff"]) == 0
    assert Notification.objects.get(pk=theirs.pk).read_at is None


def test_the_home_page_lists_the_users_upcoming_and_overdue_deadlines(client, plan, people):
    PlanItemFactory(plan=plan, code="2.2", content="Ban hành Hướng dẫn", due_date=dt.date(2026, 4, 9))
    PlanItemFactory(plan=plan, code="2.4", content="Tổ chức kiểm tra", due_date=dt.date(2026, 3, 1))
    login(client, people["staff"])
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=VN), tick=False):
        home = client.get(reverse("needs_me"), {"part": "home"}, HTTP_HX_REQUEST="true").content.decode()
    # Overdue first, then what falls due soonest, each with its day.
    overdue, upcoming = home.index("mục 2.4: Tổ chức kiểm tra"), home.index("mục 2.2: Ban hành Hướng dẫn")
    assert overdue < upcoming
    assert "Đã quá hạn (hết ngày 28/02/2026)" in home[overdue:upcoming]
    assert "Hạn: hết ngày 08/04/2026" in home[upcoming:]
    login(client, people["foreign_staff"])
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=VN), tick=False):
        assert "Ban hành Hướng dẫn" not in client.get(reverse("needs_me")).content.decode()


def test_the_icalendar_feed_lists_the_users_deadlines_under_a_secret_revocable_address(client, plan, people):
    PlanItemFactory(plan=plan, code="2.2", content="Ban hành Hướng dẫn", due_date=dt.date(2026, 4, 9))
    PlanItemFactory(plan=plan, code="2.5", content="Tổng kết phong trào", due_kind="year", due_year=2026,
                    due_date=None)
    login(client, people["staff"])
    client.post(reverse("plans:calendar_renew"))
    token = CalendarFeed.objects.get(user=people["staff"]).token
    client.logout()
    with time_machine.travel(dt.datetime(2026, 4, 1, 9, tzinfo=VN), tick=False):
        response = client.get(reverse("plans:calendar_feed", args=[token]))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    events = sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))
    assert [str(e["summary"]) for e in events] == [
        f"Kế hoạch {plan.number}, mục 2.2: Ban hành Hướng dẫn",
        f"Kế hoạch {plan.number}, mục 2.5: Tổng kết phong trào",
    ]
    assert events[0].decoded("dtstart") == dt.date(2026, 4, 8)
    assert events[1].decoded("dtstart") == dt.date(2026, 12, 31)
    assert "hết ngày 08/04/2026" in str(events[0]["description"])
    # Renewing the address kills the old one; revoking kills it for good.
    login(client, people["staff"])
    client.post(reverse("plans:calendar_renew"))
    assert client.get(reverse("plans:calendar_feed", args=[token])).status_code == 404
    new_token = CalendarFeed.objects.get(user=people["staff"]).token
    assert client.get(reverse("plans:calendar_feed", args=[new_token])).status_code == 200
    client.post(reverse("plans:calendar_revoke"))
    assert client.get(reverse("plans:calendar_feed", args=[new_token])).status_code == 404


def test_inspection_pages_show_follow_ups_to_the_inspected_unit(client, tree, people, make_user):
    commune_staff = make_user(tree["commune"], "canbo", username="canbo_xa2")
    login(client, people["staff"])
    response = client.post(reverse("plans:inspection_create"), {
        "unit": tree["district"].pk, "title": "Kiểm tra việc triển khai phong trào tháng 7/2022",
        "inspected_on": "2022-07-20", "inspected_units": [tree["commune"].pk], "findings": "Hồ sơ còn sơ sài.",
    })
    assert response.status_code == 302
    inspection_url = response["Location"]
    pk = int(inspection_url.rstrip("/").split("/")[-1])
    response = client.post(reverse("plans:follow_up_create", args=[pk]), {
        "unit": tree["commune"].pk, "content": "Bổ sung minh chứng mô hình", "due_date": "2022-09-30",
    })
    assert response.status_code == 302
    login(client, commune_staff)
    page = client.get(inspection_url).content.decode()
    assert "Bổ sung minh chứng mô hình" in page and "Đã khắc phục" in page
    login(client, people["foreign_staff"])
    assert client.get(inspection_url).status_code == 404


def test_an_item_of_another_subtree_cannot_be_edited(client, people, tree):
    foreign_plan = PlanFactory(unit=tree["other_district"])
    item = PlanItemFactory(plan=foreign_plan)
    login(client, people["staff"])
    assert client.get(reverse("plans:item_update", args=[item.pk])).status_code == 404
    assert client.post(reverse("plans:item_delete", args=[item.pk])).status_code == 404


@pytest.mark.parametrize("year", ["-1", "0", "99999"])
def test_plan_list_ignores_an_impossible_year(client, people, year):
    login(client, people["staff"])
    assert client.get(reverse("plans:plan_list"), {"year": year}).status_code == 200
