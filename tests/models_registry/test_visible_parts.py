"""What a person sees of the models, counted and paged in parts (issue 15): the subtree and the
public models elsewhere, each read from its own index, must add up to exactly what
`models_visible_to` lets through, and the list's count, pages and home figures must agree with it."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from models_registry import views, views_coverage
from models_registry.models import DvkModel, State
from models_registry.selectors import count_visible, models_visible_to, visible_parts

pytestmark = pytest.mark.django_db


@pytest.fixture
def spread_of_models(tree, make_model, people):
    """Models in every place a visibility rule looks at: the district's (its own draft and the
    commune's draft, a proposal, a private recognised one), the foreign district's (a public and
    a private recognised one, a draft) and the province's (public)."""
    made = {
        "own_draft": make_model(unit=tree["district"], state=State.DRAFT, name="Nháp của huyện"),
        "child_draft": make_model(unit=tree["commune"], state=State.DRAFT, name="Nháp của xã"),
        "submitted": make_model(unit=tree["village"], state=State.SUBMITTED, name="Đề xuất của thôn"),
        "private_recognised": make_model(unit=tree["commune"], state=State.RECOGNISED, is_public=False,
                                         name="Công nhận nội bộ"),
        "foreign_public": make_model(unit=tree["other_commune"], state=State.RECOGNISED, is_public=True,
                                     name="Tuy Phong công khai"),
        "foreign_private": make_model(unit=tree["other_commune"], state=State.RECOGNISED, is_public=False,
                                      name="Tuy Phong nội bộ"),
        "foreign_draft": make_model(unit=tree["other_district"], state=State.DRAFT, name="Nháp Tuy Phong"),
        "province_public": make_model(unit=tree["province"], state=State.RECOGNISED, is_public=True,
                                      name="Tỉnh công khai", year=2024),
    }
    return made


def _viewers(people, tree, make_user):
    return {
        "admin": people["admin"],
        "district staff": people["staff"],
        "district leader": people["leader"],
        "commune staff": make_user(tree["commune"], "canbo"),
        "foreign leader": people["foreign_leader"],
        "no unit": make_user(None, "canbo"),
        "anonymous": AnonymousUser(),
    }


def test_the_parts_are_disjoint_and_add_up_to_what_the_person_sees(spread_of_models, people, tree, make_user):
    names = {model.pk: key for key, model in spread_of_models.items()}
    seen = {}
    for label, user in _viewers(people, tree, make_user).items():
        parts = [set(part.values_list("pk", flat=True)) for part in visible_parts(user)]
        union = set().union(*parts)
        assert sum(len(p) for p in parts) == len(union), f"{label}: the parts overlap"
        assert union == set(models_visible_to(user).values_list("pk", flat=True)), label
        assert count_visible(user) == len(union), label
        seen[label] = sorted(names[pk] for pk in union)
    # What each rule lets through, written out: a draft only in its own unit (the administrator
    # sees every one), the public models everywhere, the private ones inside the subtree.
    assert seen["district staff"] == sorted(["own_draft", "submitted", "private_recognised", "foreign_public",
                                             "province_public"])
    assert seen["commune staff"] == sorted(["child_draft", "submitted", "private_recognised", "foreign_public",
                                            "province_public"])
    assert seen["foreign leader"] == sorted(["foreign_draft", "foreign_public", "foreign_private", "province_public"])
    assert seen["no unit"] == seen["anonymous"] == sorted(["foreign_public", "province_public"])
    assert seen["admin"] == sorted(spread_of_models)


