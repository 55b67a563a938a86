"""Commendation proposals and decisions: who proposes, who decides, what may not happen twice."""
# ruff: noqa: F811 - fixtures are imported from commendation_fixtures

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from awards.commendations import services as cs
from awards.models import (
    AwardEvent,
    AwardForm,
    AwardLevel,
    AwardProposal,
    AwardSubject,
    Occasion,
    ProposingBody,
)
from tests.awards.commendation_fixtures import (  # noqa: F401
    RECOGNISED,
    decided,
    province_leader,
    record,
    union_proposals,
)

pytestmark = pytest.mark.django_db


def _proposal(user, body=ProposingBody.LEADERSHIP, occasion=Occasion.DAY_1510, year=2025):
    return cs.award_proposal_create(user=user, body=body, occasion=occasion, year=year)


def test_leadership_proposal_is_decided_by_the_body_above(decided, people, province_leader, tree):
    proposal = decided["proposal"]
    assert proposal.unit == tree["district"] and proposal.decider_unit == tree["province"]
    assert proposal.status == AwardProposal.Status.DECIDED
    assert decided["model"].status == "approved" and decided["model"].certificate_no == 1
    assert decided["person"].certificate_no == 2 and decided["person"].decision == decided["decision"]
    assert decided["model"].code and decided["model"].code != decided["person"].code
    assert decided["rejected"].status == "rejected"
    assert decided["rejected"].rejection_reason == "Chưa đủ thời gian triển khai."
    assert decided["rejected"].code is None and decided["rejected"].certificate_no is None
    actions = list(AwardEvent.objects.filter(proposal=proposal).values_list("action", "actor__username"))
    assert ("submit", "lanhdao_d") in actions and ("decide", "lanhdao_t") in actions


def test_the_proposing_body_cannot_decide_its_own_proposal(record, people):
    leader = people["leader"]
    proposal = _proposal(leader)
    subject = cs.award_subject_add(user=leader, proposal=proposal, kind="model", target_id=record["recognised"].pk,
                                   form=AwardForm.CERTIFICATE, level=AwardLevel.DISTRICT)
    cs.award_proposal_submit(user=leader, proposal=proposal)
    with pytest.raises(PermissionDenied):
        cs.award_proposal_decide(user=leader, proposal=proposal, number="1-QĐ", date=dt.date(2025, 10, 10),
                                 signer_title="Trưởng ban", signer_name="A", outcomes={subject.pk: (True, "")})


def test_a_rejected_subject_needs_a_reason_and_every_subject_an_outcome(record, people, province_leader):
    leader = people["leader"]
    proposal = _proposal(leader)
    subject = cs.award_subject_add(user=leader, proposal=proposal, kind="model", target_id=record["recognised"].pk,
                                   form=AwardForm.CERTIFICATE, level=AwardLevel.PROVINCE)
    cs.award_proposal_submit(user=leader, proposal=proposal)
    common = dict(user=province_leader, proposal=proposal, number="2-QĐ", date=dt.date(2025, 10, 10),
                  signer_title="Trưởng ban", signer_name="B")
    with pytest.raises(ValidationError, match="lý do không khen thưởng"):
        cs.award_proposal_decide(outcomes={subject.pk: (False, "  ")}, **common)
    with pytest.raises(ValidationError, match="từng đối tượng"):
        cs.award_proposal_decide(outcomes={}, **common)
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and not hasattr(proposal, "decision")


