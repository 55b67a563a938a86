"""The plans' lists read as cards on a phone, and an empty one says why and what to do next."""

import datetime as dt

import pytest
from django.urls import reverse

from plans.models import Notification
from tests.pages import cards, chips, empty_state, result_count

from .factories import FollowUpFactory, InspectionFactory, PlanItemFactory

pytestmark = pytest.mark.django_db


def test_each_inspection_is_a_card_with_unit_date_state_and_the_one_next_step(client, tree, people):
    open_one = InspectionFactory(unit=tree["district"], title="Kiểm tra xã Hàm Đức", inspected_on=dt.date(2026, 7, 20))
    FollowUpFactory(inspection=open_one, unit=tree["commune"])
    FollowUpFactory(inspection=open_one, unit=tree["commune"], status="done")
    done = InspectionFactory(unit=tree["district"], title="Kiểm tra thôn Đông Giang", inspected_on=dt.date(2026, 3, 2))
    FollowUpFactory(inspection=done, unit=tree["village"], status="done")
    client.force_login(people["staff"])

    response = client.get(reverse("plans:inspection_list"))

    assert result_count(response) == "2 đợt kiểm tra"
    first, second = cards(response)
    assert first["title"] == "Kiểm tra xã Hàm Đức"
    assert first["fields"]["Đơn vị kiểm tra"] == "Huyện Hàm Thuận Bắc"
    assert first["fields"]["Ngày"] == "20/07/2026"
    assert first["fields"]["Tình trạng"] == "1 việc chưa khắc phục"
    assert first["action"] == (reverse("plans:inspection_detail", args=[open_one.pk]),
                               "Theo dõi khắc phục: Kiểm tra xã Hàm Đức")
    assert second["fields"]["Tình trạng"] == "Đã khắc phục xong"
    assert second["action"][1].startswith("Xem kết luận")


def test_an_empty_inspection_list_tells_staff_to_record_one_and_others_who_will(client, people):
    client.force_login(people["staff"])
    empty = empty_state(client.get(reverse("plans:inspection_list")))
    assert empty["why"] == "Chưa có đợt kiểm tra nào được ghi trên cổng."
    assert "ghi kết luận và những việc đơn vị phải khắc phục" in empty["next"]
    assert empty["action"] == (reverse("plans:inspection_create"), "Thêm đợt kiểm tra")

    client.force_login(people["union"])  # may read inspections, not record them
    empty = empty_state(client.get(reverse("plans:inspection_list")))
    assert empty["why"] == "Chưa có đợt kiểm tra nào của đơn vị bạn hoặc tại đơn vị bạn."
    assert "cán bộ chuyên trách" in empty["next"] and empty["action"] is None


def test_a_search_that_finds_no_inspection_shows_the_chip_and_a_way_back(client, tree, people):
    InspectionFactory(unit=tree["district"])
    client.force_login(people["staff"])
    response = client.get(reverse("plans:inspection_list"), {"q": "không có đợt này"})
    assert chips(response) == ["Tìm kiếm: không có đợt này"]
    assert result_count(response) == "0 đợt kiểm tra"
    empty = empty_state(response)
    assert empty["why"] == "Không có đợt kiểm tra nào khớp từ tìm kiếm."
    assert empty["action"] == ("?", "Bỏ mọi bộ lọc")


def test_an_inspection_without_follow_ups_says_so_and_lets_staff_add_one(client, tree, people):
    inspection = InspectionFactory(unit=tree["district"])
    client.force_login(people["staff"])
    empty = empty_state(client.get(reverse("plans:inspection_detail", args=[inspection.pk])))
    assert empty["why"] == "Đợt kiểm tra này chưa ghi nội dung nào phải khắc phục."
    assert empty["action"] == (reverse("plans:follow_up_create", args=[inspection.pk]), "Thêm nội dung khắc phục")


def test_an_empty_plan_and_an_empty_plan_list_lead_staff_to_fill_them(client, plan, people):
    client.force_login(people["staff"])
    empty = empty_state(client.get(reverse("plans:plan_detail", args=[plan.pk])))
    assert empty["why"] == "Kế hoạch chưa có nội dung nào."
    assert empty["action"] == (reverse("plans:item_create", args=[plan.pk]), "Thêm nội dung")
    PlanItemFactory(plan=plan)
    assert empty_state(client.get(reverse("plans:plan_detail", args=[plan.pk]))) is None

    client.force_login(people["foreign_staff"])  # another district: no plan of theirs yet
    empty = empty_state(client.get(reverse("plans:plan_list")))
    assert empty["why"] == "Chưa có kế hoạch nào."
    assert empty["action"] == (reverse("plans:plan_create"), "Tạo kế hoạch")


def test_no_notification_says_what_will_arrive_and_where_to_choose_how(client, people):
    client.force_login(people["staff"])
    empty = empty_state(client.get(reverse("plans:notifications")))
    assert empty["why"] == "Bạn chưa có thông báo nào."
    assert "Nhắc hạn" in empty["next"]
    assert empty["action"] == (reverse("plans:notification_preferences"), "Cách nhận thông báo")

    Notification.objects.create(user=people["staff"], title="Đã đọc", read_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    empty = empty_state(client.get(reverse("plans:notifications"), {"unread": "1"}))
    assert empty["why"] == "Bạn đã đọc hết thông báo."
    assert empty["action"] == (reverse("plans:notifications"), "Xem tất cả thông báo")
