"""Factories of the councils tests."""

import datetime as dt

import factory
from factory.django import DjangoModelFactory

from awards.models import (
    AwardForm,
    AwardLevel,
    AwardProposal,
    AwardSubject,
    Occasion,
    ProposingBody,
)
from councils.models import Council, CouncilMember, Rubric, RubricCriterion, Session
from tests.factories import PhaseFactory


class CouncilFactory(DjangoModelFactory):
    class Meta:
        model = Council

    name = "Hội đồng Thi đua – Khen thưởng huyện Hàm Thuận Bắc"
    level = AwardLevel.DISTRICT
    term_start = dt.date(2021, 1, 1)
    term_end = dt.date(2025, 12, 31)


class CouncilMemberFactory(DjangoModelFactory):
    class Meta:
        model = CouncilMember

    role = CouncilMember.Role.MEMBER
    order = factory.Sequence(lambda n: n)


class SessionFactory(DjangoModelFactory):
    class Meta:
        model = Session

    date = dt.date(2025, 10, 6)
    place = "Hội trường Huyện ủy"


class ProposalFactory(DjangoModelFactory):
    class Meta:
        model = AwardProposal

    body = ProposingBody.LEADERSHIP
    occasion = Occasion.DAY_1510
    year = 2025
    phase = factory.SubFactory(PhaseFactory)
    status = AwardProposal.Status.SUBMITTED


class SubjectFactory(DjangoModelFactory):
    class Meta:
        model = AwardSubject

    kind = AwardSubject.Kind.COLLECTIVE
    name = factory.Sequence(lambda n: f"Tập thể Ban Dân vận xã số {n}")
    subject_key = factory.Sequence(lambda n: f"collective:{n}")
    occasion = Occasion.DAY_1510
    year = 2025
    form = AwardForm.CERTIFICATE
    level = AwardLevel.DISTRICT
    reason = "Có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo” năm 2025."


class RubricFactory(DjangoModelFactory):
    class Meta:
        model = Rubric

    phase = factory.SubFactory(PhaseFactory)
    name = "Tiêu chí công nhận mô hình “Dân vận khéo”"


class RubricCriterionFactory(DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    name = factory.Sequence(lambda n: f"Tiêu chí {n}")
    weight = 1
    max_score = 10
