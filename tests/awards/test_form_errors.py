"""Forms with rows (a pledge's commitments, a round's rubric): an invalid submit shows ONE error summary
at the top linking to each field in error, every message once there, and the typed values stay."""

import re

import pytest
from django.urls import reverse

from awards.models import Pledge
from awards.pledges import services

pytestmark = pytest.mark.django_db


def _summaries(page: str) -> list[str]:
    return re.findall(r'<div class="error-summary.*?</div>', page, re.S)


def _links(summary: str) -> list[str]:
    return re.findall(r'href="#([^"]+)"', summary)


def _pledge_post(**rows) -> dict:
    data = {"c-TOTAL_FORMS": "3", "c-INITIAL_FORMS": "0", "c-MIN_NUM_FORMS": "0", "c-MAX_NUM_FORMS": "20",
            "goal": "Làm tốt công tác dân vận ở cơ sở", "send": "1"}
    data.update(rows)
    return data


def test_an_invalid_pledge_shows_one_summary_with_each_message_once(client, people, contents):
    client.force_login(people["staff"])
    url = reverse("awards:pledge_create") + "?year=2025"
    # No content chosen; the second commitment is started but has no deadline.
    page = client.post(url, _pledge_post(**{
        "c-0-what": "Viết 02 bài tuyên truyền", "c-0-due": "Quý III/2025", "c-0-measure": "Bài được đăng",
        "c-1-what": "Đi cơ sở mỗi tháng", "c-1-measure": "Biên bản làm việc",
    })).content.decode()
    assert not Pledge.objects.exists()
    (summary,) = _summaries(page)
    assert page.count("alert-danger") == 1  # no second box of the same errors
    assert _links(summary) == ["id_content_0", "id_c-1-due"]
    assert "Dòng 2 – Thời hạn" in summary
    # Each message once in the summary, and once more beside its own field (as on every form).
    due = "Hãy ghi thời hạn (cam kết cần đủ việc, thời hạn và cách đo kết quả)."
    assert summary.count(due) == 1 and page.count(due) == 2
    assert summary.count("Hãy chọn đúng một nội dung đăng ký.") == 1
    assert 'value="Đi cơ sở mỗi tháng"' in page and 'value="Biên bản làm việc"' in page


def test_a_pledge_without_any_commitment_says_so_once_and_leads_to_the_first_row(client, people, contents):
    client.force_login(people["staff"])
    url = reverse("awards:pledge_create") + "?year=2025"
    page = client.post(url, _pledge_post(content=contents["chuyen-mon"].pk)).content.decode()
    (summary,) = _summaries(page)
    assert _links(summary) == ["id_c-0-what"]
    assert page.count("Cần ít nhất một cam kết cụ thể.") == 1
    assert "Làm tốt công tác dân vận ở cơ sở</textarea>" in page


def _rubric_post(rnd) -> dict:
    criteria = list(rnd.criteria.all())
    data = {"r-TOTAL_FORMS": len(criteria), "r-INITIAL_FORMS": len(criteria), "r-MIN_NUM_FORMS": 0,
            "r-MAX_NUM_FORMS": 30}
    for i, c in enumerate(criteria):
        data.update({f"r-{i}-id": c.pk, f"r-{i}-content": c.content_id, f"r-{i}-name": c.name,
                     f"r-{i}-description": c.description, f"r-{i}-weight": str(c.weight),
                     f"r-{i}-max_score": str(c.max_score)})
    return data


def test_an_invalid_rubric_shows_one_summary_linking_to_each_cell(client, committee, staff_pledges):
    rnd = services.round_create(user=committee[0], year=2025, quarter=2)
    data = _rubric_post(rnd)
    data["r-1-weight"] = "nhiều"
    data["r-2-name"] = ""
    data["r-2-weight"] = "mười"
    client.force_login(committee[0])
    page = client.post(reverse("awards:rubric_edit", args=[rnd.pk]), data).content.decode()
    (summary,) = _summaries(page)
    assert _links(summary) == ["id_r-1-weight", "id_r-2-name", "id_r-2-weight"]
    assert "Dòng 2 – Trọng số: Nhập một số." in summary and "Dòng 3 – Tiêu chí: Trường này là bắt buộc." in summary
    assert page.count("Trường này là bắt buộc.") == 2  # in the summary, and under the cell
    assert page.count("alert-danger") == 1
    assert 'value="nhiều"' in page and 'value="mười"' in page  # what was typed stays
    assert re.search(r'<input[^>]*name="r-1-weight"[^>]*class="[^"]*is-invalid', page) or re.search(
        r'<input[^>]*class="[^"]*is-invalid[^"]*"[^>]*name="r-1-weight"', page)
