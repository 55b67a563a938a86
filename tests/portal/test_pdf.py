import datetime as dt
import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from documents.pdf import font_css, render_pdf

pytestmark = pytest.mark.django_db

TEXT = "Mô hình “Mỗi ngày tiết kiệm 1.000 đồng để làm việc nghĩa” – Ấp Bàu Trắng, xã Hòa Thắng"


def _render(**extra):
    context = {
        "issuer": "Ban Dân vận", "superior": "Tỉnh ủy Bình Thuận", "number": "54-KH/BDVTU",
        "place": "Bình Thuận", "date": dt.date(2022, 3, 29), "doc_kind": "Kế hoạch",
        "title": "thực hiện phong trào thi đua “Dân vận khéo”", "recipients": ["Ban Thường vụ Tỉnh ủy"],
        "on_behalf": "Ban Thường vụ", "signer_title": "Trưởng ban", "signer_name": "Nguyễn Thị Ánh Tuyết",
    }
    context.update(extra)
    return render_pdf("pdf/base.html", context)


def test_the_project_installs_its_vietnamese_font():
    assert "liberation2/LiberationSerif-Regular.ttf" in font_css()


def test_party_document_header_and_text_come_back_exact_and_nfc():
    pdf = _render(title=TEXT)
    reader = PdfReader(io.BytesIO(pdf))
    text = reader.pages[0].extract_text()
    import unicodedata

    assert unicodedata.is_normalized("NFC", text)
    for expected in ["ĐẢNG CỘNG SẢN VIỆT NAM", "BAN DÂN VẬN", "Số 54-KH/BDVTU",
                     "Bình Thuận, ngày 29 tháng 3 năm 2022", "KẾ HOẠCH", "Nơi nhận:", "Nguyễn Thị Ánh Tuyết"]:
        assert expected in text, expected
    assert "Mỗi ngày tiết kiệm 1.000 đồng để làm việc nghĩa" in text
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descriptor = font.get_object().get("/FontDescriptor")
            if descriptor is not None:
                descriptor = descriptor.get_object()
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), "font not embedded"
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("DVK-Serif" in name for name in fonts), fonts  # Liberation Serif 2, by file
    width, height = float(reader.pages[0].mediabox.width), float(reader.pages[0].mediabox.height)
    assert (round(width), round(height)) == (595, 842)  # A4 in points


def test_the_same_document_gives_the_same_bytes():
    assert _render() == _render()


def test_the_font_is_found_by_file_and_version_not_by_family_name(tmp_path, monkeypatch):
    """Liberation Serif v1 registers the same family name; only the v2 file and version count."""
    from django.core.checks import run_checks

    from documents import pdf

    assert pdf.font_status()["ok"] and pdf.font_status()["font"].startswith("Liberation Serif 2.")
    v1 = tmp_path / "liberation"
    v1.mkdir()
    for name, _, _ in pdf.FACES:  # the v1 files under the v2 names: same family, version 1.07
        (v1 / name).write_bytes(Path("/usr/share/fonts/truetype/liberation", name).read_bytes())
    monkeypatch.setattr(pdf, "FONT_DIRS", [v1])
    pdf.font_dir.cache_clear()
    pdf.font_css.cache_clear()
    try:
        status = pdf.font_status()
        assert not status["ok"] and status["font"] == "DejaVu Serif"
        assert pdf.font_css() == ""
        assert "documents.W001" in [m.id for m in run_checks()]
    finally:
        pdf.font_dir.cache_clear()
        pdf.font_css.cache_clear()


def test_health_says_which_font_the_reports_use(client):
    body = client.get("/healthz").json()
    assert body["fonts"]["ok"] and "liberation2" in body["fonts"]["file"]
