"""The register of outgoing documents: numbers per body and year, at issue, atomic, never reused."""

import datetime as dt
import io
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from documents import services
from documents.models import OutgoingDocument, RegisterCounter
from documents.reporting import REGISTRY
from documents.selectors import issuer_as_of
from tests.documents.conftest import pdf_text

pytestmark = pytest.mark.django_db

D2025 = dt.date(2025, 10, 15)


def _issue(people, tree, bodies, *, kind="year-summary", year=2025, date=None, signer="new_head"):
    params = {"unit_id": tree["province"].pk, "year": year}
    return services.document_issue(user=people["admin"], kind=kind, params=params, unit=tree["province"],
                                   date=date or dt.date(year, 12, 15), signer=bodies[signer],
                                   recipients=["Thường trực Tỉnh ủy"])


def test_the_header_is_the_issuing_body_as_of_the_documents_date(tree, bodies):
    before = issuer_as_of(tree["commune"], dt.date(2024, 10, 15))
    after = issuer_as_of(tree["commune"], dt.date(2025, 10, 15))
    assert (before.party_committee, before.body_name, before.short_code, before.place) == (
        "Tỉnh ủy Bình Thuận", "Ban Dân vận", "BDVTU", "Bình Thuận")
    assert (after.party_committee, after.body_name, after.short_code, after.place) == (
        "Tỉnh ủy Lâm Đồng", "Ban Tuyên giáo và Dân vận", "BTGDVTU", "Lâm Đồng")
    assert [s.full_name for s in after.signers] == ["Nguyễn Văn Hòa", "Phạm Thị Hồng Nhung"]
    assert issuer_as_of(tree["commune"], dt.date(2025, 6, 30)).short_code == "BDVTU"


def test_without_data_the_header_names_the_party_committee_never_the_state_unit(tree):
    issuer = issuer_as_of(tree["district"], D2025)
    assert issuer.party_committee == "Huyện ủy Hàm Thuận Bắc" and issuer.body_name == "Ban Dân vận"
    assert issuer_as_of(tree["commune"], D2025).party_committee == "Đảng ủy xã Hàm Đức"


def test_numbers_run_per_body_and_year_across_kinds(people, tree, bodies):
    a = _issue(people, tree, bodies, kind="year-summary")
    b = _issue(people, tree, bodies, kind="commendation-1510", date=D2025)
    c = _issue(people, tree, bodies, kind="year-summary", year=2024, signer="old_head")
    assert (a.symbol, b.symbol, c.symbol) == ("1-BC/BTGDVTU", "2-BC/BTGDVTU", "1-BC/BDVTU")
    # The files are kept, the PDF with its SHA-256, and carry the number, date and signer.
    import hashlib

    pdf = services.file_of(b, "pdf").read_bytes()
    assert hashlib.sha256(pdf).hexdigest() == b.pdf_sha256
    text = pdf_text(pdf)
    assert "Số 2-BC/BTGDVTU" in text and "Lâm Đồng, ngày 15 tháng 10 năm 2025" in text
    assert "TRƯỞNG BAN Nguyễn Văn Hòa" in text and "Thường trực Tỉnh ủy" in text and "DỰ THẢO" not in text


def test_a_rolled_back_issue_gives_its_number_back_and_a_revoked_one_keeps_it(people, tree, bodies):
    with pytest.raises(RuntimeError), transaction.atomic():
        services.register_take_number(body_code="BTGDVTU", year=2025)
        raise RuntimeError("the issue failed")
    first = _issue(people, tree, bodies)
    assert first.number == 1
    services.document_revoke(user=people["admin"], entry=first, reason="Ban hành nhầm.")
    assert _issue(people, tree, bodies).number == 2  # 1 is never reused


def test_a_signer_must_be_one_allowed_to_sign_for_the_body_on_that_date(people, tree, bodies):
    with pytest.raises(ValidationError):
        _issue(people, tree, bodies, signer="old_head")  # the Ban Dân vận's head, for a 2025 document
    assert not OutgoingDocument.objects.exists() and not RegisterCounter.objects.filter(last_number__gt=0).exists()


def test_documents_numbered_by_hand_are_entered_and_numbering_continues(people, tree, bodies):
    services.register_enter_manual(user=people["admin"], unit=tree["province"], body_code="BTGDVTU", number=40,
                                   doc_type="KH", date=dt.date(2025, 8, 1), summary="Kế hoạch số 40 (giấy)")
    with pytest.raises(ValidationError):
        services.register_enter_manual(user=people["admin"], unit=tree["province"], body_code="BTGDVTU",
                                       number=40, doc_type="TB", date=dt.date(2025, 8, 2), summary="Trùng số")
    assert _issue(people, tree, bodies).symbol == "41-BC/BTGDVTU"


