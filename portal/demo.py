"""Demo data of the foundation: the unit tree in both eras, people, roles and phases.

The tree as it stood until 30/6/2025 (province > district > commune > village, beside the
province's agencies) and the two-level structure from 1/7/2025 (Bình Thuận merged into Lâm Đồng,
districts abolished, communes merged, the Ban Dân vận merged into the Ban Tuyên giáo và Dân vận)
are both written: today's tree as treebeard paths, both eras as placements. Bulk inserts only.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from portal.accounts.models import Role, User
from portal.demo_context import MERGER_DATE, DemoContext
from portal.units.models import Phase, Unit, UnitChange, UnitKind, UnitPlacement
from portal.units.services import encode_step

# A documented demo default (README); set DEMO_PASSWORD to change it.
DEMO_PASSWORD_FALLBACK = "DanVanKheo@2025"
DEMO_ACCOUNTS = {
    "admin": ("Quản trị hệ thống", ["admin"], "Chuyên viên Văn phòng"),
    "canbo": ("Nguyễn Thị Thu Hà", ["canbo"], "Chuyên viên Phòng Dân vận các cơ quan nhà nước"),
    "congdoan": ("Trần Văn Phúc", ["congdoan", "canbo"], "Chủ tịch Công đoàn cơ quan"),
    "chiuy": ("Lê Minh Đức", ["chiuy", "canbo"], "Phó Bí thư Chi bộ"),
    "lanhdao": ("Phạm Thị Hồng Nhung", ["lanhdao"], "Phó Trưởng Ban"),
}
APPS_WITH_DEMO = ["models_registry", "awards", "plans", "documents"]

SIZES = {
    "small": dict(provinces=1, districts=2, communes=6, villages=18, agencies=12, staff=4, commune_staff=2),
    "province": dict(provinces=1, districts=10, communes=124, villages=700, agencies=300, staff=5, commune_staff=2),
    "nation": dict(provinces=30, districts=10, communes=110, villages=2000, agencies=300, staff=3, commune_staff=1),
    # The whole country over the whole phase (issue 15): 63 provinces with districts until 30/6/2025,
    # merged by MERGES_2025 into 34 with 3,321 communes from 1/7/2025; about 60,000 villages.
    "nation5": dict(provinces=63, new_communes=3321, districts=10, communes=160, villages=952, agencies=56,
                    staff=24, commune_staff=2),
}
# Counts scaled by `seed_demo --scale` (a smaller country of the same shape, to check it quickly).
SCALED = ("new_communes", "communes", "villages", "staff")


def size_spec(size: str, scale: float = 1.0) -> dict:
    """The tree's counts for `size`, with SCALED counts multiplied by `scale` (at least 1)."""
    spec = dict(SIZES[size])
    if scale != 1.0:
        for key in SCALED:
            if key in spec:
                spec[key] = max(1, round(spec[key] * scale))
    return spec


# 1/7/2025 (Resolution 202/2025/QH15): the new province and the old ones merged into it, the one
# whose agencies carry on first. Bình Thuận leads here because the demo's own story starts there.
MERGES_2025 = [
    ("Lâm Đồng", ["Bình Thuận", "Lâm Đồng", "Đắk Nông"]), ("Hà Nội", ["Hà Nội"]), ("Huế", ["Huế"]),
    ("Lai Châu", ["Lai Châu"]), ("Điện Biên", ["Điện Biên"]), ("Sơn La", ["Sơn La"]), ("Lạng Sơn", ["Lạng Sơn"]),
    ("Quảng Ninh", ["Quảng Ninh"]), ("Thanh Hóa", ["Thanh Hóa"]), ("Nghệ An", ["Nghệ An"]),
    ("Hà Tĩnh", ["Hà Tĩnh"]), ("Cao Bằng", ["Cao Bằng"]), ("Tuyên Quang", ["Tuyên Quang", "Hà Giang"]),
    ("Lào Cai", ["Lào Cai", "Yên Bái"]), ("Thái Nguyên", ["Thái Nguyên", "Bắc Kạn"]),
    ("Phú Thọ", ["Phú Thọ", "Vĩnh Phúc", "Hòa Bình"]), ("Bắc Ninh", ["Bắc Ninh", "Bắc Giang"]),
    ("Hưng Yên", ["Hưng Yên", "Thái Bình"]), ("Hải Phòng", ["Hải Phòng", "Hải Dương"]),
    ("Ninh Bình", ["Ninh Bình", "Hà Nam", "Nam Định"]), ("Quảng Trị", ["Quảng Trị", "Quảng Bình"]),
    ("Đà Nẵng", ["Đà Nẵng", "Quảng Nam"]), ("Quảng Ngãi", ["Quảng Ngãi", "Kon Tum"]),
    ("Gia Lai", ["Gia Lai", "Bình Định"]), ("Khánh Hòa", ["Khánh Hòa", "Ninh Thuận"]),
    ("Đắk Lắk", ["Đắk Lắk", "Phú Yên"]), ("Hồ Chí Minh", ["Hồ Chí Minh", "Bình Dương", "Bà Rịa – Vũng Tàu"]),
    ("Đồng Nai", ["Đồng Nai", "Bình Phước"]), ("Tây Ninh", ["Tây Ninh", "Long An"]),
    ("Cần Thơ", ["Cần Thơ", "Sóc Trăng", "Hậu Giang"]), ("Vĩnh Long", ["Vĩnh Long", "Bến Tre", "Trà Vinh"]),
    ("Đồng Tháp", ["Đồng Tháp", "Tiền Giang"]), ("Cà Mau", ["Cà Mau", "Bạc Liêu"]),
    ("An Giang", ["An Giang", "Kiên Giang"]),
]
CITIES = {"Hà Nội", "Huế", "Hải Phòng", "Đà Nẵng", "Hồ Chí Minh", "Cần Thơ"}


