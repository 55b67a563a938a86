"""The unit kinds of the seeds (2021–2025) and of the two-level structure since 1 July 2025."""

from django.db import migrations

KINDS = [
    ("trung-uong", "Toàn quốc", "administrative", 0),
    ("tinh", "Tỉnh", "administrative", 1),
    ("huyen", "Huyện", "administrative", 2),
    ("thi-xa", "Thị xã", "administrative", 2),
    ("thanh-pho", "Thành phố thuộc tỉnh", "administrative", 2),
    ("xa", "Xã", "administrative", 3),
    ("phuong", "Phường", "administrative", 3),
    ("thi-tran", "Thị trấn", "administrative", 3),
    ("dac-khu", "Đặc khu", "administrative", 3),
    ("thon", "Thôn", "administrative", 4),
    ("khu-pho", "Khu phố", "administrative", 4),
    ("ban-dang", "Ban của Tỉnh ủy", "agency", 2),
    ("dang-uy", "Đảng ủy trực thuộc", "agency", 2),
    ("so-nganh", "Sở, ban, ngành", "agency", 2),
    ("mat-tran", "Mặt trận Tổ quốc", "agency", 2),
    ("doan-the", "Đoàn thể chính trị – xã hội", "agency", 2),
    ("phong", "Phòng, ban chuyên môn", "department", 3),
    ("chi-bo", "Chi bộ", "department", 3),
    ("cong-doan", "Công đoàn cơ sở", "department", 3),
]


def create_kinds(apps, schema_editor):
    UnitKind = apps.get_model("units", "UnitKind")
    for code, name, category, level in KINDS:
        UnitKind.objects.update_or_create(
            code=code, defaults={"name": name, "category": category, "level": level}
        )


class Migration(migrations.Migration):
    dependencies = [("units", "0001_initial")]
    operations = [migrations.RunPython(create_kinds, migrations.RunPython.noop)]
