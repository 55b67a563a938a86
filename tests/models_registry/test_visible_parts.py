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