def province_title(name: str) -> str:
    return f"Thành phố {name}" if name in CITIES else f"Tỉnh {name}"

DISTRICTS = [
    ("thanh-pho", "Thành phố Phan Thiết"), ("thi-xa", "Thị xã La Gi"), ("huyen", "Huyện Tuy Phong"),
    ("huyen", "Huyện Bắc Bình"), ("huyen", "Huyện Hàm Thuận Bắc"), ("huyen", "Huyện Hàm Thuận Nam"),
    ("huyen", "Huyện Hàm Tân"), ("huyen", "Huyện Đức Linh"), ("huyen", "Huyện Tánh Linh"),
    ("huyen", "Huyện Phú Quý"),
]
PROVINCES = [
    "Bình Thuận", "Ninh Thuận", "Khánh Hòa", "Phú Yên", "Bình Định", "Quảng Ngãi", "Quảng Nam",
    "Đắk Nông", "Đắk Lắk", "Gia Lai", "Kon Tum", "Lâm Đồng", "Bình Phước", "Tây Ninh", "Long An",
    "Tiền Giang", "Bến Tre", "Trà Vinh", "Vĩnh Long", "Đồng Tháp", "An Giang", "Kiên Giang",
    "Hậu Giang", "Sóc Trăng", "Bạc Liêu", "Cà Mau", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Bình",
]
NEW_PROVINCES = [
    "Lâm Đồng", "Khánh Hòa", "Đắk Lắk", "Gia Lai", "Quảng Ngãi", "Đà Nẵng", "Tây Ninh", "Đồng Tháp",
    "Vĩnh Long", "An Giang", "Cần Thơ", "Cà Mau", "Thanh Hóa", "Nghệ An", "Hà Tĩnh", "Quảng Trị",
    "Đồng Nai", "Huế", "Lào Cai", "Tuyên Quang", "Thái Nguyên", "Phú Thọ", "Bắc Ninh", "Hưng Yên",
    "Ninh Bình", "Lạng Sơn", "Cao Bằng", "Sơn La", "Điện Biên", "Lai Châu",
]
PLACE_A = ["Hàm", "Phước", "Tân", "Bình", "Đức", "Hòa", "Thuận", "Phan", "Liên", "Vĩnh", "Sông",
           "Đông", "Tây", "Mỹ", "Xuân", "Gia", "Hồng", "Chí", "Long", "Nghị", "Suối", "Măng", "La"]
PLACE_B = ["An", "Bình", "Hiệp", "Hưng", "Lộc", "Minh", "Nghĩa", "Phú", "Sơn", "Tài", "Thạnh",
           "Thắng", "Thành", "Thuận", "Tiến", "Trí", "Hải", "Hòa", "Long", "Lợi", "Kiệm", "Đức",
           "Chính", "Cần", "Liêm", "Mỹ", "Tâm", "Hội", "Linh", "Quang"]
VILLAGE_NAMES = ["Đông", "Tây", "Nam", "Bắc", "Trung", "Thạnh", "Hiệp", "Phú", "Lạc", "Xuân",
                 "Mới", "Cũ", "Gò", "Bàu", "Suối", "Dốc", "Hòa", "An", "Lợi", "Tân"]
