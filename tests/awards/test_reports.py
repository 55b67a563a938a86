"""The awards reports: every kind's text comes back exact (NFC), fonts embedded, A4, headers, pages."""
# ruff: noqa: F811 - fixtures are imported from commendation_fixtures

import io
import unicodedata
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from awards.commendations import services as cs
from documents import reporting
from documents.builders import QR_BOX, verify_url
from documents.reporting import REGISTRY
from portal.models import ReportRequest
from tests.awards.commendation_fixtures import (  # noqa: F401
    RECOGNISED,
    decided,
    province_leader,
    record,
    union_proposals,
)

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> tuple[str, PdfReader]:
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert unicodedata.is_normalized("NFC", text)
    return text, reader


def _flat(text: str) -> str:
    return " ".join(text.split())


def _check_document(pdf: bytes, *, header=True) -> tuple[str, PdfReader]:
    text, reader = _text(pdf)
    for page in reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (595, 842)
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is not None:
                assert any(k in descriptor.get_object() for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    if header:
        assert "ĐẢNG CỘNG SẢN VIỆT NAM" in text and "Nơi nhận:" in text
    assert "Dân vận khéo" in _flat(text)
    return text, reader


def _build(kind, params):
    return REGISTRY[kind].build(params, lambda pct: None)


def test_the_1510_report_lists_the_commended_with_reasons_and_figures(decided, tree):
    built = _build("commendation-1510", {"unit_id": tree["district"].pk, "year": 2025})
    text, reader = _check_document(built.content)
    flat = _flat(text)
    # Not issued yet: a draft headed by the district's Party committee, without a register number.
    assert "BÁO CÁO" in flat and "HUYỆN ỦY HÀM THUẬN BẮC" in flat and "BAN DÂN VẬN" in flat and "DỰ THẢO" in flat
    assert "Số " not in flat.split("BÁO CÁO")[0] and "Huyện Hàm Thuận Bắc" in flat
    assert "Thuận, ngày 15 tháng 10 năm 2025" in flat  # place of the province, 15/10 of the year
    assert RECOGNISED in flat and "Trần Thị Hồng Nhung" in flat
    assert _flat(decided["model"].reason) in flat and _flat(decided["person"].reason) in flat
    assert "Giấy khen – Cấp tỉnh (Ban Thường vụ Tỉnh ủy)" in flat
    assert "Dân vận khéo trong xây dựng nông thôn mới" not in flat  # rejected
    assert "Mô hình của Tuy Phong" not in flat  # another subtree
    assert "3 mô hình “Dân vận khéo”; 1 mô hình được công nhận, 1 mô hình được nhân rộng" in flat
    assert built.pages == len(reader.pages) and 1 <= built.pages <= 4


def test_an_empty_year_says_so_in_the_document(tree, phase):
    for kind, params in [
        ("commendation-1510", {"unit_id": tree["district"].pk, "year": 2023}),
        ("decision", {"unit_id": tree["district"].pk, "year": 2023}),
        ("certificates", {"unit_id": tree["district"].pk, "year": 2023}),
        ("quarter-sheet", {"unit_id": tree["district"].pk, "year": 2023}),
        ("year-summary", {"unit_id": tree["district"].pk, "year": 2023}),
        ("phase-summary", {"unit_id": tree["district"].pk, "phase_id": phase.pk}),
    ]:
        built = _build(kind, params)
        text, _ = _check_document(built.content, header=kind != "certificates")
        assert "chưa có" in _flat(text).lower(), kind


def test_the_decision_has_its_articles_annex_and_signature(decided):
    built = _build("decision", {"decision_id": decided["decision"].pk})
    text, reader = _check_document(built.content)
    flat = _flat(text)
    assert "QUYẾT ĐỊNH" in text and "Số 125-QĐ/BDVTU" in flat and "Thuận, ngày 10 tháng 10 năm 2025" in flat
    assert "Điều 1. Khen thưởng 2 tập thể, cá nhân, mô hình" in flat
    assert "Xét đề nghị của Ban Dân vận Huyện Hàm Thuận Bắc (Tờ trình số 12-TTr/BDVH)" in flat
    assert "Kèm theo Quyết định số 125-QĐ/BDVTU ngày 10/10/2025" in flat
    assert RECOGNISED in flat and "Trần Thị Hồng Nhung" in flat and "Nguyễn Thị Ánh Tuyết" in flat
    assert "Dân vận khéo trong xây dựng nông thôn mới" not in flat
    assert 2 <= built.pages <= 4  # the annex starts on its own page
    assert "DANH SÁCH KHEN THƯỞNG" in reader.pages[1].extract_text()
    for page in reader.pages[1:]:  # the annex's header row is repeated on every page
        assert "STT Tên tập thể, cá nhân, mô hình Đơn vị" in _flat(page.extract_text())


def test_certificates_one_page_each_numbered_with_a_verification_code(decided):
    built = _build("certificates", {"decision_id": decided["decision"].pk})
    text, reader = _check_document(built.content, header=False)
    assert built.pages == len(reader.pages) == 2
    first, second = (_flat(p.extract_text()) for p in reader.pages)
    assert "GIẤY KHEN" in first and RECOGNISED in first and "Số giấy khen: 1" in first
    assert f"Mã xác minh: {decided['model'].code}" in first
    assert "Trần Thị Hồng Nhung" in second and "Số giấy khen: 2" in second and decided["person"].code in second
    # The QR code printed on the page is the one of the verification address.
    assert _qr_matrix_of(reader.pages[0]) == _qr_matrix(verify_url(decided["model"].code))
    assert verify_url(decided["model"].code).endswith(f"/verify/{decided['model'].code}/")


def _qr_matrix(text):
    import qrcode

    code = qrcode.QRCode(border=1, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(text)
    code.make()
    return [[bool(v) for v in row] for row in code.get_matrix()]


def _qr_matrix_of(page):
    image = page.images[0].image.convert("L")
    n = image.width // QR_BOX
    return [[image.getpixel((x * QR_BOX + QR_BOX // 2, y * QR_BOX + QR_BOX // 2)) < 128 for x in range(n)]
            for y in range(n)]


def test_the_quarter_sheet_is_the_round_result_sheet(record, tree):
    rnd = record["rounds"][1]
    built = _build("quarter-sheet", {"round_id": rnd.pk})
    text, _ = _check_document(built.content)
    flat = _flat(text)
    assert "kết quả đánh giá quý 2/2025" in flat
    # The three district staff whose pledges the round reviews (written out, not read back from the
    # selector the sheet is built with).
    for name in ("Trần Thị Hồng Nhung", "Lê Văn Đức", "Phạm Thị Ngọc Ánh"):
        assert _flat(name) in flat, name
    assert "Giúp đỡ hộ khó khăn." in flat


def test_the_year_and_phase_summaries_count_the_record(decided, phase, tree):
    built = _build("year-summary", {"unit_id": tree["district"].pk, "year": 2025})
    flat = _flat(_check_document(built.content)[0])
    assert "sơ kết phong trào thi đua “Dân vận khéo” năm 2025" in flat
    assert "Năm 2025 có 3 mô hình “Dân vận khéo” được đăng ký, 3 mô hình đang triển khai, 1 mô hình được công nhận" in flat
    assert "3 bản đăng ký thi đua được tiếp nhận, 3 đợt đánh giá quý, 3 lượt biểu dương; 2 tập thể" in flat
    assert "Sáng kiến cải tiến báo cáo." in flat and RECOGNISED in flat
    built = _build("phase-summary", {"unit_id": tree["district"].pk, "phase_id": phase.pk})
    flat = _flat(_check_document(built.content)[0])
    assert "tổng kết phong trào thi đua “Dân vận khéo” giai đoạn 2021 – 2025" in flat
    assert "2025 3 3 1 1 3 3 3 2" in flat and "Cộng 3 3 1 1 3 3 3 2" in flat


def test_the_1510_pack_holds_the_report_decision_and_certificates(decided, tree):
    built = _build("pack-1510", {"unit_id": tree["province"].pk, "year": 2025})
    assert built.content_type == "application/zip"
    names = zipfile.ZipFile(io.BytesIO(built.content)).namelist()
    assert names == ["bao-cao-15-10-2025-T01.pdf", "quyet-dinh-125-QĐ-BDVTU.pdf", "giay-khen-125-QĐ-BDVTU.pdf"]
    assert _build("pack-1510", {"unit_id": tree["province"].pk, "year": 2025}).content == built.content


def test_the_same_request_over_the_same_data_gives_the_same_file(decided, tree, people):
    params = {"unit_id": tree["district"].pk, "year": 2025}
    first, _ = reporting.report_request(kind="commendation-1510", params=params, unit=tree["district"],
                                        user=people["leader"])
    second, created = reporting.report_request(kind="commendation-1510", params=params, unit=tree["district"],
                                               user=people["leader"])
    first.refresh_from_db()
    second.refresh_from_db()
    assert created and first.status == second.status == "done" and first.sha256 == second.sha256


def test_an_identical_running_1510_request_is_joined(decided, tree, people):
    params = {"unit_id": tree["district"].pk, "year": 2025}
    running = ReportRequest.objects.create(kind="commendation-1510", params=params, unit=tree["district"],
                                           params_key=reporting.params_key("commendation-1510", params),
                                           status="running")
    joined, created = reporting.report_request(kind="commendation-1510", params=params, unit=tree["district"],
                                               user=people["leader"])
    assert not created and joined.pk == running.pk and ReportRequest.objects.count() == 1


def test_leadership_asks_on_the_dashboard_and_only_its_subtree_downloads(client, decided, people, tree):
    client.force_login(people["leader"])
    response = client.post(reverse("awards:report_1510"), {"kind": "commendation-1510", "year": "2025"})
    report = ReportRequest.objects.get()
    assert response["Location"] == reverse("reports:detail", args=[report.pk])
    assert report.unit == tree["district"] and report.params == {"unit_id": tree["district"].pk, "year": 2025}
    pdf = b"".join(client.get(reverse("reports:download", args=[report.pk])).streaming_content)
    assert RECOGNISED in _flat(_text(pdf)[0])
    for other in ("foreign_leader", "staff"):
        client.force_login(people[other])
        assert client.get(reverse("reports:download", args=[report.pk])).status_code == 404, other
    # Nor may one ask for another subtree's report.
    client.force_login(people["foreign_leader"])
    assert client.post(reverse("awards:report_1510"), {"kind": "commendation-1510", "year": "2025",
                                                       "unit_code": "H01"}).status_code == 404


def test_the_decision_and_certificates_are_asked_for_from_the_proposal(client, decided, province_leader):
    client.force_login(province_leader)
    for kind in ("decision", "certificates"):
        response = client.post(reverse("awards:decision_report", args=[decided["proposal"].pk, kind]))
        report = ReportRequest.objects.get(kind=kind)
        assert response.status_code == 302 and report.status == "done" and report.pages >= 2


@pytest.mark.parametrize("kind", ["commendation-1510", "decision", "certificates", "quarter-sheet",
                                  "year-summary", "phase-summary"])
def test_make_report_writes_every_kind_from_the_command_line(kind, decided, tmp_path):
    out = tmp_path / "r.pdf"
    call_command("make_report", kind, "--unit", "T01", "--output", str(out))  # year: the latest with data
    text = _flat(_text(out.read_bytes())[0])
    assert "Dân vận khéo" in text
    if kind in ("commendation-1510", "decision", "certificates"):
        assert "Trần Thị Hồng Nhung" in text


def test_revoked_commendations_leave_the_certificates(decided, province_leader):
    cs.award_subject_revoke(user=province_leader, subject=decided["person"], reason="Sai sót hồ sơ.")
    built = _build("certificates", {"decision_id": decided["decision"].pk})
    assert built.pages == 1 and "Trần Thị Hồng Nhung" not in _flat(_text(built.content)[0])
