"""Reference rows the portal cannot work without: the unit kinds and the roles.

Created after every migrate (and after a test flush, which also sends post_migrate), so they are
there on a fresh database without a fixture file. Levels are data: administrators may add kinds.
"""

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
    ("ban-dang", "Ban của cấp ủy", "agency", 2),
    ("dang-uy", "Đảng ủy trực thuộc", "agency", 2),
    ("so-nganh", "Sở, ban, ngành", "agency", 2),
    ("mat-tran", "Mặt trận Tổ quốc", "agency", 2),
    ("doan-the", "Đoàn thể chính trị – xã hội", "agency", 2),
    ("phong", "Phòng, ban chuyên môn", "department", 3),
    ("chi-bo", "Chi bộ", "department", 3),
    ("cong-doan", "Công đoàn cơ sở", "department", 3),
]


# The models target (Kế hoạch 54-KH/BDVTU: every unit and village builds 1–2 models a year) is 1 for
# each kind, 0 for the nation and province nodes (their agencies build models) and for departments.


def ensure_reference_data(**kwargs) -> None:
    from portal.accounts.models import Role, RoleCode
    from portal.units.models import UnitKind

    existing = set(UnitKind.objects.values_list("code", flat=True))
    UnitKind.objects.bulk_create(
        UnitKind(code=code, name=name, category=category, level=level,
                 models_target=0 if category == "department" or level <= 1 else 1)
        for code, name, category, level in KINDS
        if code not in existing
    )
    have = set(Role.objects.values_list("code", flat=True))
    Role.objects.bulk_create(Role(code=code) for code in RoleCode.values if code not in have)
