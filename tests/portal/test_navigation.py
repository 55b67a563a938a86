"""The menu: grouped by what people do, only what each person may use, the current place marked."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def menu(client, path="/"):
    html = client.get(path).content.decode()
    groups = re.findall(r'data-testid="nav-group">([^<]+)</button>', html)
    return html, groups


def test_each_role_sees_the_groups_and_items_it_may_use(client, people):
    client.force_login(people["admin"])
    html, groups = menu(client)
    assert groups == ["Mô hình", "Điển hình và đánh giá", "Khen thưởng và báo cáo", "Kế hoạch và kiểm tra", "Quản trị"]
    client.force_login(people["staff"])
    html, groups = menu(client)
    assert "Quản trị" not in groups
    assert reverse("models_registry:create") in html and reverse("accounts:user_list") not in html
    assert reverse("models_registry:coverage") not in html and reverse("awards:dashboard_1510") not in html
    client.force_login(people["leader"])
    html, groups = menu(client)
    assert reverse("models_registry:coverage") in html and reverse("models_registry:create") not in html
    # Every link of every menu opens for the person it is shown to.
    for person in people.values():
        client.force_login(person)
        html, _groups = menu(client)
        for url in re.findall(r'class="dropdown-item[^"]*" href="([^"]+)"', html):
            assert client.get(url).status_code == 200, (person.username, url)


def test_the_current_place_is_marked_on_its_item_and_group(client, people):
    client.force_login(people["leader"])
    html, _groups = menu(client, reverse("models_registry:coverage"))
    assert re.search(r'class="nav-link dropdown-toggle active"[^>]*id="nav-models" aria-current="true"', html)
    assert re.findall(r'href="([^"]+)" aria-current="page"', html) == [reverse("models_registry:coverage")]


def test_login_page_and_footer_lead_to_the_public_showcase(client, people):
    showcase = reverse("showcase:list")
    assert f'href="{showcase}"' in client.get(reverse("login")).content.decode()
    client.force_login(people["staff"])
    footer = client.get("/").content.decode().split("<footer", 1)[1]
    assert f'href="{showcase}"' in footer
