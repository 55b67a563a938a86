"""Decisions issued from the register with a chosen signer; certificates; QR address; double receive."""
# ruff: noqa: F811 - fixtures are imported from commendation_fixtures

import datetime as dt
import threading

import pytest
from django.core.checks import run_checks
from django.db import connection
from django.urls import reverse

from awards.commendations import services as cs
from awards.models import AwardForm, AwardLevel, AwardProposal, Occasion, ProposingBody
from documents.builders import verify_url
from documents.models import OutgoingDocument, RegisterCounter
from documents.reporting import REGISTRY
from tests.awards.commendation_fixtures import (  # noqa: F401
    province_leader,
    record,
    union_proposals,
)
from tests.documents.conftest import docx_text, pdf_text

pytestmark = pytest.mark.django_db


def _submitted(people, record):
    leader = people["leader"]
    proposal = cs.award_proposal_create(user=leader, body=ProposingBody.LEADERSHIP, occasion=Occasion.DAY_1510,
                                        year=2025, number="12-TTr/BDVH")
    a = cs.award_subject_add(user=leader, proposal=proposal, kind="model", target_id=record["recognised"].pk,
                             form=AwardForm.CERTIFICATE, level=AwardLevel.DISTRICT)
    b = cs.award_subject_add(user=leader, proposal=proposal, kind="individual", target_id=record["pledges"][0].pk,
                             form=AwardForm.MERIT, level=AwardLevel.PROVINCE, reason="Gương mẫu, tận tụy.")
    cs.award_proposal_submit(user=leader, proposal=proposal)
    return proposal, a, b


def test_leadership_issues_a_decision_picking_the_signer_and_downloads_pdf_and_docx(
        client, people, record, province_leader, bodies):
    proposal, a, b = _submitted(people, record)
    client.force_login(province_leader)
    page = client.get(reverse("awards:proposal_detail", args=[proposal.pk])).content.decode()
    assert "Phạm Thị Hồng Nhung" in page and "…-QĐ/BTGDVTU" in page
    response = client.post(reverse("awards:proposal_decide", args=[proposal.pk]), {
        "date": "2025-10-10", "signer": bodies["new_deputy"].pk, "recipients": "Như Điều 3\nHuyện ủy Hàm Thuận Bắc",
        f"outcome-{a.pk}": "approve", f"outcome-{b.pk}": "approve"})
    assert response.status_code == 302
    entry = OutgoingDocument.objects.get()
    proposal.refresh_from_db()
    assert entry.symbol == "1-QĐ/BTGDVTU" and proposal.decision.number == "1-QĐ/BTGDVTU"
    assert proposal.decision.signer_name == "Phạm Thị Hồng Nhung" and len(entry.pdf_sha256) == 64
    pdf = b"".join(client.get(reverse("documents:download", args=[entry.pk, "pdf"])).streaming_content)
    text = pdf_text(pdf)
    for expected in ("TỈNH ỦY LÂM ĐỒNG", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "Số 1-QĐ/BTGDVTU",
                     "Lâm Đồng, ngày 10 tháng 10 năm 2025", "QUYẾT ĐỊNH", "K/T TRƯỞNG BAN PHÓ TRƯỞNG BAN",
                     "Phạm Thị Hồng Nhung", "Huyện ủy Hàm Thuận Bắc", "Trần Thị Hồng Nhung"):
        assert expected in text, expected
    docx = b"".join(client.get(reverse("documents:download", args=[entry.pk, "docx"])).streaming_content)
    dtext, _ = docx_text(docx)
    for expected in ("TỈNH ỦY LÂM ĐỒNG", "BAN TUYÊN GIÁO VÀ DÂN VẬN", "Số 1-QĐ/BTGDVTU", "Phạm Thị Hồng Nhung",
                     "Trần Thị Hồng Nhung"):
        assert expected in dtext, expected
    # The certificates: each the title of its award form, its authority, the decision's number and date.
    certificates = pdf_text(REGISTRY["certificates"].build({"decision_id": proposal.decision.pk}, lambda p: None)
                            .content)
    assert "GIẤY KHEN" in certificates and "BẰNG KHEN" in certificates
    assert "BAN THƯỜNG VỤ TỈNH ỦY LÂM ĐỒNG" in certificates  # the provincial-level merit
    assert "Quyết định số 1-QĐ/BTGDVTU ngày 10/10/2025" in certificates
    # In the register page, with its files.
    page = client.get(reverse("documents:register")).content.decode()
    assert "1-QĐ/BTGDVTU" in page and "Phạm Thị Hồng Nhung" in page


def test_a_decision_that_commends_nobody_is_not_issued_and_takes_no_number(people, record, province_leader, bodies):
    from django.core.exceptions import ValidationError

    from documents.services import decision_issue

    proposal, a, b = _submitted(people, record)
    with pytest.raises(ValidationError):
        decision_issue(user=province_leader, proposal=proposal, date=dt.date(2025, 10, 10),
                       signer=bodies["new_head"], recipients="",
                       outcomes={a.pk: (False, "Chưa đủ."), b.pk: (False, "Chưa đủ.")})
    proposal.refresh_from_db()
    assert proposal.status == AwardProposal.Status.SUBMITTED and not OutgoingDocument.objects.exists()
    assert not RegisterCounter.objects.filter(last_number__gt=0).exists()


def test_a_signer_outside_the_bodys_list_is_refused(client, people, record, province_leader, bodies):
    proposal, a, b = _submitted(people, record)
    client.force_login(province_leader)
    client.post(reverse("awards:proposal_decide", args=[proposal.pk]), {
        "date": "2025-10-10", "signer": bodies["old_head"].pk, f"outcome-{a.pk}": "approve",
        f"outcome-{b.pk}": "approve"})
    proposal.refresh_from_db()
    assert proposal.status == AwardProposal.Status.SUBMITTED and not OutgoingDocument.objects.exists()


def test_the_qr_code_encodes_the_public_address_and_production_requires_it(settings):
    settings.PORTAL_BASE_URL = "https://dvk.example.gov.vn"
    assert verify_url("ABC123") == "https://dvk.example.gov.vn/verify/ABC123/"
    settings.PORTAL_BASE_URL = ""
    assert "documents.E001" in [m.id for m in run_checks(include_deployment_checks=True)]
    settings.PORTAL_BASE_URL = "https://dvk.example.gov.vn"
    assert "documents.E001" not in [m.id for m in run_checks(include_deployment_checks=True)]


@pytest.mark.django_db(transaction=True)
def test_a_double_click_does_not_receive_the_union_proposals_twice(union_proposals, people):
    cell = people["cell"]
    barrier = threading.Barrier(2)
    outcomes = []

    def receive():
        try:
            barrier.wait()
            cs.award_proposal_from_union(user=cell, year=2025)
            outcomes.append("received")
        except Exception as exc:  # noqa: BLE001
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=receive) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["ValidationError", "received"]
    assert AwardProposal.objects.filter(body=ProposingBody.UNION).count() == 1
