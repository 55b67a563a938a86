"""The demo data carries the real plan 54-KH/BDVTU of seeds/000, every item as written there."""

import pytest

from plans.models import FollowUp, Inspection, Notification, Plan

pytestmark = pytest.mark.django_db

EXPECTED = [
    ("1.1", "Lãnh đạo Ban, Chi bộ",
     "Phòng Dân vận các cơ quan nhà nước; Phòng Dân tộc và Tôn giáo; Chi ủy", "Thường xuyên"),
    ("1.2", "", "Phòng Dân vận các cơ quan nhà nước và Ban Chấp hành Công đoàn", "Trước ngày 09/4/2022"),
    ("1.2", "Lãnh đạo Ban, Ban Chấp hành Công đoàn", "Toàn thể cán bộ, công chức cơ quan", "Thường xuyên"),
    ("1.3", "Lãnh đạo Ban, Chi ủy, Công đoàn", "", "Không ghi thời gian"),
    ("2.1", "Lãnh đạo Ban", "Phòng Đoàn thể và các hội", "Thường xuyên"),
    ("2.2", "Lãnh đạo Ban", "Phòng Đoàn thể và các hội", "Tháng 3/2022"),
    ("2.3", "Lãnh đạo Ban", "Phòng Đoàn thể và các hội", "Không ghi thời gian"),
    ("2.4", "Lãnh đạo Ban", "Phòng Đoàn thể và các hội", "Tháng 7/2022"),
    ("2.5", "Lãnh đạo Ban", "Phòng Đoàn thể và các hội", "Năm 2025"),
]


@pytest.fixture
def demo(db):
    from plans import demo
    from portal.demo import seed_foundation

    ctx = seed_foundation("small", 2021)
    demo.seed(ctx)
    return ctx


def test_the_demo_has_plan_54_with_every_item_chair_responsible_body_and_due_time(demo):
    plan = Plan.objects.get(number="54-KH/BDVTU")
    assert plan.unit == demo.demo_unit_old
    assert str(plan.issued_on) == "2022-03-29" and plan.signer == "Đặng Hồng Sỹ"
    assert plan.title == "thực hiện phong trào thi đua “Dân vận khéo”, giai đoạn 2022 - 2025"
    got = [(i.code, i.chair, i.responsible, i.due_label) for i in plan.items.order_by("position")]
    assert got == EXPECTED
    kinds = {i.code: i.get_responsible_kind_display() for i in plan.items.all()}
    assert kinds["1.1"] == "Chịu trách nhiệm tham mưu"
    assert plan.items.get(code="1.2", due_kind="ongoing").get_responsible_kind_display() == "Chịu trách nhiệm thực hiện"
    assert "Một giúp một" in plan.items.get(code="1.2", due_kind="ongoing").content


def test_the_demo_has_overdue_items_a_july_2022_inspection_and_unread_notifications(demo):
    plan = Plan.objects.get(number="54-KH/BDVTU")
    assert {i.code for i in plan.items.all() if i.is_overdue()} == {"2.2", "2.5"}
    inspection = Inspection.objects.get(plan=plan)
    assert (inspection.inspected_on.year, inspection.inspected_on.month) == (2022, 7)
    assert FollowUp.objects.filter(inspection=inspection).count() >= 2
    for user in demo.demo_users.values():
        assert Notification.objects.filter(user=user, read_at__isnull=True).exists(), user.username
    assert Notification.objects.filter(
        user=demo.demo_users["canbo"], title__startswith="Nhắc việc: Kế hoạch 54-KH/BDVTU, mục 2.5"
    ).exists()
