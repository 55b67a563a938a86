"""Factories of the plans app."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from plans.models import DueKind, FollowUp, Inspection, Plan, PlanItem


class PlanFactory(DjangoModelFactory):
    class Meta:
        model = Plan

    number = factory.Sequence(lambda n: f"{n + 10}-KH/DV")
    title = "thực hiện phong trào thi đua “Dân vận khéo” năm 2026"
    issued_on = dt.date(2026, 1, 15)
    signer = "Nguyễn Văn Hùng"


class PlanItemFactory(DjangoModelFactory):
    class Meta:
        model = PlanItem
        skip_postgeneration_save = True

    plan = factory.SubFactory(PlanFactory)
    position = factory.Sequence(lambda n: n + 1)
    code = factory.Sequence(lambda n: f"{n + 1}")
    content = factory.Sequence(lambda n: f"Nội dung thực hiện số {n}: rà soát mô hình “Dân vận khéo”")
    chair = "Lãnh đạo Ban"
    responsible = "Phòng Đoàn thể và các hội"
    due_kind = DueKind.DATE
    due_date = dt.date(2026, 4, 9)

    @factory.post_generation
    def assignees(self, create, extracted, **kwargs):
        if create and extracted:
            self.assignees.set(extracted)


class InspectionFactory(DjangoModelFactory):
    class Meta:
        model = Inspection

    title = "Kiểm tra việc thực hiện phong trào thi đua “Dân vận khéo”"
    inspected_on = dt.date(2026, 7, 20)


class FollowUpFactory(DjangoModelFactory):
    class Meta:
        model = FollowUp

    inspection = factory.SubFactory(InspectionFactory)
    content = "Bổ sung hồ sơ, minh chứng kết quả mô hình"
    due_date = dt.date(2026, 9, 30)