PROVINCE_AGENCIES = [
    ("ban-dang", "Ban Tổ chức Tỉnh ủy"), ("ban-dang", "Ủy ban Kiểm tra Tỉnh ủy"),
    ("ban-dang", "Văn phòng Tỉnh ủy"), ("ban-dang", "Ban Nội chính Tỉnh ủy"),
    ("mat-tran", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"), ("doan-the", "Hội Liên hiệp Phụ nữ tỉnh"),
    ("doan-the", "Tỉnh Đoàn"), ("doan-the", "Hội Nông dân tỉnh"), ("doan-the", "Hội Cựu chiến binh tỉnh"),
    ("doan-the", "Liên đoàn Lao động tỉnh"), ("dang-uy", "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh"),
    ("so-nganh", "Sở Y tế"), ("so-nganh", "Sở Giáo dục và Đào tạo"), ("so-nganh", "Sở Nội vụ"),
    ("so-nganh", "Sở Tài chính"), ("so-nganh", "Sở Nông nghiệp và Môi trường"),
    ("so-nganh", "Sở Văn hóa, Thể thao và Du lịch"), ("so-nganh", "Sở Xây dựng"),
    ("so-nganh", "Sở Công Thương"), ("so-nganh", "Sở Tư pháp"), ("so-nganh", "Sở Khoa học và Công nghệ"),
    ("so-nganh", "Công an tỉnh"), ("so-nganh", "Bộ Chỉ huy Quân sự tỉnh"), ("so-nganh", "Thanh tra tỉnh"),
    ("so-nganh", "Bảo hiểm xã hội tỉnh"), ("so-nganh", "Ban Dân tộc tỉnh"),
]
DISTRICT_AGENCIES = [
    ("ban-dang", "Ban Dân vận Huyện ủy"), ("mat-tran", "Ủy ban MTTQ Việt Nam huyện"),
    ("doan-the", "Hội Liên hiệp Phụ nữ huyện"), ("doan-the", "Huyện Đoàn"),
    ("doan-the", "Hội Nông dân huyện"), ("doan-the", "Hội Cựu chiến binh huyện"),
    ("so-nganh", "Phòng Nội vụ huyện"), ("so-nganh", "Phòng Giáo dục và Đào tạo huyện"),
    ("so-nganh", "Phòng Tài nguyên và Môi trường huyện"), ("so-nganh", "Phòng Văn hóa và Thông tin huyện"),
    ("so-nganh", "Phòng Y tế huyện"), ("so-nganh", "Phòng Nông nghiệp huyện"),
    ("so-nganh", "Phòng Tư pháp huyện"), ("so-nganh", "Phòng Lao động – Thương binh và Xã hội huyện"),
    ("so-nganh", "Trung tâm Y tế huyện"), ("so-nganh", "Công an huyện"),
    ("so-nganh", "Ban Chỉ huy Quân sự huyện"), ("ban-dang", "Ban Tổ chức Huyện ủy"),
    ("ban-dang", "Ủy ban Kiểm tra Huyện ủy"), ("ban-dang", "Ban Tuyên giáo Huyện ủy"),
    ("so-nganh", "Phòng Tài chính – Kế hoạch huyện"), ("so-nganh", "Phòng Kinh tế – Hạ tầng huyện"),
    ("so-nganh", "Thanh tra huyện"), ("so-nganh", "Văn phòng HĐND và UBND huyện"),
    ("doan-the", "Liên đoàn Lao động huyện"), ("so-nganh", "Trung tâm Văn hóa – Thể thao huyện"),
]
BDV_DEPARTMENTS = [
    ("phong", "Phòng Dân vận các cơ quan nhà nước"), ("phong", "Phòng Dân tộc và Tôn giáo"),
    ("phong", "Phòng Đoàn thể và các hội"), ("chi-bo", "Chi bộ Ban Dân vận"),
    ("cong-doan", "Công đoàn cơ quan Ban Dân vận"),
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi",
            "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai"]
MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Quốc", "Thị Kim", "Văn Hoàng", "Hoài", "Xuân"]
GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Hương", "Lan", "Linh", "Long", "Mai",
         "Nam", "Nga", "Phúc", "Phương", "Quân", "Sơn", "Tâm", "Thảo", "Thủy", "Trang", "Tuấn", "Vân",
         "Yến", "Khánh", "Đạt", "Hiếu", "Nhung", "Oanh", "Quỳnh", "Trí", "Việt", "Ánh", "Duyên"]