def test_the_list_counts_and_pages_exactly_the_visible_models_in_order(client, spread_of_models, people,
                                                                        monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    client.force_login(people["leader"])
    expected = list(models_visible_to(people["leader"]).order_by("-updated_at", "-id")
                    .values_list("name", flat=True))
    assert len(expected) == 5
    shown, page = [], 1
    while True:
        response = client.get(reverse("models_registry:list"), {"page": page})
        assert response.context["page_obj"].paginator.count == 5
        shown += [m.name for m in response.context["models"]]
        if not response.context["page_obj"].has_next():
            break
        page += 1
    assert page == 3
    assert shown == expected
    # Filtered: the same count in the heading as rows on the page, the public one of elsewhere included.
    response = client.get(reverse("models_registry:list"), {"state": State.RECOGNISED, "year": 2025})
    names = [m.name for m in response.context["models"]]
    assert sorted(names) == sorted(["Công nhận nội bộ", "Tuy Phong công khai"])
    assert response.context["page_obj"].paginator.count == 2


def test_home_figures_count_the_public_models_of_elsewhere_like_the_list_they_open(
        client, spread_of_models, people, time_machine):
    time_machine.move_to("2025-05-01 09:00 +07:00")
    client.force_login(people["leader"])
    home = client.get(reverse("home"))
    figures = {label: (n, url) for card in home.context["cards"] for label, n, url in card.items}
    n, url = figures["Được công nhận"]
    listed = client.get(url)
    assert n == listed.context["page_obj"].paginator.count == 2


@pytest.mark.parametrize("viewer", ["admin", "leader_and_staff"])
def test_both_model_cards_of_someone_who_holds_both_roles_match_the_lists_they_open(
        client, tree, people, make_model, make_user, time_machine, viewer):
    """The unit card (drafts and returned of every year, the year's registrations) and the year
    card (the year's models by state) are counted together in one query: each figure is still
    exactly what its link lists, and the year's registrations read the same on both cards."""
    time_machine.move_to("2025-05-01 09:00 +07:00")
    for state, year, unit in [
        (State.DRAFT, 2025, "district"), (State.DRAFT, 2023, "commune"), (State.RETURNED, 2024, "district"),
        (State.SUBMITTED, 2025, "village"), (State.SUBMITTED, 2024, "district"),
        (State.REGISTERED, 2025, "district"), (State.REGISTERED, 2025, "commune"), (State.REGISTERED, 2024, "commune"),
        (State.EVALUATED, 2025, "district"), (State.RECOGNISED, 2025, "district"), (State.RECOGNISED, 2025, "other_commune"),
    ]:
        make_model(unit=tree[unit], state=state, year=year)
    person = people["admin"] if viewer == "admin" else make_user(tree["district"], "lanhdao", "canbo")
    client.force_login(person)
    cards = {card.title: card.items for card in client.get(reverse("home")).context["cards"]}
    unit_card, year_card = cards["Mô hình của đơn vị"], cards["Mô hình năm 2025"]
    shown = [n for card in (unit_card, year_card) for _label, n, _url in card]
    listed = [client.get(url).context["page_obj"].paginator.count for card in (unit_card, year_card) for *_x, url in card]
    assert shown == listed
    assert unit_card[2][1] == year_card[1][1]  # "Đã đăng ký năm 2025" on both
    if viewer == "admin":
        assert shown == [2, 1, 2, 1, 2, 1, 2]


def test_the_spread_lists_its_source_models_a_page_at_a_time_most_spread_first(
        client, tree, people, make_model, monkeypatch):
    monkeypatch.setattr(views_coverage, "SPREAD_SOURCES_PER_PAGE", 1)
    wide = make_model(unit=tree["district"], state=State.RECOGNISED, name="Nhân rộng nhiều", year=2023)
    narrow = make_model(unit=tree["district"], state=State.RECOGNISED, name="Nhân rộng ít", year=2023)
    for unit in (tree["commune"], tree["village"]):
        make_model(unit=unit, replicated_from=wide, state=State.REGISTERED, year=2024)
    make_model(unit=tree["other_commune"], replicated_from=narrow, state=State.REGISTERED, year=2024)
    client.force_login(people["admin"])
    first = client.get(reverse("models_registry:spread"), {"year": 2024})
    assert [r["source"].name for r in first.context["page_obj"]] == ["Nhân rộng nhiều"]
    assert first.context["table"].total == 3
    second = client.get(reverse("models_registry:spread"), {"year": 2024, "page": 2})
    assert [r["source"].name for r in second.context["page_obj"]] == ["Nhân rộng ít"]
    assert "Nhân rộng nhiều" not in second.content.decode().split('data-testid="by-area"')[0]
    # The areas are not paged: every area is on every page.
    assert len(second.context["table"].by_area) == len(first.context["table"].by_area) >= 2


def test_a_showcase_page_holds_its_rows_with_their_figures_in_order(client, tree, make_model):
    for i in range(3):
        make_model(unit=tree["commune"], state=State.RECOGNISED, is_public=True, name=f"Công khai {i}",
                   recognition_level=i + 1)
    make_model(unit=tree["commune"], state=State.RECOGNISED, is_public=False, name="Không công khai")
    response = client.get(reverse("showcase:list"))
    assert [m.name for m in response.context["models"]] == ["Công khai 2", "Công khai 1", "Công khai 0"]
    assert all(m.replication_count == 0 for m in response.context["models"])
    assert response.context["page_obj"].paginator.count == DvkModel.objects.public().count() == 3


def test_a_search_matching_more_than_the_cap_says_more_than_and_pages_as_far_as_the_cap(
        client, spread_of_models, people, make_model, tree, monkeypatch):
    # Every word of a search is tested on every row it could match: the count stops at the cap, the
    # page says "more than", and the pages go as far as the cap.
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 3)
    for i in range(3):
        make_model(unit=tree["village"], state=State.SUBMITTED, name=f"Dân vận khéo ở thôn {i}")
    client.force_login(people["leader"])
    matching = [m for m in models_visible_to(people["leader"]) if "thôn" in m.name.lower()]
    assert len(matching) == 4  # the village's proposal and the three new ones
    response = client.get(reverse("models_registry:list"), {"q": "thon"})
    paginator = response.context["page_obj"].paginator
    assert (paginator.count, paginator.capped, paginator.num_pages) == (3, True, 2)
    html = response.content.decode()
    assert "Hơn 3 mô hình: thêm từ hoặc bộ lọc để thu hẹp" in html
    assert "Trang 1/hơn 2" in html
    last = client.get(reverse("models_registry:list"), {"q": "thon", "page": 2}).context
    assert len(last["models"]) == 1 and not last["page_obj"].has_next()
    # Narrowed under the cap: the exact count, no "more than".
    response = client.get(reverse("models_registry:list"), {"q": "thon 1"})
    assert (response.context["page_obj"].paginator.count, response.context["page_obj"].paginator.capped) == (1, False)
    assert "thêm từ hoặc bộ lọc để thu hẹp" not in response.content.decode()
    # Without a search nothing is capped: the count is read from an index.
    response = client.get(reverse("models_registry:list"))
    assert response.context["page_obj"].paginator.count == models_visible_to(people["leader"]).count() == 8
    assert response.context["page_obj"].paginator.capped is False


