import pytest
from django.urls import reverse

from portal import permissions
from portal.accounts.models import User

pytestmark = pytest.mark.django_db

ROLES = ["staff", "union", "cell", "leader"]


@pytest.mark.parametrize("role", ROLES)
def test_every_role_sees_its_own_subtree_and_not_a_foreign_one(people, tree, role):
    user = people[role]
    assert permissions.unit_in_scope(user, tree["district"])
    assert permissions.unit_in_scope(user, tree["village"])
    assert not permissions.unit_in_scope(user, tree["other_district"])
    assert not permissions.unit_in_scope(user, tree["province"])
    visible = set(permissions.units_visible_to(user).values_list("code", flat=True))
    assert visible == {"H01", "X01", "TH01"}


@pytest.mark.parametrize("role", ROLES)
def test_a_foreign_units_page_answers_404(client, people, tree, role):
    client.force_login(people[role])
    assert client.get(reverse("units:detail", args=[tree["commune"].pk])).status_code == 200
    assert client.get(reverse("units:detail", args=[tree["other_commune"].pk])).status_code == 404


def test_scope_queryset_filters_records_by_their_unit(people, tree):
    qs = User.objects.all()
    staff_sees = set(permissions.scope_queryset(qs, people["staff"]).values_list("username", flat=True))
    assert "canbo_d" in staff_sees and "canbo_o" not in staff_sees
    assert permissions.scope_queryset(qs, people["admin"]).count() == User.objects.count()


def test_an_agency_that_oversees_an_area_acts_on_the_whole_area(tree, make_user):
    from portal.units.models import UnitKind
    from tests.factories import UnitFactory

    ban = UnitFactory(parent=tree["province"], code="BDV", name="Ban Dân vận Tỉnh ủy",
                      kind=UnitKind.objects.get(code="ban-dang"))
    ban.oversees = tree["province"]
    ban.save()
    leader = make_user(ban, "lanhdao")
    assert permissions.unit_in_scope(leader, tree["other_commune"])


@pytest.mark.parametrize("role", ROLES)
def test_only_administrators_manage_users_and_units(client, people, role):
    client.force_login(people[role])
    for name in ["accounts:user_list", "accounts:user_create", "units:create", "units:merge", "accounts:user_export"]:
        assert client.get(reverse(name)).status_code == 403, name


def test_administrator_manages_users(client, people, tree):
    client.force_login(people["admin"])
    assert client.get(reverse("accounts:user_list")).status_code == 200
    response = client.post(reverse("accounts:user_create"), {
        "username": "moi", "full_name": "Võ Thị Hồng", "email": "moi@example.org", "unit": tree["commune"].pk,
        "roles": [permissions_role("canbo")], "is_active": "on",
    })
    assert response.status_code == 302
    created = User.objects.get(username="moi")
    assert created.unit == tree["commune"] and created.has_role("canbo")
    assert not created.has_usable_password()


def test_user_form_keeps_input_and_explains_errors(client, people):
    client.force_login(people["admin"])
    response = client.post(reverse("accounts:user_create"), {"username": "abc", "full_name": "Đỗ Văn Hải"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Đỗ Văn Hải" in body
    assert "Chọn đơn vị của người dùng." in body
    assert "Chọn ít nhất một vai trò." in body


def permissions_role(code):
    from portal.accounts.models import Role

    return Role.objects.get(code=code).pk


def test_administrator_switches_the_current_phase(client, people):
    from portal.units.models import Phase

    old = Phase.objects.create(name="2021 – 2025", start_year=2021, end_year=2025, is_current=True)
    client.force_login(people["admin"])
    response = client.post(reverse("units:phase_create"), {"name": "2026 – 2030", "start_year": 2026,
                                                          "end_year": 2030, "is_current": "on"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert not old.is_current and Phase.current().name == "2026 – 2030"
    bad = client.post(reverse("units:phase_create"), {"name": "Sai", "start_year": 2030, "end_year": 2026})
    assert "Năm kết thúc phải sau" in bad.content.decode()
