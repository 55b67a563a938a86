"""Factories for DVK models and their progress reports."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from models_registry.models import DvkModel, ModelField, ProgressReport, State
from tests.factories import PhaseFactory


class DvkModelFactory(DjangoModelFactory):
    class Meta:
        model = DvkModel

    phase = factory.SubFactory(PhaseFactory)
    year = 2025
    field = ModelField.CULTURE_SOCIETY
    name = factory.Sequence(lambda n: f"Mô hình thắp sáng đường quê số {n}")
    goals = "Vận động nhân dân cùng làm đường, thắp sáng đường quê."
    target_group = "Hộ gia đình trong thôn"
    how_it_works = "Mỗi hộ góp ngày công, cán bộ đi đầu làm trước."
    leader_text = "Ban Dân vận xã"
    start_date = dt.date(2025, 3, 1)
    expected_results = "Hoàn thành 2 km đường chiếu sáng."
    state = State.DRAFT


class ProgressReportFactory(DjangoModelFactory):
    class Meta:
        model = ProgressReport

    model = factory.SubFactory(DvkModelFactory)
    period_start = dt.date(2025, 4, 1)
    period_end = dt.date(2025, 6, 30)
    activities = "Lắp 40 bóng đèn trên đường liên thôn."
    people_reached = 120
    beneficiaries = 300
    money_raised = 15_000_000
    works_built = 1
