"""Fixtures of the commendation and report tests (imported by test_commendations*.py, test_reports*.py).

A record to commend: models of the district's commune (one recognised at district level with
results and a replication, one judged effective, one merely registered) and one in the foreign
district; three district staff with annual results, one praised twice.
"""

import datetime as dt
from decimal import Decimal

import pytest

from awards.commendations import services as cs
from awards.models import (
    AnnualResult,
    AwardForm,
    AwardLevel,
    CommendationProposal,
    Occasion,
    Praise,
    ProposingBody,
)
from models_registry.models import ModelField, RecognitionLevel, State
from tests.awards.factories import PledgeFactory, ReviewRoundFactory
from tests.models_registry.factories import DvkModelFactory, ProgressReportFactory

RECOGNISED = "Mô hình “Mỗi ngày tiết kiệm 1.000 đồng để làm việc nghĩa”"


@pytest.fixture
def province_leader(make_user, tree):
    return make_user(tree["province"], "lanhdao", username="lanhdao_t", full_name="Nguyễn Thị Ánh Tuyết")


@pytest.fixture
def record(tree, phase, people, make_user, contents):
    commune, village, foreign = tree["commune"], tree["village"], tree["other_commune"]
    recognised = DvkModelFactory(
        unit=commune, phase=phase, year=2025, name=RECOGNISED, field=ModelField.ECONOMY, state=State.RECOGNISED,
        is_effective=True, recognition_level=RecognitionLevel.DISTRICT, recognised_on=dt.date(2025, 9, 20),
        recognised_by=tree["district"],
    )
    ProgressReportFactory(model=recognised, people_reached=1200, beneficiaries=300, money_raised=15_000_000,
                          works_built=2)
    effective = DvkModelFactory(unit=commune, phase=phase, year=2025, name="Dân vận khéo trong xây dựng nông thôn mới",
                                state=State.EVALUATED, is_effective=True, field=ModelField.CULTURE_SOCIETY)
    registered = DvkModelFactory(unit=village, phase=phase, year=2025, name="Thôn Đông Giang sáng – xanh – sạch",
                                 state=State.REGISTERED, replicated_from=recognised, field=ModelField.ECONOMY)
    foreign_model = DvkModelFactory(unit=foreign, phase=phase, year=2025, name="Mô hình của Tuy Phong",
                                    state=State.RECOGNISED, recognition_level=RecognitionLevel.DISTRICT)
    draft = DvkModelFactory(unit=commune, phase=phase, year=2025, name="Bản nháp chưa gửi", state=State.DRAFT)
    d = tree["district"]
    persons = [make_user(d, "canbo", username=f"dh{i}", full_name=name)
               for i, name in enumerate(["Trần Thị Hồng Nhung", "Lê Văn Đức", "Phạm Thị Ngọc Ánh"])]
    pledges = [PledgeFactory(person=p, content=contents["chuyen-mon"], phase=phase, year=2025) for p in persons]
    results = []
    for rank, (pledge, mean) in enumerate(zip(pledges, ["92.50", "85.00", "71.25"], strict=True), start=1):
        results.append(AnnualResult.objects.create(pledge=pledge, unit=d, year=2025, quarters_reviewed=4,
                                                   mean_total=Decimal(mean), mean_z=Decimal("0"), rank=rank))
    rounds = [ReviewRoundFactory(unit=d, phase=phase, year=2025, quarter=q, chair=people["union"], status="closed")
              for q in (1, 2, 3)]
    Praise.objects.create(round=rounds[0], pledge=pledges[0], reason="Hoàn thành sớm kế hoạch quý.")
    Praise.objects.create(round=rounds[1], pledge=pledges[0], reason="Sáng kiến cải tiến báo cáo.")
    Praise.objects.create(round=rounds[1], pledge=pledges[1], reason="Giúp đỡ hộ khó khăn.")
    return {"recognised": recognised, "effective": effective, "registered": registered,
            "foreign_model": foreign_model, "draft": draft, "persons": persons, "pledges": pledges,
            "results": results, "rounds": rounds}


@pytest.fixture
def decided(record, people, province_leader):
    """The district leadership's 15/10/2025 proposal, decided by the province: two approved, one rejected."""
    leader = people["leader"]
    proposal = cs.award_proposal_create(user=leader, body=ProposingBody.LEADERSHIP, occasion=Occasion.DAY_1510,
                                        year=2025, number="12-TTr/BDVH")
    a = cs.award_subject_add(user=leader, proposal=proposal, kind="model", target_id=record["recognised"].pk,
                             form=AwardForm.CERTIFICATE, level=AwardLevel.PROVINCE)
    b = cs.award_subject_add(user=leader, proposal=proposal, kind="individual", target_id=record["pledges"][0].pk,
                             form=AwardForm.CERTIFICATE, level=AwardLevel.PROVINCE, reason="Gương mẫu, tận tụy.")
    c = cs.award_subject_add(user=leader, proposal=proposal, kind="model", target_id=record["effective"].pk,
                             form=AwardForm.MERIT, level=AwardLevel.PROVINCE)
    cs.award_proposal_submit(user=leader, proposal=proposal)
    decision = cs.award_proposal_decide(
        user=province_leader, proposal=proposal, number="125-QĐ/BDVTU", date=dt.date(2025, 10, 10),
        signer_title="Trưởng ban", signer_name="Nguyễn Thị Ánh Tuyết",
        outcomes={a.pk: (True, ""), b.pk: (True, ""), c.pk: (False, "Chưa đủ thời gian triển khai.")},
    )
    for s in (a, b, c):
        s.refresh_from_db()
    proposal.refresh_from_db()
    return {"proposal": proposal, "decision": decision, "model": a, "person": b, "rejected": c}


@pytest.fixture
def union_proposals(record, people):
    """The union committee proposed its top two to the Party cell."""
    return [CommendationProposal.objects.create(result=r, unit=r.unit, year=2025, reason="Tiêu biểu của năm.",
                                                proposed_by=people["union"]) for r in record["results"][:2]]
