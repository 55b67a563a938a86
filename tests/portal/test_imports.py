import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from portal.accounts.models import User
from portal.models import ImportBatch
from portal.units.models import Unit

pytestmark = pytest.mark.django_db
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook(headers, rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


UNIT_HEADERS = ["Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên", "Hiệu lực từ ngày"]


def upload(client, kind, content, name="du-lieu.xlsx"):
    return client.post(reverse("imports:upload", args=[kind]), {"file": SimpleUploadedFile(name, content, XLSX)})


def test_good_unit_file_is_previewed_then_saved(client, people, tree):
    client.force_login(people["admin"])
    content = workbook(UNIT_HEADERS, [
        ["X10", "Xã Hàm Trí", "xa", "H01", "01/01/2022"],
        ["TH10", "Thôn Phú Điền", "Thôn", "X10", None],
    ])
    response = upload(client, "units", content)
    assert response.status_code == 302
    preview = client.get(response["Location"])
    assert "Tất cả 2 dòng hợp lệ" in preview.content.decode()
    assert not Unit.objects.filter(code="X10").exists()  # nothing before the confirmation
    client.post(response["Location"], {"commit": "1"})
    hamtri = Unit.objects.get(code="X10")
    assert Unit.objects.get_parent(Unit.objects.get(code="TH10")) == hamtri
    assert Unit.objects.get_parent(hamtri) == tree["district"]


def test_a_file_with_bad_rows_saves_nothing_and_lists_every_bad_row(client, people, tree):
    client.force_login(people["admin"])
    content = workbook(UNIT_HEADERS, [
        ["X11", "Xã Tốt", "xa", "H01", None],
        ["X01", "Trùng mã", "xa", "H01", None],
        ["X12", "", "loai-la", "KHONGCO", "32/13/2022"],
    ])
    response = upload(client, "units", content)
    preview_url = response["Location"]
    body = client.get(preview_url).content.decode()
    assert "Có 2 dòng lỗi" in body
    assert "Mã đơn vị “X01” đã có trong hệ thống." in body
    assert "Loại đơn vị “loai-la” không tồn tại." in body
    assert "Không tìm thấy đơn vị cấp trên “KHONGCO”" in body
    assert "không đúng dạng dd/mm/yyyy" in body
    client.post(preview_url, {"commit": "1"})
    assert not Unit.objects.filter(code__in=["X11", "X12"]).exists()


def test_users_import_all_or_nothing(client, people, tree):
    client.force_login(people["admin"])
    headers = ["Tên đăng nhập", "Họ và tên", "Thư điện tử", "Mã đơn vị", "Vai trò", "Chức vụ"]
    good = workbook(headers, [["hoa.nt", "Nguyễn Thị Hoa", "hoa@example.org", "X01", "canbo, BCH Công đoàn", "Chuyên viên"]])
    response = upload(client, "users", good)
    client.post(response["Location"], {"commit": "1"})
    hoa = User.objects.get(username="hoa.nt")
    assert hoa.full_name == "Nguyễn Thị Hoa" and hoa.role_codes == {"canbo", "congdoan"}
    bad = workbook(headers, [["an.v", "Lê Văn An", "an@example.org", "X01", "canbo", ""],
                             ["hoa.nt", "Trùng", "khong-phai-email", "ZZZ", "vua", ""]])
    response = upload(client, "users", bad)
    body = client.get(response["Location"]).content.decode()
    for message in ["đã có", "không hợp lệ", "Không tìm thấy đơn vị “ZZZ”", "Vai trò không tồn tại: vua"]:
        assert message in body
    client.post(response["Location"], {"commit": "1"})
    assert not User.objects.filter(username="an.v").exists()


def test_a_file_that_is_not_xlsx_is_refused_even_when_named_xlsx(client, people):
    client.force_login(people["admin"])
    response = upload(client, "units", b"MZ\x90\x00 this is an exe", name="don-vi.xlsx")
    assert response.status_code == 200
    assert "không phải bảng tính Excel" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_an_oversized_file_is_refused(client, people, settings):
    settings.IMPORT_MAX_BYTES = 1024
    client.force_login(people["admin"])
    content = workbook(UNIT_HEADERS, [[f"X{i}", "Xã " + "Ấ" * 50, "xa", "H01", None] for i in range(200)])
    assert len(content) > 1024
    response = upload(client, "units", content)
    assert "Tệp quá lớn" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_export_lists_units_with_parents(client, people, tree):
    from openpyxl import load_workbook

    client.force_login(people["admin"])
    response = client.get(reverse("units:export"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Mã đơn vị", "Tên đơn vị", "Loại đơn vị", "Mã đơn vị cấp trên")
    assert ("TH01", "Thôn Đông Giang", "Thôn", "X01") in [r[:4] for r in rows]
