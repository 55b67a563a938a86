"""Factories of the awards app."""

import factory
from factory.django import DjangoModelFactory

from awards.models import Pledge, PledgeCommitment, PledgeContent, ReviewRound, RubricCriterion
from tests.factories import PhaseFactory


class PledgeContentFactory(DjangoModelFactory):
    class Meta:
        model = PledgeContent
        django_get_or_create = ("phase", "code")

    phase = factory.SubFactory(PhaseFactory)
    code = "chuyen-mon"
    title = "Chủ động, trách nhiệm, hiệu quả cao"
    order = 1


class PledgeFactory(DjangoModelFactory):
    """An accepted individual pledge of `person` in the person's unit."""

    class Meta:
        model = Pledge
        skip_postgeneration_save = True

    phase = factory.SubFactory(PhaseFactory)
    year = 2025
    person = None
    unit = factory.LazyAttribute(lambda o: o.person.unit if o.person else None)
    kind = Pledge.Kind.INDIVIDUAL
    content = factory.SubFactory(PledgeContentFactory)
    status = Pledge.Status.ACCEPTED
    goal = "Hoàn thành xuất sắc nhiệm vụ được giao."

    @factory.post_generation
    def commitments(self, create, extracted, **kwargs):
        if create:
            PledgeCommitment.objects.create(pledge=self, what="Tham mưu 02 văn bản hướng dẫn",
                                            due="Quý IV/2025", measure="Văn bản được ban hành")


class ReviewRoundFactory(DjangoModelFactory):
    class Meta:
        model = ReviewRound

    phase = factory.SubFactory(PhaseFactory)
    year = 2025
    quarter = 1
    status = ReviewRound.Status.OPEN


class CriterionFactory(DjangoModelFactory):
    class Meta:
        model = RubricCriterion

    name = factory.Sequence(lambda n: f"Tiêu chí {n}")
    weight = 1
    max_score = 10
