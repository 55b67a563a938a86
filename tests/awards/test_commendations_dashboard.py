"""The 15/10 dashboard: figures of the leadership's subtree, checked against the data; charts as SVG."""
# ruff: noqa: F811 - fixtures are imported from commendation_fixtures

import pytest
from django.urls import reverse

from awards.commendations.selectors import figures_1510
from tests.awards.commendation_fixtures import decided, province_leader, record  # noqa: F401

pytestmark = pytest.mark.django_db


def test_the_figures_are_those_of_the_subtree(decided, tree):
    fig = figures_1510(tree["district"], 2025)
    assert fig.models_total == 3  # the draft and the foreign model are not counted
    assert dict(fig.by_field) == {"Kinh tế": 2, "Văn hóa – xã hội": 1, "Quốc phòng – an ninh": 0,
                                  "Xây dựng hệ thống chính trị": 0}
    assert dict(fig.by_state)["Được công nhận"] == 1 and dict(fig.by_state)["Đã đánh giá"] == 1
    assert fig.recognised == 1 and fig.replicated == 1
    assert fig.praised_by_quarter == [("Quý 1", 1), ("Quý 2", 2), ("Quý 3", 0), ("Quý 4", 0)]
    assert dict(fig.proposals_by_status)["Đã quyết định"] == 1
    assert dict(fig.subjects_by_status) == {"Đề nghị": 0, "Được khen thưởng": 2, "Không được khen thưởng": 1,
                                            "Đã thu hồi": 0}
    assert dict(fig.commended_by_form)["Giấy khen"] == 2 and fig.decisions == 1
    whole = figures_1510(tree["province"], 2025)
    assert whole.models_total == 4 and whole.recognised == 2
    assert figures_1510(tree["district"], 2024).is_empty


def test_leadership_sees_its_dashboard_with_server_drawn_charts(client, decided, people,
                                                                django_assert_max_num_queries):
    client.force_login(people["leader"])
    with django_assert_max_num_queries(25):
        page = client.get(reverse("awards:dashboard_1510") + "?year=2025")
    html = page.content.decode()
    assert page.status_code == 200
    assert '<div class="fs-3" data-figure="models">3</div>' in html
    assert '<div class="fs-3" data-figure="replicated">1</div>' in html
    assert html.count('class="chart"') == 4 and "<title>Mô hình theo lĩnh vực</title>" in html
    start = html.index('<svg xmlns="http://www.w3.org/2000/svg" class="chart"')
    svg = html[start:html.index("</svg>", start)]
    assert "style=" not in svg  # the CSP forbids inline style


def test_another_subtree_and_people_without_a_role_are_kept_out(client, decided, people):
    client.force_login(people["foreign_leader"])
    assert client.get(reverse("awards:dashboard_1510") + "?unit=H01").status_code == 404
    client.force_login(people["staff"])
    assert client.get(reverse("awards:dashboard_1510")).status_code == 403
