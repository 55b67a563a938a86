"""Factories for the foundation: units, people with roles, phases."""

import factory
from factory.django import DjangoModelFactory

from portal.accounts.models import Role, User
from portal.units.models import Phase, Unit, UnitKind, UnitPlacement


class UnitFactory(factory.Factory):
    """Creates a unit through treebeard (as a root, or under `parent`)."""

    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"DV{n:05d}")
    name = factory.Sequence(lambda n: f"Xã Hòa Thắng {n}")
    kind = factory.LazyFunction(lambda: UnitKind.objects.get(code="xa"))
    parent = None

    @classmethod
    def _create(cls, model_class, parent=None, **kwargs):
        manager = model_class.objects
        unit = manager.add_child(parent, kwargs) if parent is not None else manager.add_root(kwargs)
        UnitPlacement.objects.create(unit=unit, path=unit.path, valid_from=unit.valid_from)
        if parent is not None:
            parent.refresh_from_db()
        return unit


# The password every factory-made user signs in with (a test value, not a secret).
TEST_USER_LOGIN = "Matkhau#2025"


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    full_name = factory.Sequence(lambda n: f"Nguyễn Văn Ánh {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    unit = factory.SubFactory(UnitFactory)
    password = factory.PostGenerationMethodCall("set_password", TEST_USER_LOGIN)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if extracted:
            self.roles.set(Role.objects.filter(code__in=extracted))
        self.save()


class PhaseFactory(DjangoModelFactory):
    class Meta:
        model = Phase
        django_get_or_create = ("name",)

    name = "2021 – 2025"
    start_year = 2021
    end_year = 2025
    is_current = True
