"""The awards' lists read as cards on a phone, and an empty one says why and what to do next."""

import pytest
from django.urls import reverse

from awards.pledges import services
from tests.pages import cards, chips, empty_state, result_count

from .test_pledges import COMMITMENTS

pytestmark = pytest.mark.django_db


def test_no_pledge_content_leads_the_administrator_to_add_one(client, people, phase):
    client.force_login(people["admin"])
    empty = empty_state(client.get(reverse("awards:content_list")))
    assert empty["why"] == "Chưa có nội dung đăng ký nào."
    assert empty["action"] == (reverse("awards:content_create"), "Thêm nội dung")


def test_each_pledge_content_is_a_card_with_its_phase_state_and_edit_step(client, people, contents):
    client.force_login(people["admin"])
    response = client.get(reverse("awards:content_list"))
    assert result_count(response) == f"{len(contents)} nội dung"
    content = contents["chuyen-mon"]
    card = next(c for c in cards(response) if c["title"] == content.title)
    assert card["fields"] == {"Giai đoạn": str(content.phase)}
    assert card["state"] == "Đang áp dụng"
    assert card["action"][0] == reverse("awards:content_edit", args=[content.pk])


def test_each_round_is_a_card_whose_next_step_is_scoring_while_it_is_open(client, people, open_round):
    client.force_login(people["union"])
    response = client.get(reverse("awards:round_list"))
    [card] = cards(response)
    assert card["title"] == "Quý 1/2025"
    assert card["fields"]["Đơn vị"] == "Huyện Hàm Thuận Bắc"
    assert card["state"] == open_round.get_status_display()
    assert card["action"] == (reverse("awards:round_detail", args=[open_round.pk]), "Xem để chấm điểm: Quý 1/2025")

    response = client.get(reverse("awards:round_list"), {"year": "2019"})
    assert chips(response) == ["Năm: 2019"]
    empty = empty_state(response)
    assert empty["why"] == "Không có đợt đánh giá nào khớp bộ lọc đang chọn."
    assert empty["action"] == ("?", "Bỏ mọi bộ lọc")


def test_no_round_yet_leads_a_union_member_to_create_one(client, people):
    client.force_login(people["union"])
    empty = empty_state(client.get(reverse("awards:round_list")))
    assert empty["why"] == "Chưa có đợt đánh giá nào."
    assert empty["action"] == (reverse("awards:round_create"), "Tạo đợt đánh giá")
    client.force_login(people["staff"])
    assert empty_state(client.get(reverse("awards:round_list")))["action"] is None


def test_each_unregistered_person_is_a_card_whose_next_step_is_choosing_to_remind(
        client, people, make_user, tree, contents):
    staff = people["staff"]
    late = make_user(tree["district"], "canbo", full_name="Võ Thị Lành", position="Chuyên viên")
    services.pledge_create(user=staff, year=2025, content=contents["chuyen-mon"], commitments=COMMITMENTS)
    client.force_login(people["union"])
    response = client.get(reverse("awards:unregistered"), {"year": "2025"})
    card = next(c for c in cards(response) if c["title"] == "Võ Thị Lành")
    assert card["fields"] == {"Chức vụ": "Chuyên viên", "Thư điện tử": late.email}
    assert card["action"] == (None, "Chọn để nhắc: Võ Thị Lành")
    assert str(staff) not in {c["title"] for c in cards(response)}
