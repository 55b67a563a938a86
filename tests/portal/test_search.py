"""The header's search: by name with or without diacritics, grouped by kind, only what the user
may see, paginated, with an empty state."""

import pytest
from django.urls import reverse

from models_registry.models import State
from tests.models_registry.factories import DvkModelFactory

pytestmark = pytest.mark.django_db


def results(client, q, **params):
    response = client.get(reverse("search"), {"q": q, **params})
    assert response.status_code == 200
    return {group.kind.key: group for group in response.context["groups"]}, response.content.decode()


def test_search_finds_models_people_units_by_name_ignoring_diacritics(client, people, tree, phase, make_user):
    DvkModelFactory(unit=tree["commune"], phase=phase, state=State.SUBMITTED, name="Thắp sáng đường quê Hàm Đức")
    make_user(tree["commune"], "canbo", username="hoa_x01", full_name="Đặng Thị Hòa")
    client.force_login(people["leader"])
    for q in ("ham duc", "HÀM ĐỨC", "hàm đức"):
        groups, html = results(client, q)
        assert [h.title for h in groups["models"].hits] == ["Thắp sáng đường quê Hàm Đức"]
        assert [h.title for h in groups["units"].hits] == ["Xã Hàm Đức"]
    groups, html = results(client, "dang thi hoa")
    assert [h.title for h in groups["people"].hits] == ["Đặng Thị Hòa"]
    assert groups["people"].hits[0].url == reverse("units:detail", args=[tree["commune"].pk])


def test_search_shows_only_what_the_user_may_see(client, people, tree, phase, make_user):
    DvkModelFactory(unit=tree["other_commune"], phase=phase, state=State.SUBMITTED, name="Mô hình Phước Thể")
    make_user(tree["other_commune"], "canbo", username="x02", full_name="Người Phước Thể")
    client.force_login(people["leader"])  # of the district H01, not of H02 where Phước Thể lies
    groups, html = results(client, "phuoc the")
    assert sum(group.count for group in groups.values()) == 0
    assert "Không tìm thấy kết quả nào" in html
    client.force_login(people["foreign_leader"])
    groups, _html = results(client, "phuoc the")
    assert groups["models"].count == 1 and groups["units"].count == 1 and groups["people"].count == 1


def test_search_pages_through_one_kind_and_explains_an_empty_query(client, people, tree, phase):
    for n in range(27):
        DvkModelFactory(unit=tree["district"], phase=phase, state=State.SUBMITTED, name=f"Dân vận khéo số {n:02d}")
    client.force_login(people["leader"])
    groups, html = results(client, "dan van kheo")
    assert groups["models"].count == 27 and len(groups["models"].hits) == 5
    assert "kind=models" in html
    groups, _html = results(client, "dan van kheo", kind="models", page="2")
    assert list(groups) == ["models"] and len(groups["models"].hits) == 7
    _groups, html = results(client, "")
    assert "Chưa có gì để tìm." in html and "Nhập ít nhất 2 chữ cái" in html
    _groups, html = results(client, "a")
    assert "Từ khóa quá ngắn" in html