def test_a_search_over_the_cap_pages_the_same_rows_in_the_same_order(
        client, spread_of_models, people, make_model, tree, monkeypatch):
    # Over the cap a page's ids are walked with the words tested late (on the row's own id): the
    # same rows must come, in the same order, matched by their name or by their unit's name.
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    for i in range(3):
        make_model(unit=tree["village"], state=State.SUBMITTED, name=f"Sổ tay dân vận {i}")  # Thôn Đông Giang
    make_model(unit=tree["commune"], state=State.REGISTERED, name="Bến Đông Giang xưa")
    make_model(unit=tree["commune"], state=State.REGISTERED, name="Không khớp")

    def pages(q):
        names, number = [], 1
        while True:
            context = client.get(reverse("models_registry:list"), {"q": q, "page": number}).context
            names += [m.name for m in context["models"]]
            if not context["page_obj"].has_next():
                return names, context["page_obj"].paginator.capped
            number += 1

    client.force_login(people["leader"])
    whole, capped = pages("dong giang")
    assert not capped and len(whole) == 5 and "Không khớp" not in whole and "Bến Đông Giang xưa" in whole
    monkeypatch.setattr(views, "SEARCH_COUNT_CAP", 3)
    assert pages("dong giang") == (whole[:3], True)


def test_the_showcase_searched_over_the_cap_says_more_than(client, tree, make_model, monkeypatch):
    from models_registry import views_public

    monkeypatch.setattr(views_public, "SEARCH_COUNT_CAP", 2)
    for place in ("An Phú", "Bình Minh", "Cẩm Thạch"):
        make_model(unit=tree["commune"], state=State.RECOGNISED, is_public=True, name=f"Tiết kiệm điện thôn {place}")
    response = client.get(reverse("showcase:list"), {"q": "tiet kiem"})
    assert (response.context["page_obj"].paginator.count, response.context["page_obj"].paginator.capped) == (2, True)
    assert "Hơn 2 mô hình" in response.content.decode()
    response = client.get(reverse("showcase:list"), {"q": "tiet kiem binh minh"})
    assert [m.name for m in response.context["models"]] == ["Tiết kiệm điện thôn Bình Minh"]
    assert response.context["page_obj"].paginator.capped is False