def test_a_subject_cannot_be_commended_twice_for_the_same_occasion_and_form(decided, record, people, make_user,
                                                                            tree):
    # The commune's Party cell proposes the same model again for 15/10/2025 with a giấy khen.
    cell = make_user(tree["commune"], "chiuy", username="chiuy_x")
    proposal = _proposal(cell, body=ProposingBody.CELL)
    assert proposal.decider_unit == tree["district"]
    with pytest.raises(ValidationError) as exc:
        cs.award_subject_add(user=cell, proposal=proposal, kind="model", target_id=record["recognised"].pk,
                             form=AwardForm.CERTIFICATE, level=AwardLevel.UNIT)
    assert exc.value.messages == [f"{RECOGNISED} đã được đề nghị hoặc khen thưởng hình thức “Giấy khen” cho dịp này."]
    # Another form, or the phase's final summary, is another commendation.
    cs.award_subject_add(user=cell, proposal=proposal, kind="model", target_id=record["recognised"].pk,
                         form=AwardForm.PRAISE, level=AwardLevel.UNIT)
    final = _proposal(cell, body=ProposingBody.CELL, occasion=Occasion.PHASE_FINAL)
    assert final.year == 2025
    cs.award_subject_add(user=cell, proposal=final, kind="model", target_id=record["recognised"].pk,
                         form=AwardForm.CERTIFICATE, level=AwardLevel.UNIT)
    # The database says no too, whatever the code path.
    original = decided["model"]
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardSubject.objects.create(proposal=proposal, kind="model", model=record["recognised"], unit=original.unit,
                                    name="x", subject_key=original.subject_key, occasion="1510", year=2025,
                                    form=AwardForm.CERTIFICATE, level=1, reason="x", status="approved")
    # A rejected subject may be proposed again.
    cs.award_subject_add(user=cell, proposal=proposal, kind="model", target_id=record["effective"].pk,
                         form=AwardForm.MERIT, level=AwardLevel.UNIT)


def test_a_provincial_exemplar_is_recognised_at_province_level_only(record, people):
    proposal = _proposal(people["leader"])
    with pytest.raises(ValidationError, match="cấp tỉnh"):
        cs.award_subject_add(user=people["leader"], proposal=proposal, kind="model",
                             target_id=record["recognised"].pk, form=AwardForm.PROVINCIAL_EXEMPLAR,
                             level=AwardLevel.DISTRICT)
    with pytest.raises(IntegrityError), transaction.atomic():
        AwardSubject.objects.create(proposal=proposal, kind="model", unit=record["recognised"].unit, name="x",
                                    subject_key="model:x", occasion="1510", year=2025,
                                    form=AwardForm.PROVINCIAL_EXEMPLAR, level=2, reason="x")


def test_only_effective_or_recognised_models_of_the_subtree_are_proposed(record, people):
    proposal = _proposal(people["leader"])
    for key in ("registered", "foreign_model", "draft"):
        with pytest.raises(ValidationError):
            cs.award_subject_add(user=people["leader"], proposal=proposal, kind="model",
                                 target_id=record[key].pk, form=AwardForm.CERTIFICATE, level=AwardLevel.DISTRICT)


def test_the_reason_is_drawn_from_the_record(decided):
    assert decided["model"].reason == (
        "Mô hình lĩnh vực kinh tế, năm 2025; được công nhận cấp huyện ngày 20/09/2025; được nhân rộng tại "
        "1 đơn vị; kết quả: tuyên truyền, vận động 1.200 lượt người, 300 người hưởng lợi, vận động "
        "15.000.000 đồng, 2 công trình, phần việc."
    )
    assert decided["person"].reason == (
        "Gương mẫu, tận tụy. Đăng ký thi đua năm 2025: Chủ động, trách nhiệm, hiệu quả cao; điểm bình quân "
        "cả năm 92,50/100, xếp hạng 1 qua 4 quý đánh giá; được biểu dương 2 lần trong năm."
    )


def test_the_party_cell_receives_the_union_proposals_and_commends(union_proposals, people, record):
    cell = people["cell"]
    proposal = cs.award_proposal_from_union(user=cell, year=2025)
    assert proposal.body == ProposingBody.UNION and proposal.decider_unit == proposal.unit
    subjects = list(proposal.subjects.order_by("order"))
    assert [s.name for s in subjects] == ["Trần Thị Hồng Nhung", "Lê Văn Đức"]
    assert subjects[0].reason.startswith("Tiêu biểu của năm. Đăng ký thi đua năm 2025")
    with pytest.raises(PermissionDenied):  # leadership does not decide the union's proposals: the cell does
        cs.award_proposal_decide(user=people["leader"], proposal=proposal, number="3-QĐ/CB",
                                 date=dt.date(2025, 10, 14), signer_title="Bí thư", signer_name="C",
                                 outcomes={s.pk: (True, "") for s in subjects})
    decision = cs.award_proposal_decide(user=cell, proposal=proposal, number="3-QĐ/CB", date=dt.date(2025, 10, 14),
                                        signer_title="Bí thư", signer_name="Võ Văn Khánh",
                                        outcomes={s.pk: (True, "") for s in subjects})
    assert decision.subjects.filter(status="approved").count() == 2
    with pytest.raises(PermissionDenied):
        cs.award_proposal_from_union(user=people["union"], year=2025)


