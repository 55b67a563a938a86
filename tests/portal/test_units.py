import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from portal.accounts.models import User
from portal.units import services
from portal.units.models import Unit, UnitChange, UnitKind
from portal.units.selectors import subtree, subtree_ids_as_of
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_subtree_at_any_depth_is_one_query(tree, django_assert_num_queries):
    deep = tree["village"]
    for level in range(12):
        deep = UnitFactory(parent=deep, name=f"Tổ {level}")
    with django_assert_num_queries(1):
        codes = {u.code for u in subtree(tree["province"])}
    assert deep.code in codes and tree["other_commune"].code in codes
    with django_assert_num_queries(1):
        district_codes = {u.code for u in subtree(tree["district"])}
    assert deep.code in district_codes
    assert tree["other_commune"].code not in district_codes


def test_move_changes_the_tree_today_but_not_as_it_stood_before(tree):
    before = dt.date(2024, 10, 15)
    services.unit_move(unit=tree["commune"], new_parent=tree["other_district"], effective_date=dt.date(2025, 7, 1))
    tree["district"].refresh_from_db()
    tree["other_district"].refresh_from_db()
    assert not subtree(tree["district"]).filter(pk=tree["village"].pk).exists()
    assert subtree(tree["other_district"]).filter(pk=tree["village"].pk).exists()
    then = set(subtree_ids_as_of(tree["district"], before).values_list("unit_id", flat=True))
    assert {tree["commune"].pk, tree["village"].pk} <= then
    after = set(subtree_ids_as_of(tree["other_district"], dt.date(2025, 8, 1)).values_list("unit_id", flat=True))
    assert {tree["commune"].pk, tree["village"].pk} <= after
    assert UnitChange.objects.filter(unit=tree["commune"], kind="move").exists()


def test_cannot_move_a_unit_under_its_own_subtree(tree):
    with pytest.raises(ValidationError):
        services.unit_move(unit=tree["district"], new_parent=tree["village"], effective_date=dt.date(2025, 1, 1))


def test_merge_counts_every_record_once_through_the_successor(tree):
    kinds = {k.code: k for k in UnitKind.objects.all()}
    a, b = tree["commune"], tree["other_commune"]
    # People stand in for any record kept in the unit where it was made.
    UserFactory.create_batch(3, unit=a)
    UserFactory.create_batch(2, unit=b)
    province = tree["province"]
    total_before = User.objects.filter(unit__in=subtree(province)).count()
    merged = services.unit_merge(
        sources=[a, b], parent=province, code="X99", name="Xã Hàm Phước", kind=kinds["xa"],
        effective_date=dt.date(2025, 7, 1),
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert not a.is_active and not b.is_active
    assert a.successor == merged and b.successor == merged
    assert a.valid_to == dt.date(2025, 6, 30)
    # The village of A now stands under the new commune; A's and B's records roll up into it.
    assert subtree(merged).filter(pk=tree["village"].pk).exists()
    assert User.objects.filter(unit__in=subtree(merged)).count() == 5
    province.refresh_from_db()
    assert User.objects.filter(unit__in=subtree(province)).count() == total_before
    # As the tree stood in 2024, A was under its old district.
    then = set(subtree_ids_as_of(tree["district"], dt.date(2024, 10, 15)).values_list("unit_id", flat=True))
    assert a.pk in then and b.pk not in then
    assert Unit.objects.find_problems() == ([], [], [], [], [])


def test_merge_needs_two_units(tree):
    with pytest.raises(ValidationError):
        services.unit_merge(sources=[tree["commune"]], parent=None, code="X98", name="X",
                            kind=tree["commune"].kind, effective_date=dt.date(2025, 7, 1))


def test_rename_keeps_the_old_name_in_history(tree):
    services.unit_rename(unit=tree["district"], name="Huyện Hàm Thuận Bắc mới", effective_date=dt.date(2025, 1, 1))
    names = list(tree["district"].history.values_list("name", flat=True))
    assert "Huyện Hàm Thuận Bắc" in names and "Huyện Hàm Thuận Bắc mới" in names


def test_deactivate_refuses_a_unit_with_active_children(tree):
    with pytest.raises(ValidationError):
        services.unit_deactivate(unit=tree["district"], effective_date=dt.date(2025, 7, 1))
    services.unit_deactivate(unit=tree["village"], effective_date=dt.date(2025, 7, 1))
    tree["village"].refresh_from_db()
    assert not tree["village"].is_active


def test_unit_names_are_stored_nfc_with_a_folded_copy(tree):
    decomposed = "Xa\u0303 Ha\u0300m Chi\u0301nh"  # NFD input
    unit = UnitFactory(parent=tree["district"], name=decomposed)
    assert unit.name == "Xã Hàm Chính"
    assert unit.name_folded == "xa ham chinh"