def test_a_draft_has_no_number_or_a_blank_for_one_by_setting(tree, bodies, settings):
    build = REGISTRY["year-summary"].build
    params = {"unit_id": tree["province"].pk, "year": 2025}
    text = pdf_text(build(params, lambda p: None).content)
    assert "DỰ THẢO" in text and "Số" not in text.split("ĐẢNG CỘNG SẢN")[0]
    settings.DOCUMENTS_DRAFT_BLANK_NUMBER = True
    text = pdf_text(build(params, lambda p: None).content)
    assert "-BC/BTGDVTU" in text and not OutgoingDocument.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_never_share_or_skip_a_number(tree):
    """Eight transactions take numbers at the same moment, on PostgreSQL, each on its own connection."""
    assert connection.vendor == "postgresql"
    n = 8
    barrier = threading.Barrier(n)
    numbers, errors = [], []

    def issue():
        try:
            barrier.wait()
            with transaction.atomic():
                number = services.register_take_number(body_code="BTGDVTU", year=2025)
                OutgoingDocument.objects.create(body_code="BTGDVTU", unit=tree["province"], year=2025,
                                                number=number, doc_type="BC", date=D2025, summary="x")
            numbers.append(number)
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=issue) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(numbers) == list(range(1, n + 1))
    assert RegisterCounter.objects.get(body_code="BTGDVTU", year=2025).last_number == n


def test_the_register_page_filters_searches_pages_and_exports_within_the_subtree(client, people, tree, bodies):
    from openpyxl import load_workbook

    _issue(people, tree, bodies)
    OutgoingDocument.objects.bulk_create([
        OutgoingDocument(body_code="BTGDVTU", unit=tree["district"], year=2025, number=100 + i, doc_type="TB",
                         date=dt.date(2025, 11, 1), summary=f"Thông báo số {i}") for i in range(55)])
    OutgoingDocument.objects.create(body_code="BDVH02", unit=tree["other_district"], year=2025, number=7,
                                    doc_type="BC", date=D2025, summary="Báo cáo của Tuy Phong")
    client.force_login(people["leader"])  # the district: its own lines only
    page = client.get(reverse("documents:register")).content.decode()
    assert "154-TB/BTGDVTU" in page and "Tuy Phong" not in page and "1-BC/BTGDVTU" not in page
    assert "Trang 1/2" in page and "100-TB/BTGDVTU" not in page  # newest first, 50 a page
    assert "100-TB/BTGDVTU" in client.get(reverse("documents:register"), {"page": 2}).content.decode()
    found = client.get(reverse("documents:register"), {"q": "Thông báo số 54"}).content.decode()
    assert "154-TB/BTGDVTU" in found and "153-TB/BTGDVTU" not in found
    client.force_login(people["admin"])
    assert "1-BC/BTGDVTU" in client.get(reverse("documents:register"), {"doc_type": "BC", "year": 2025}).content.decode()
    response = client.get(reverse("documents:register"), {"doc_type": "BC", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Số" and {r[0] for r in rows[1:]} == {"1-BC/BTGDVTU", "7-BC/BDVH02"}
    client.force_login(people["foreign_leader"])
    entry = OutgoingDocument.objects.get(number=100)
    assert client.get(reverse("documents:entry", args=[entry.pk])).status_code == 404


def test_leadership_issues_a_finished_report_from_its_page_and_gets_the_docx_beside_it(client, people, tree,
                                                                                      bodies):
    from documents import reporting

    params = {"unit_id": tree["province"].pk, "year": 2025}
    report, _ = reporting.report_request(kind="year-summary", params=params, unit=tree["province"],
                                         user=people["admin"])
    report.refresh_from_db()
    assert report.status == "done"
    client.force_login(people["admin"])
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:issue", args=[report.pk]) in page
    docx = client.get(reverse("reports:download_docx", args=[report.pk]))
    assert docx["Content-Disposition"].endswith('.docx"')
    from tests.documents.conftest import docx_text

    assert "DỰ THẢO" in docx_text(docx.content)[0]  # the report itself is still a draft
    form = client.get(reverse("reports:issue", args=[report.pk])).content.decode()
    assert "Nguyễn Văn Hòa" in form and "Phạm Thị Hồng Nhung" in form and "…-BC/BTGDVTU" in form
    client.force_login(people["staff"])  # a member of staff does not issue
    assert client.post(reverse("reports:issue", args=[report.pk]), {}).status_code in (403, 404)
    client.force_login(people["admin"])
    response = client.post(reverse("reports:issue", args=[report.pk]), {
        "date": "2025-12-15", "summary": "Báo cáo sơ kết năm 2025", "signer": bodies["new_deputy"].pk,
        "recipients": "Thường trực Tỉnh ủy\nBan Dân vận Trung ương"})
    entry = OutgoingDocument.objects.get()
    assert response["Location"] == reverse("documents:entry", args=[entry.pk])
    assert (entry.symbol, entry.signer_name, entry.recipient_list) == (
        "1-BC/BTGDVTU", "Phạm Thị Hồng Nhung", ["Thường trực Tỉnh ủy", "Ban Dân vận Trung ương"])
    pdf = b"".join(client.get(reverse("documents:download", args=[entry.pk, "pdf"])).streaming_content)
    assert "Số 1-BC/BTGDVTU" in pdf_text(pdf) and "DỰ THẢO" not in pdf_text(pdf)
