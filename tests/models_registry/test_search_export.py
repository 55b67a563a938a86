"""Lists: filters, sorting, diacritic-free search (PostgreSQL) and the Excel export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from models_registry.models import ModelField, RecognitionLevel, State
from models_registry.selectors import filter_models, models_visible_to

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("query", ["dan van kheo", "DÂN VẬN KHÉO", "dân vận khéo", "Dan Van Kheo"])
def test_search_ignores_diacritics_and_case(client, people, make_model, query):
    wanted = make_model(name="Tổ “Dân vận khéo” giúp hộ nghèo", state=State.SUBMITTED)
    make_model(name="Đường hoa nông thôn mới", state=State.SUBMITTED)
    client.force_login(people["leader"])
    response = client.get(reverse("models_registry:list"), {"q": query})
    models = list(response.context["models"])
    assert models == [wanted]


def test_search_covers_the_content_not_only_the_name(people, make_model):
    wanted = make_model(name="Mô hình A", goals="Vận động đồng bào Chăm giữ gìn an ninh", state=State.SUBMITTED)
    make_model(name="Mô hình B", state=State.SUBMITTED)
    qs = filter_models(models_visible_to(people["leader"]), people["leader"], {"q": "dong bao cham"})
    assert list(qs) == [wanted]


def test_filters_by_field_state_level_year_and_unit_subtree(people, tree, make_model):
    user = people["leader"]
    district = make_model(field=ModelField.ECONOMY, state=State.REGISTERED)
    village = make_model(unit=tree["village"], state=State.RECOGNISED, recognition_level=RecognitionLevel.DISTRICT)
    old = make_model(year=2023, state=State.EVALUATED)
    base = models_visible_to(user)
    assert list(filter_models(base, user, {"field": ModelField.ECONOMY})) == [district]
    assert list(filter_models(base, user, {"state": State.RECOGNISED})) == [village]
    assert list(filter_models(base, user, {"level": RecognitionLevel.DISTRICT})) == [village]
    assert list(filter_models(base, user, {"year": 2023})) == [old]
    assert list(filter_models(base, user, {"unit": tree["commune"].pk})) == [village]
    # A unit outside the user's subtree filters to nothing rather than revealing it.
    assert list(filter_models(base, user, {"unit": tree["other_commune"].pk})) == []


def test_list_sorts_and_paginates(client, people, make_model):
    for name in ["Chăm lo", "Ánh sáng", "Bình yên"]:
        make_model(name=name, state=State.SUBMITTED)
    client.force_login(people["leader"])
    names = [m.name for m in client.get(reverse("models_registry:list"), {"sort": "name"}).context["models"]]
    assert names == ["Ánh sáng", "Bình yên", "Chăm lo"]


def test_list_of_another_subtree_shows_only_public_models(client, people, tree, make_model):
    make_model(unit=tree["other_district"], name="Mô hình kín", state=State.REGISTERED)
    public = make_model(unit=tree["other_district"], name="Mô hình công khai", state=State.RECOGNISED,
                        recognition_level=RecognitionLevel.DISTRICT, is_public=True)
    client.force_login(people["staff"])
    assert list(client.get(reverse("models_registry:list")).context["models"]) == [public]


def test_empty_list_says_why_and_what_to_do_next(client, people):
    client.force_login(people["staff"])
    page = client.get(reverse("models_registry:list")).content.decode()
    assert "Đơn vị chưa đăng ký mô hình nào." in page
    assert f'href="{reverse("models_registry:create")}"' in page
    filtered = client.get(reverse("models_registry:list"), {"state": "recognised", "year": 2031}).content.decode()
    assert "Không có mô hình nào khớp bộ lọc đang chọn." in filtered
    assert "Bỏ mọi bộ lọc" in filtered


def test_filters_in_force_show_as_chips_that_remove_one_filter(client, people, make_model):
    make_model(name="Mô hình A", state=State.SUBMITTED)
    client.force_login(people["staff"])
    page = client.get(reverse("models_registry:list"), {"state": "submitted", "q": "A"}).content.decode()
    assert "Trạng thái: <strong>Chờ duyệt</strong>" in page
    assert 'href="?q=A"' in page  # the state chip drops the state, keeps the search
    assert 'data-testid="result-bar"' in page


def test_export_writes_the_filtered_list_with_vietnamese_headers(client, people, make_model):
    hostile = make_model(name='=HYPERLINK("http://evil.example","Bấm vào")', state=State.SUBMITTED,
                         leader_text="+cmd|' /C calc'!A0", target_group="@SUM(1+1)")
    make_model(name="-2+3", state=State.SUBMITTED, field=ModelField.ECONOMY)
    client.force_login(people["leader"])
    response = client.get(reverse("models_registry:export"), {"field": "van-hoa-xa-hoi"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:8] == ("Mã", "Tên mô hình", "Đơn vị", "Giai đoạn", "Năm", "Lĩnh vực", "Hình thức", "Trạng thái")
    assert len(rows) == 2  # the filter applies: the economy model is not exported
    assert rows[1][0] == hostile.pk
    assert rows[1][1] == hostile.name and rows[1][2] == "Huyện Hàm Thuận Bắc"
    assert rows[1][5] == "Văn hóa – xã hội" and rows[1][7] == "Chờ duyệt"
    cells = list(sheet.iter_rows(min_row=2, max_row=2))[0]
    for cell in cells:
        if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
            assert cell.data_type == "s"  # text, never a formula
    assert all(not (c.data_type == "f") for c in cells)