def test_revocation_is_shown_on_the_public_verification_page(decided, client, province_leader):
    subject = decided["model"]
    url = reverse("verify:code", args=[subject.code])
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert RECOGNISED.replace("“", "&ldquo;") in text or "Mỗi ngày tiết kiệm 1.000 đồng" in text
    assert "125-QĐ/BDVTU" in text and "Giấy khen hợp lệ" in text
    cs.award_subject_revoke(user=province_leader, subject=subject, reason="Hồ sơ kê khai không trung thực.")
    text = client.get(url).content.decode()
    assert "đã bị thu hồi" in text and "Hồ sơ kê khai không trung thực." in text and "hợp lệ" not in text
    unknown = client.get(reverse("verify:code", args=["KHONGCO123"]))
    assert unknown.status_code == 404 and "không tồn tại" in unknown.content.decode()


def test_only_the_decider_revokes(decided, people):
    with pytest.raises(PermissionDenied):
        cs.award_subject_revoke(user=people["leader"], subject=decided["model"], reason="x")


# --- Views ----------------------------------------------------------------------------------------

def test_leadership_proposes_through_the_pages_and_the_province_decides(client, record, people, province_leader):
    client.force_login(people["leader"])
    response = client.post(reverse("awards:proposal_create"), {"body": "bandanvan", "occasion": "1510",
                                                               "year": "2025", "number": "", "note": ""})
    proposal = AwardProposal.objects.get()
    assert response["Location"] == reverse("awards:proposal_detail", args=[proposal.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200 and RECOGNISED in page.content.decode().replace("&ldquo;", "“").replace(
        "&rdquo;", "”")
    client.post(reverse("awards:subject_add", args=[proposal.pk]), {
        "kind": "model", "target_id": record["recognised"].pk, "form": "giay-khen", "level": "3", "reason": ""})
    twice = client.post(reverse("awards:subject_add", args=[proposal.pk]), {
        "kind": "model", "target_id": record["recognised"].pk, "form": "giay-khen", "level": "3", "reason": ""},
        follow=True)
    assert "đã được đề nghị hoặc khen thưởng" in twice.content.decode()
    client.post(reverse("awards:proposal_submit", args=[proposal.pk]), {"number": "7-TTr/BDVH"})
    proposal.refresh_from_db()
    assert proposal.status == "submitted" and proposal.number == "7-TTr/BDVH"
    subject = proposal.subjects.get()
    # The district leader sees it but may not decide.
    assert client.post(reverse("awards:proposal_decide", args=[proposal.pk]), {
        "number": "9-QĐ", "date": "2025-10-10", "signer_title": "Trưởng ban", "signer_name": "X",
        f"outcome-{subject.pk}": "approve"}).status_code == 403
    client.force_login(province_leader)
    client.post(reverse("awards:proposal_decide", args=[proposal.pk]), {
        "date": "2025-10-10", "recipients": "Như Điều 3", f"outcome-{subject.pk}": "approve"})
    subject.refresh_from_db()
    # Numbered from the register of the deciding body (here without issuing data: the unit's code).
    assert subject.status == "approved" and subject.decision.number == "1-QĐ/T01"


def test_another_subtree_does_not_see_a_proposal(client, decided, people):
    client.force_login(people["foreign_leader"])
    assert client.get(reverse("awards:proposal_detail", args=[decided["proposal"].pk])).status_code == 404
    client.force_login(people["staff"])
    assert client.get(reverse("awards:proposal_list")).status_code == 403


def test_the_proposal_list_paginates_in_few_queries(client, decided, people, django_assert_max_num_queries):
    client.force_login(people["leader"])
    with django_assert_max_num_queries(12):
        page = client.get(reverse("awards:proposal_list"))
    assert page.status_code == 200 and "Đã quyết định" in page.content.decode()
