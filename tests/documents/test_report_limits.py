"""A report over data too large for its limits is refused up front, saying so, and nothing is queued."""

import pytest
from django.urls import reverse

from portal.models import ReportRequest

pytestmark = pytest.mark.django_db


def test_a_unit_list_over_the_limit_is_refused_before_it_is_queued(client, settings, tree, make_user):
    settings.REPORT_MAX_ROWS = 3  # the province has 6 active units; the district 3 (itself, a commune, a village)
    client.force_login(make_user(tree["province"], "lanhdao"))
    response = client.post(reverse("reports:new", args=["unit-list"]), {"unit": tree["province"].pk, "year": "2025"})
    assert response.status_code == 302 and response["Location"] == reverse("reports:list")
    assert not ReportRequest.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert ("Báo cáo “Danh sách đơn vị” sẽ có 6 dòng, vượt giới hạn 3 dòng của một báo cáo. "
            "Hãy chọn một đơn vị nhỏ hơn.") in page
    # A smaller unit, within the limit, is made as before.
    response = client.post(reverse("reports:new", args=["unit-list"]), {"unit": tree["district"].pk, "year": "2025"})
    report = ReportRequest.objects.get()
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
