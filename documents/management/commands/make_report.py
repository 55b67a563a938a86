import datetime as dt
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from documents.reporting import REGISTRY
from portal.units.models import Unit


class Command(BaseCommand):
    help = ("Tạo một văn bản PDF hoặc DOCX từ dòng lệnh (cùng mã với báo cáo trên web). Văn bản đã ban hành "
            "mang số, ngày, người ký và nơi nhận của sổ văn bản đi; chưa ban hành là dự thảo.")

    def add_arguments(self, parser):
        parser.add_argument("kind", help="Loại báo cáo: " + ", ".join(sorted(REGISTRY)))
        parser.add_argument("--unit", help="Mã đơn vị (mặc định: đơn vị gốc).")
        parser.add_argument("--year", type=int, help="Năm (mặc định: năm gần nhất có dữ liệu).")
        parser.add_argument("--output", required=True, help="Tệp đầu ra.")
        parser.add_argument("--format", dest="fmt", choices=["pdf", "docx"], default="pdf",
                            help="pdf (mặc định) hoặc docx (chỉnh sửa được).")

    def handle(self, *args, kind, unit, year, output, fmt="pdf", **options):
        if kind not in REGISTRY:
            raise CommandError(f"Không có loại báo cáo “{kind}”. Có: {', '.join(sorted(REGISTRY))}.")
        report_kind = REGISTRY[kind]
        if unit:
            root = Unit.objects.filter(code=unit).first()
            if root is None:
                raise CommandError(f"Không tìm thấy đơn vị có mã “{unit}”.")
        else:
            root = Unit.objects.filter(depth=1, is_active=True).order_by("path").first()
            if root is None:
                raise CommandError("Chưa có đơn vị nào: hãy nạp dữ liệu trước.")
        if year is None:
            year = (report_kind.latest_year() if report_kind.latest_year else None) or dt.date.today().year
        params = report_kind.cli_params(root, year) if report_kind.cli_params else {"unit_id": root.pk, "year": year}
        if fmt == "docx":
            params = {**params, "format": "docx"}
        built = report_kind.build(params, lambda pct: None)
        Path(output).write_bytes(built.content)
        pages = f", {built.pages} trang" if built.pages else ""
        self.stdout.write(f"Đã ghi {output} ({len(built.content):,} byte{pages}).")