@dataclass
class Node:
    code: str
    name: str
    kind: str
    old_parent: Node | None = None
    new_parent: Node | None = None
    in_old: bool = True
    in_new: bool = True
    successor: Node | None = None
    oversees: Node | None = None
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None
    group: str = ""
    old_path: str = ""
    new_path: str = ""
    obj: Unit | None = None
    old_children: list = field(default_factory=list)
    new_children: list = field(default_factory=list)


def person_name(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


class TreeBuilder:
    def __init__(self, rng: random.Random, size: str, scale: float = 1.0):
        self.rng = rng
        self.spec = size_spec(size, scale)
        self.nodes: list[Node] = []
        self.counter = 0

    def node(self, name, kind, **kw) -> Node:
        self.counter += 1
        n = Node(code=kw.pop("code", None) or f"U{self.counter:06d}", name=name, kind=kind, **kw)
        self.nodes.append(n)
        return n

    def place_name(self, used: set[str]) -> str:
        for _ in range(200):
            name = f"{self.rng.choice(PLACE_A)} {self.rng.choice(PLACE_B)}"
            if name not in used:
                used.add(name)
                return name
        name = f"{self.rng.choice(PLACE_A)} {self.rng.choice(PLACE_B)} {len(used)}"
        used.add(name)
        return name

    def build(self):
        if "new_communes" in self.spec:
            return self.build_merged()
        spec, rng = self.spec, self.rng
        national = None
        if spec["provinces"] > 1:
            national = self.node("Toàn quốc", "trung-uong", code="VN")
        result = {}
        for p in range(spec["provinces"]):
            old_name = PROVINCES[p % len(PROVINCES)]
            new_name = NEW_PROVINCES[p % len(NEW_PROVINCES)]
            first = p == 0
            old_province = self.node(f"Tỉnh {old_name}", "tinh", code="BT" if first else None,
                                     old_parent=national, in_new=False, valid_to=MERGER_DATE - dt.timedelta(days=1))
            new_province = self.node(f"Tỉnh {new_name}", "tinh", code="LD" if first else None,
                                     new_parent=national, in_old=False, valid_from=MERGER_DATE)
            old_province.successor = new_province
            old_province.new_parent = new_province
            # Agencies of the province; the Ban Dân vận and its departments first.
            bdv = self.node("Ban Dân vận Tỉnh ủy" + ("" if first else f" {old_name}"), "ban-dang",
                            code="BDVTU" if first else None, old_parent=old_province, in_new=False,
                            valid_to=MERGER_DATE - dt.timedelta(days=1), oversees=old_province, group="agency")
            btg = self.node("Ban Tuyên giáo Tỉnh ủy" + ("" if first else f" {old_name}"), "ban-dang",
                            old_parent=old_province, in_new=False, valid_to=MERGER_DATE - dt.timedelta(days=1),
                            group="agency")
            btgdv = self.node("Ban Tuyên giáo và Dân vận Tỉnh ủy" + ("" if first else f" {new_name}"), "ban-dang",
                              code="BTGDVTU" if first else None, new_parent=new_province, in_old=False,
                              valid_from=MERGER_DATE, oversees=new_province, group="agency")
            for old in (bdv, btg):
                old.successor = btgdv
                old.new_parent = btgdv
            departments = []
            for kind, name in BDV_DEPARTMENTS:
                d = self.node(name, kind, old_parent=bdv, new_parent=btgdv, group="department")
                departments.append(d)
            agencies = [bdv, btg, btgdv]
            for kind, name in PROVINCE_AGENCIES:
                agencies.append(self.node(name, kind, old_parent=old_province, new_parent=new_province, group="agency"))
            # Districts, communes, villages.
            used_names: set[str] = set()
            districts = []
            n_districts = spec["districts"]
            communes_per_district = [spec["communes"] // n_districts + (1 if i < spec["communes"] % n_districts else 0)
                                     for i in range(n_districts)]
            all_communes = []
            for i in range(n_districts):
                kind, name = DISTRICTS[i % len(DISTRICTS)]
                if not first:
                    name = f"{name} ({old_name})"
                district = self.node(name, kind, old_parent=old_province, new_parent=new_province, in_new=False,
                                     valid_to=MERGER_DATE - dt.timedelta(days=1), successor=new_province, group="district")
                districts.append(district)
                district_agencies = DISTRICT_AGENCIES[: max(0, (spec["agencies"] - len(PROVINCE_AGENCIES)) // n_districts)]
                for akind, aname in district_agencies:
                    agencies.append(self.node(aname.replace("huyện", district.name.split(" ", 1)[-1]) if "huyện" in aname else aname,
                                              akind, old_parent=district, new_parent=district, in_new=False,
                                              valid_to=MERGER_DATE - dt.timedelta(days=1), group="agency"))
                for _ in range(communes_per_district[i]):
                    ckind = "phuong" if kind == "thanh-pho" else rng.choice(["xa", "xa", "xa", "thi-tran"])
                    label = {"xa": "Xã", "phuong": "Phường", "thi-tran": "Thị trấn"}[ckind]
                    commune = self.node(f"{label} {self.place_name(used_names)}", ckind, old_parent=district,
                                        in_new=False, valid_to=MERGER_DATE - dt.timedelta(days=1), group="commune")
                    all_communes.append(commune)
            # Villages spread over the communes.
            villages = []
            for v in range(spec["villages"]):
                commune = all_communes[v % len(all_communes)]
                kind = "khu-pho" if commune.kind in ("phuong", "thi-tran") else "thon"
                label = "Khu phố" if kind == "khu-pho" else "Thôn"
                number = v // len(all_communes) + 1
                villages.append(self.node(f"{label} {number} {rng.choice(VILLAGE_NAMES)}", kind,
                                          old_parent=commune, group="village"))
            # 1/7/2025: communes merge by three (within a district), villages follow.
            new_communes = []
            for district in districts:
                olds = [c for c in all_communes if c.old_parent is district]
                for start in range(0, len(olds), 3):
                    group = olds[start:start + 3]
                    kind = "phuong" if any(c.kind == "phuong" for c in group) else "xa"
                    label = "Phường" if kind == "phuong" else "Xã"
                    merged = self.node(f"{label} {group[0].name.split(' ', 1)[-1]} mới" if len(group) > 1 else group[0].name,
                                       kind, new_parent=new_province, in_old=False, valid_from=MERGER_DATE, group="commune")
                    new_communes.append(merged)
                    for c in group:
                        c.successor = merged
                        c.new_parent = merged
            for village in villages:
                village.new_parent = village.old_parent.successor
            result[p] = dict(old_province=old_province, new_province=new_province, bdv=bdv, btgdv=btgdv,
                             departments=departments, agencies=agencies, districts=districts,
                             communes=all_communes, new_communes=new_communes, villages=villages)
        return national, result

    def _old_province(self, p: int, old_name: str, new: dict, primary: dict | None) -> dict:
        """One province until 30/6/2025 (agencies, districts, communes, villages), merged into `new`.

        The agencies of the province that leads the merger (`primary` is None) carry on under the new
        province; those of the others close on 30/6/2025 with the leading one's as successor.
        """
        spec, rng = self.spec, self.rng
        first, day_before = p == 0, MERGER_DATE - dt.timedelta(days=1)
        new_province, btgdv = new["province"], new["btgdv"]
        old_province = self.node(province_title(old_name), "tinh", code="BT" if first else None,
                                 old_parent=new["national"], in_new=False, valid_to=day_before,
                                 successor=new_province, new_parent=new_province)
        bdv = self.node("Ban Dân vận Tỉnh ủy" + ("" if first else f" {old_name}"), "ban-dang",
                        code="BDVTU" if first else None, old_parent=old_province, in_new=False, valid_to=day_before,
                        oversees=old_province, group="agency", successor=btgdv, new_parent=btgdv)
        btg = self.node("Ban Tuyên giáo Tỉnh ủy" + ("" if first else f" {old_name}"), "ban-dang",
                        old_parent=old_province, in_new=False, valid_to=day_before, group="agency",
                        successor=btgdv, new_parent=btgdv)

        def carried(name, kind, index, parent_new, group):
            if primary is None:
                return self.node(name, kind, old_parent=bdv if group == "department" else old_province,
                                 new_parent=parent_new, group=group)
            heir = primary["departments" if group == "department" else "province_agencies"][index]
            return self.node(name, kind, old_parent=bdv if group == "department" else old_province,
                             new_parent=heir, in_new=False, valid_to=day_before, successor=heir, group=group)

        departments = [carried(name, kind, i, btgdv, "department") for i, (kind, name) in enumerate(BDV_DEPARTMENTS)]
        province_agencies = [carried(f"{name} ({old_name})" if primary else name, kind, i, new_province, "agency")
                             for i, (kind, name) in enumerate(PROVINCE_AGENCIES)]
        agencies = [bdv, btg] + ([btgdv] if primary is None else []) + province_agencies
        used_names: set[str] = set()
        districts, communes = [], []
        n_districts = spec["districts"]
        per_district = [spec["communes"] // n_districts + (1 if i < spec["communes"] % n_districts else 0)
                        for i in range(n_districts)]
        district_agencies = DISTRICT_AGENCIES[: max(0, (spec["agencies"] - len(PROVINCE_AGENCIES)) // n_districts)]
        for i in range(n_districts):
            kind, name = DISTRICTS[i % len(DISTRICTS)]
            district = self.node(f"{name} ({old_name})", kind, old_parent=old_province, new_parent=new_province,
                                 in_new=False, valid_to=day_before, successor=new_province, group="district")
            districts.append(district)
            for akind, aname in district_agencies:
                agencies.append(self.node(aname.replace("huyện", district.name.split(" ", 1)[-1]) if "huyện" in aname
                                          else aname, akind, old_parent=district, new_parent=district, in_new=False,
                                          valid_to=day_before, group="agency"))
            for _ in range(per_district[i]):
                ckind = "phuong" if kind == "thanh-pho" else rng.choice(["xa", "xa", "xa", "thi-tran"])
                label = {"xa": "Xã", "phuong": "Phường", "thi-tran": "Thị trấn"}[ckind]
                communes.append(self.node(f"{label} {self.place_name(used_names)}", ckind, old_parent=district,
                                          in_new=False, valid_to=day_before, group="commune"))
        villages = []
        for v in range(spec["villages"]):
            commune = communes[v % len(communes)]
            kind = "khu-pho" if commune.kind in ("phuong", "thi-tran") else "thon"
            label = "Khu phố" if kind == "khu-pho" else "Thôn"
            villages.append(self.node(f"{label} {v // len(communes) + 1} {rng.choice(VILLAGE_NAMES)}", kind,
                                      old_parent=commune, group="village"))
        return dict(old_province=old_province, new_province=new_province, bdv=bdv, btgdv=btgdv,
                    departments=departments, province_agencies=province_agencies, agencies=agencies,
                    districts=districts, communes=communes, new_communes=[], villages=villages)

    def build_merged(self):
        """63 provinces with districts until 30/6/2025, merged into 34 with `new_communes` communes."""
        spec = self.spec
        national = self.node("Toàn quốc", "trung-uong", code="VN")
        result, p = {}, 0
        totals = [spec["new_communes"] // len(MERGES_2025) + (1 if j < spec["new_communes"] % len(MERGES_2025) else 0)
                  for j in range(len(MERGES_2025))]
        for j, (new_name, old_names) in enumerate(MERGES_2025):
            first = j == 0
            new_province = self.node(province_title(new_name), "tinh", code="LD" if first else None,
                                     new_parent=national, in_old=False, valid_from=MERGER_DATE)
            btgdv = self.node("Ban Tuyên giáo và Dân vận Tỉnh ủy" + ("" if first else f" {new_name}"), "ban-dang",
                              code="BTGDVTU" if first else None, new_parent=new_province, in_old=False,
                              valid_from=MERGER_DATE, oversees=new_province, group="agency")
            new = {"national": national, "province": new_province, "btgdv": btgdv}
            olds = []
            for k, old_name in enumerate(old_names):
                olds.append(self._old_province(p, old_name, new, olds[0] if k else None))
                result[p] = olds[-1]
                p += 1
            # The communes of the merged provinces become totals[j] communes, neighbours together.
            old_communes = [c for old in olds for c in old["communes"]]
            groups = min(totals[j], len(old_communes))
            for g in range(groups):
                group = old_communes[g * len(old_communes) // groups:(g + 1) * len(old_communes) // groups]
                kind = "phuong" if any(c.kind == "phuong" for c in group) else "xa"
                label = "Phường" if kind == "phuong" else "Xã"
                merged = self.node(f"{label} {group[0].name.split(' ', 1)[-1]} mới" if len(group) > 1 else group[0].name,
                                   kind, new_parent=new_province, in_old=False, valid_from=MERGER_DATE, group="commune")
                olds[0]["new_communes"].append(merged)
                for c in group:
                    c.successor = merged
                    c.new_parent = merged
            for old in olds:
                for village in old["villages"]:
                    village.new_parent = village.old_parent.successor
        return national, result


def _assign_paths(nodes: list[Node], era: str) -> None:
    parent_attr, children_attr, path_attr, in_attr = (
        ("old_parent", "old_children", "old_path", "in_old") if era == "old"
        else ("new_parent", "new_children", "new_path", "in_new")
    )
    roots = []
    for n in nodes:
        if era == "old" and not n.in_old:
            continue
        parent = getattr(n, parent_attr)
        if parent is None:
            roots.append(n)
        else:
            getattr(parent, children_attr).append(n)
    stack = [(root, encode_step(i + 1)) for i, root in enumerate(roots)]
    while stack:
        node, path = stack.pop()
        setattr(node, path_attr, path)
        for i, child in enumerate(getattr(node, children_attr)):
            stack.append((child, path + encode_step(i + 1)))
    del in_attr


@transaction.atomic
def seed_foundation(size: str, seed: int, scale: float = 1.0) -> DemoContext:
    rng = random.Random(seed)
    kinds = {k.code: k for k in UnitKind.objects.all()}
    builder = TreeBuilder(rng, size, scale)
    national, provinces = builder.build()
    nodes = builder.nodes
    _assign_paths(nodes, "old")
    _assign_paths(nodes, "new")
    units = []
    for n in nodes:
        depth = len(n.new_path) // Unit.steplen
        n.obj = Unit(
            code=n.code, name=n.name, name_folded="", kind=kinds[n.kind], path=n.new_path, depth=depth,
            numchild=len(n.new_children), is_active=n.in_new, valid_from=n.valid_from, valid_to=n.valid_to,
        )
        from portal.text import fold

        n.obj.name_folded = fold(n.name)
        units.append(n.obj)
    Unit.objects.bulk_create(units, batch_size=5000)
    # Successor and oversight links need the ids.
    linked = []
    for n in nodes:
        if n.successor or n.oversees:
            n.obj.successor = n.successor.obj if n.successor else None
            n.obj.oversees = n.oversees.obj if n.oversees else None
            linked.append(n.obj)
    Unit.objects.bulk_update(linked, ["successor", "oversees"], batch_size=5000)
    day_before = MERGER_DATE - dt.timedelta(days=1)
    placements = []
    for n in nodes:
        if n.in_old:
            placements.append(UnitPlacement(unit=n.obj, path=n.old_path, valid_from=None,
                                            valid_to=day_before if (n.in_new or n.valid_to) else None))
        if n.in_new:
            placements.append(UnitPlacement(unit=n.obj, path=n.new_path, valid_from=MERGER_DATE if n.in_old or n.valid_from else None))
    UnitPlacement.objects.bulk_create(placements, batch_size=5000)
    changes = []
    first = provinces[0]
    for merged in first["new_communes"][:50] + [first["btgdv"], first["new_province"]]:
        changes.append(UnitChange(kind=UnitChange.Kind.MERGE, unit=merged.obj, effective_date=MERGER_DATE,
                                  detail="Sắp xếp đơn vị hành chính hai cấp từ 01/7/2025"))
    if size == "nation5":
        # Every merger of 1/7/2025 is recorded, with the units merged into it.
        changes = []
        for prov in provinces.values():
            for merged in prov["new_communes"]:
                changes.append(UnitChange(kind=UnitChange.Kind.MERGE, unit=merged.obj, effective_date=MERGER_DATE,
                                          detail="Sắp xếp đơn vị hành chính hai cấp từ 01/7/2025"))
        for n in nodes:
            if n.group == "" and n.in_new and not n.in_old and n.kind == "tinh":
                changes.append(UnitChange(kind=UnitChange.Kind.MERGE, unit=n.obj, effective_date=MERGER_DATE,
                                          detail="Hợp nhất đơn vị hành chính cấp tỉnh từ 01/7/2025"))
        by_successor: dict[int, list[int]] = {}
        for n in nodes:
            if n.successor is not None and n.kind in ("tinh", "xa", "phuong", "thi-tran"):
                by_successor.setdefault(n.successor.obj.pk, []).append(n.obj.pk)
    UnitChange.objects.bulk_create(changes, batch_size=5000)
    if size == "nation5":
        through = UnitChange.sources.through
        through.objects.bulk_create([through(unitchange_id=c.pk, unit_id=u) for c in changes
                                     for u in by_successor.get(c.unit_id, [])], batch_size=10000)

    phases = {
        "2021 – 2025": Phase.objects.get_or_create(name="2021 – 2025", defaults=dict(start_year=2021, end_year=2025))[0],
        "2026 – 2030": Phase.objects.get_or_create(name="2026 – 2030", defaults=dict(start_year=2026, end_year=2030, is_current=True))[0],
    }

    # People: demo accounts in the Ban Tuyên giáo và Dân vận (before 1/7/2025: the Ban Dân vận).
    roles = {r.code: r for r in Role.objects.all()}
    password = settings.DEMO_PASSWORD or DEMO_PASSWORD_FALLBACK
    demo_hash = make_password(password)
    unusable = make_password(None)
    people_by_unit: dict[int, list[int]] = {}
    users: list[User] = []
    user_roles: list[tuple[User, list[str]]] = []
    demo_users = {}
    bdv, btgdv = first["bdv"].obj, first["btgdv"].obj
    for username, (name, role_codes, position) in DEMO_ACCOUNTS.items():
        u = User(username=username, full_name=name, email=f"{username}@dvk.example.org", unit=btgdv,
                 position=position, password=demo_hash, is_staff=username == "admin",
                 is_superuser=username == "admin")
        users.append(u)
        user_roles.append((u, role_codes))
        demo_users[username] = u
    # Colleagues of the demo accounts: enough for a committee of five and a realistic agency.
    colleagues = 6 if size == "small" else 24
    counter = 0

    def new_user(unit_obj, role_codes, position="Chuyên viên"):
        nonlocal counter
        counter += 1
        u = User(username=f"nv{counter:05d}", full_name=person_name(rng), unit=unit_obj, position=position,
                 password=unusable, email=f"nv{counter:05d}@dvk.example.org")
        users.append(u)
        user_roles.append((u, role_codes))
        return u

    for i in range(colleagues):
        codes = ["canbo"] + (["congdoan"] if i < 4 else []) + (["chiuy"] if 4 <= i < 6 else [])
        new_user(btgdv, codes)
    spec = size_spec(size, scale)
    for _p, prov in provinces.items():
        for a in prov["agencies"]:
            if a.obj.pk in (bdv.pk, btgdv.pk):
                continue
            for j in range(spec["staff"]):
                codes = ["canbo"] + (["congdoan"] if j == 1 else []) + (["lanhdao"] if j == 0 else [])
                new_user(a.obj, codes, "Lãnh đạo" if j == 0 else "Chuyên viên")
        for c in prov["new_communes"]:
            for j in range(spec["commune_staff"]):
                new_user(c.obj, ["canbo"] + (["lanhdao"] if j == 0 else []), "Công chức Văn hóa – Xã hội")
    User.objects.bulk_create(users, batch_size=5000)
    through = User.roles.through
    through.objects.bulk_create(
        [through(user_id=u.pk, role_id=roles[c].pk) for u, codes in user_roles for c in codes], batch_size=10000
    )
    for u in users:
        people_by_unit.setdefault(u.unit_id, []).append(u.pk)
    # Before 1/7/2025 the Ban Dân vận's people were those of today's Ban Tuyên giáo và Dân vận,
    # and a merged commune's people were spread over the communes it came from.
    people_by_unit[bdv.pk] = list(people_by_unit.get(btgdv.pk, []))
    for prov in provinces.values():
        for c in prov["communes"]:
            people_by_unit[c.obj.pk] = people_by_unit.get(c.successor.obj.pk, [])

    def ids(nodes_list, era):
        return [n.obj.pk for n in nodes_list if (n.in_old if era == "old" else n.in_new)]

    units_then = {}
    for era in ("old", "new"):
        for group in ("commune", "village", "agency", "district"):
            units_then[(era, group)] = [n.obj.pk for n in nodes if n.group == group and (n.in_old if era == "old" else n.in_new)]
    root = national.obj if national else first["new_province"].obj
    return DemoContext(
        size=size, rng=rng, today=dt.date.today(), phases=phases, scale=scale,
        years=list(range(2021 if size == "nation5" else 2022, 2027)),
        root=root, demo_unit=btgdv, demo_unit_old=bdv, demo_users=demo_users, units_then=units_then,
        people_by_unit=people_by_unit,
    )


def seed_all(size: str, seed: int, stdout=None, scale: float = 1.0) -> DemoContext:
    """The foundation, then each app's `demo.seed(ctx)`; `scale` shrinks the tree's SCALED counts."""
    import time

    started = time.perf_counter()
    ctx = seed_foundation(size, seed, scale)
    if stdout:
        stdout.write(f"  nền tảng: {Unit.objects.count()} đơn vị, {User.objects.count()} người dùng "
                     f"({time.perf_counter() - started:.1f} s)")
    from portal.extensions import optional_module

    for app in APPS_WITH_DEMO:
        module = optional_module(app, "demo")
        if module is None:
            continue
        t0 = time.perf_counter()
        with transaction.atomic():
            module.seed(ctx)
        if stdout:
            stdout.write(f"  {app}: {time.perf_counter() - t0:.1f} s")
    return ctx
