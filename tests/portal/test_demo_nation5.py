"""`seed_demo --size nation5`: the country's tree in both periods, built without the database."""

import random
from collections import Counter

import pytest

from portal.demo import MERGES_2025, TreeBuilder


@pytest.fixture(scope="module")
def country():
    builder = TreeBuilder(random.Random(7), "nation5")
    national, provinces = builder.build()
    return builder.nodes, provinces


def test_63_provinces_with_districts_until_30_6_2025_and_34_from_1_7_2025(country):
    nodes, provinces = country
    old = [n for n in nodes if n.kind == "tinh" and n.in_old]
    new = [n for n in nodes if n.kind == "tinh" and n.in_new]
    assert (len(old), len(new)) == (63, 34)
    assert len({n.name for n in new}) == 34
    assert all(n.successor in new for n in old)
    # Every new province took in the provinces of the resolution, Bình Thuận into Lâm Đồng.
    merged = Counter(n.successor.name for n in old)
    assert merged == Counter({("Thành phố " if name in {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}
                               else "Tỉnh ") + name: len(olds) for name, olds in MERGES_2025})
    assert provinces[0]["old_province"].name == "Tỉnh Bình Thuận"
    assert provinces[0]["new_province"].name == "Tỉnh Lâm Đồng"
    assert all(d.in_old and not d.in_new for p in provinces.values() for d in p["districts"])


def test_3321_communes_from_the_old_ones_and_about_60000_villages(country):
    nodes, provinces = country
    communes = [n for n in nodes if n.group == "commune" and n.in_new]
    old_communes = [n for n in nodes if n.group == "commune" and n.in_old]
    assert len(communes) == 3321
    assert all(c.successor in communes and c.successor.new_parent is c.old_parent.successor
               for c in old_communes)
    villages = [n for n in nodes if n.group == "village"]
    assert 59_000 <= len(villages) <= 61_000
    assert all(v.new_parent is v.old_parent.successor for v in villages)


def test_the_agencies_of_a_merged_province_hand_over_to_the_leading_ones(country):
    _nodes, provinces = country
    lam_dong = [p for p in provinces.values() if p["new_province"].name == "Tỉnh Lâm Đồng"]
    leading, *others = lam_dong
    assert [p["old_province"].name for p in lam_dong] == ["Tỉnh Bình Thuận", "Tỉnh Lâm Đồng", "Tỉnh Đắk Nông"]
    for other in others:
        assert all(not a.in_new and a.successor is heir
                   for a, heir in zip(other["province_agencies"], leading["province_agencies"], strict=True))
        assert other["bdv"].successor is leading["btgdv"]
